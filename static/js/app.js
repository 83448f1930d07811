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

  // Wide tables: when a table is wider than its .table-wrap (a phone, a narrow window), the wrap
  // scrolls sideways; a line above it says so, and the kept-in-view column gets its shadow.
  var SCROLL_HINT = _("Faites défiler le tableau vers la droite pour voir toutes les colonnes.");
  function markScrollable(wrap) {
    var scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-scrollable", scrollable);
    var hint = wrap.previousElementSibling;
    if (!hint || !hint.classList.contains("table-scroll-hint")) {
      if (!scrollable) return;
      hint = document.createElement("p");
      hint.className = "table-scroll-hint";
      hint.textContent = SCROLL_HINT;
      wrap.parentNode.insertBefore(hint, wrap);
    }
    hint.hidden = !scrollable;
  }
  var wraps = document.querySelectorAll(".table-wrap");
  wraps.forEach(markScrollable);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { markScrollable(entry.target); });
    });
    wraps.forEach(function (wrap) { observer.observe(wrap); });
  }

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
