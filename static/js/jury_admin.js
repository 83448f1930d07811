/* Jury actions in the admin: a button carrying data-confirm asks its question before posting
   (a static file, not an onclick attribute: the Content-Security-Policy allows no inline code). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });
})();
