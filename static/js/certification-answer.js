/* Candidate's test page: one request per answered question (htmx), and no answer lost in an outage.
   - "Valider" / "Je passe" post the form with htmx (hx-post on <form data-answer-form>); the answer's
     response is the next screen (the content of <main>), swapped in place; focus then goes to the
     new screen's heading (<h1 tabindex="-1" data-screen-heading>) so that a screen reader reads it.
     Without JavaScript the form posts as any form (POST/redirect/GET).
   - When the server cannot be reached or answers 502/503/504 (the database restarting), the page
     keeps the answer exactly as it was posted, says so in the card ([data-answer-status], French
     text through the JavaScript catalogue) and sends it again with a growing delay until it gets
     through. The server records an answer once whatever the number of copies (posting again the
     answer already recorded just shows the next question), so nothing is lost and nothing doubled.
   - Any other error (a 403 after the login changed, a 500): the page reloads and shows what the
     server knows. */
(function () {
  "use strict";

  var _ = window.gettext || function (text) { return text; };
  var OUTAGE = _("Le service est momentanément indisponible : votre réponse sera envoyée dès que possible.");
  var FIRST_DELAY = 1000;
  var MAX_DELAY = 30000;
  var OUTAGE_STATUSES = { 0: true, 502: true, 503: true, 504: true };

  var posted = null;   // the answer being sent: {form, path, values}
  var attempt = 0;
  var timer = null;

  function answerForm(elt) {
    return elt && elt.closest ? elt.closest("form[data-answer-form]") : null;
  }

  function copy(formData) {
    var values = {};
    formData.forEach(function (value, key) {
      if (!Object.prototype.hasOwnProperty.call(values, key)) values[key] = value;
      else if (Array.isArray(values[key])) values[key].push(value);
      else values[key] = [values[key], value];
    });
    return values;
  }

  function hold(form, waiting) {
    form.querySelectorAll("input:not([type=hidden]), button, select, textarea").forEach(function (field) {
      field.disabled = waiting;
    });
    var card = form.closest("section") || form.parentNode;
    var status = card.querySelector("[data-answer-status]");
    if (status) {
      status.textContent = waiting ? OUTAGE : "";
      status.hidden = !waiting;
    }
  }

  function delayFor(xhr) {
    var delay = Math.min(FIRST_DELAY * Math.pow(2, attempt), MAX_DELAY);
    var retryAfter = xhr && parseInt(xhr.getResponseHeader("Retry-After"), 10);
    if (retryAfter > 0) delay = Math.min(delay, retryAfter * 1000);
    return Math.round(delay * (0.8 + Math.random() * 0.4)); // spread a whole room's retries
  }

  function resend() {
    timer = null;
    if (!posted || !document.body.contains(posted.form)) { posted = null; return; }
    attempt += 1;
    window.htmx.ajax("POST", posted.path, {
      source: posted.form,
      values: posted.values,
      target: "#main",
      swap: "innerHTML",
    }).catch(function () { /* told by htmx:afterRequest below */ });
  }

  // What is posted, kept as posted: a re-sent copy is the same answer even if the page changed since.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = answerForm(event.detail.elt);
    if (!form || (posted && posted.form === form)) return;
    posted = {
      form: form,
      path: event.detail.path,
      values: copy(event.detail.formData || new FormData(form)),
    };
    attempt = 0;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = answerForm(event.detail.elt);
    if (!form || !posted || posted.form !== form) return;
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (event.detail.successful || (status >= 200 && status < 400)) {
      posted = null;
      attempt = 0;
      return;
    }
    if (OUTAGE_STATUSES[status]) {
      hold(form, true);
      if (!timer) timer = window.setTimeout(resend, delayFor(xhr));
      return;
    }
    posted = null;
    window.location.reload();
  });

  // The new screen is in place: its heading takes the focus (and is read out).
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "main") return;
    var heading = event.detail.target.querySelector("[data-screen-heading]");
    if (heading) heading.focus();
  });
})();
