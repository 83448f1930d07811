/* Candidate's test page and waiting screen: the heartbeat.
   <form data-live-ping data-live-token="…" data-live-every="ms" action="…/presence">{% csrf_token %}</form>
   While the page is open it posts to the form's address every data-live-every milliseconds (and
   when the page becomes visible again). The server answers the token of the test's state: when it
   is not the page's (the invigilator handled the alert, ended the test; the page was left), the
   page reloads and the server shows what comes next. Without JavaScript nothing pings: the
   waiting screen refreshes itself (<noscript> meta refresh) and leaving the page is not detected.
   The form is looked up at each ping: an answer swaps the screen in place (htmx) with its own
   heartbeat form, whose token and pace are then the ones that count; a screen without one (the
   end of the test) stops the heartbeat. An answer tells the server the page is open as a ping
   does: after each swapped screen the next ping waits a whole period again. */
(function () {
  "use strict";

  if (!window.fetch) return;
  var inFlight = false;
  var reloading = false;
  var timer = null;

  function pingForm() { return document.querySelector("[data-live-ping]"); }

  function reload() {
    if (reloading) return;
    reloading = true;
    window.location.reload();
  }

  function schedule() {
    window.clearTimeout(timer);
    var form = pingForm();
    if (!form || reloading) return;
    var every = parseInt(form.getAttribute("data-live-every"), 10) || 40000;
    timer = window.setTimeout(ping, every);
  }

  function ping() {
    var form = pingForm();
    if (!form || reloading) return;
    if (inFlight) { schedule(); return; }
    inFlight = true;
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" },
    })
      .then(function (response) {
        if (response.status === 404) { reload(); return null; }
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") === -1) return null; // e.g. logged out, outage
        return response.json();
      })
      .then(function (data) {
        var current = pingForm(); // the page's screen now (an answer may have swapped it meanwhile)
        if (data && data.token && current && data.token !== current.getAttribute("data-live-token")) reload();
      })
      .catch(function () { /* offline for a moment: the next ping tries again */ })
      .then(function () { inFlight = false; schedule(); });
  }

  ping();
  document.body.addEventListener("htmx:afterSettle", function () { if (!inFlight) schedule(); });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) ping();
  });
})();
