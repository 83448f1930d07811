/* Enrolment pages, progressive enhancement only (every action also works without JS). */
(function () {
  "use strict";

  // Students by class: "select all on this page" checkbox and the live selected count.
  var form = document.querySelector("[data-enrol-form]");
  if (form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[data-student]"));
    var all = form.querySelector("[data-select-all]");
    var count = form.querySelector("[data-selected-count]");
    var link = form.querySelector("[data-select-all-link]");
    var refresh = function () {
      var checked = boxes.filter(function (b) { return b.checked; }).length;
      if (count) count.textContent = String(checked);
      if (all) {
        all.checked = boxes.length > 0 && checked === boxes.length;
        all.indeterminate = checked > 0 && checked < boxes.length;
      }
    };
    var setAll = function (value) {
      boxes.forEach(function (b) { b.checked = value; });
      refresh();
    };
    if (all) {
      all.hidden = false;
      all.disabled = boxes.length === 0;
      all.addEventListener("change", function () { setAll(all.checked); });
    }
    if (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        setAll(true);
      });
    }
    boxes.forEach(function (b) { b.addEventListener("change", refresh); });
    refresh();
  }

  // Confirmed through the <dialog> of app.js: tell the server the confirmation was given.
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (event.defaultPrevented || !target.dataset || target.dataset.confirmed !== "1") return;
    var flag = target.querySelector("[data-confirmed-flag]");
    if (flag) flag.value = "1";
  });
})();
