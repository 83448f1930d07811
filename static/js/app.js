/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  // Strings of the active language: Django's JavaScript catalogue (/i18n/js/, loaded before this
  // file) defines window.gettext; without it the French reference wording is shown.
  var _ = window.gettext || function (text) { return text; };

  // Copy buttons: <button data-copy="#id-of-element">Copier</button>
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = _("Copié !");
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // Confirmation: <form data-confirm="#dialog-id"> opens the <dialog>; its submit button posts the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var selector = form.getAttribute && form.getAttribute("data-confirm");
    if (!selector || form.dataset.confirmed === "1") return;
    var dialog = document.querySelector(selector);
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    dialog.showModal();
    var ok = dialog.querySelector("[data-confirm-ok]");
    var cancel = dialog.querySelector("[data-confirm-cancel]");
    if (ok) {
      ok.onclick = function (e) {
        e.preventDefault();
        dialog.close();
        form.dataset.confirmed = "1";
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      };
      ok.focus();
    }
    if (cancel) cancel.onclick = function (e) { e.preventDefault(); dialog.close(); };
  });

  // Live character counters: <textarea maxlength="500" data-counter="#counter-id">
  function updateCounter(field) {
    var out = document.querySelector(field.getAttribute("data-counter"));
    if (out) out.textContent = field.value.length + " / " + field.getAttribute("maxlength");
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-counter]")) updateCounter(event.target);
  });
  document.querySelectorAll("[data-counter]").forEach(updateCounter);

  // Upper-case as typed: <input data-uppercase>
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-uppercase]")) {
      var pos = el.selectionStart;
      el.value = el.value.toUpperCase();
      if (pos !== null) el.setSelectionRange(pos, pos);
    }
  });
})();
