/* Finalisation pages, progressive enhancement only: every form also works with its button. */
(function () {
  "use strict";
  var _ = window.gettext || function (text) { return text; };

  // Drafts save themselves: <form data-autosave> is posted in the background on every change.
  // A redirect means "saved"; anything else (an error page) is shown by posting the form for real.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-autosave") || !window.fetch) return;
    var status = form.querySelector("[data-autosave-status]");
    if (status) status.textContent = _("Enregistrement…");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok && response.redirected && response.url.indexOf("/finalisation") !== -1) {
          if (status) status.textContent = _("Enregistré");
        } else {
          form.submit();
        }
      })
      .catch(function () { form.submit(); });
  });

  // The report form: the question number only matters for E1–E12.
  var reportForm = document.querySelector("[data-report-form]");
  if (reportForm) {
    var questionField = reportForm.querySelector("[data-question-field]");
    var sync = function () {
      var chosen = reportForm.querySelector("input[name=code]:checked");
      var hasError = questionField.querySelector(".error-text");
      questionField.hidden = !hasError && !(chosen && chosen.hasAttribute("data-needs-question"));
    };
    reportForm.addEventListener("change", sync);
    sync();
  }
})();
