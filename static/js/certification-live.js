/* Candidate's test page and waiting screen: the heartbeat.
   <form data-live-ping data-live-token="…" data-live-every="ms" action="…/presence">{% csrf_token %}</form>
   While the page is open it posts to the form's address every data-live-every milliseconds (and
   when the page becomes visible again). The server answers the token of the test's state: when it
   is not the page's (the invigilator handled the alert, ended the test; the page was left), the
   page reloads and the server shows what comes next. Without JavaScript nothing pings: the
   waiting screen refreshes itself (<noscript> meta refresh) and leaving the page is not detected. */
(function () {
  "use strict";

  var form = document.querySelector("[data-live-ping]");
  if (!form || !window.fetch) return;
  var token = form.getAttribute("data-live-token");
  var every = parseInt(form.getAttribute("data-live-every"), 10) || 20000;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var inFlight = false;
  var reloading = false;

  function reload() {
    if (reloading) return;
    reloading = true;
    window.location.reload();
  }

  function ping() {
    if (inFlight || reloading) return;
    inFlight = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" },
    })
      .then(function (response) {
        if (response.status === 404) { reload(); return null; }
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") === -1) return null; // e.g. logged out
        return response.json();
      })
      .then(function (data) {
        if (data && data.token && data.token !== token) reload();
      })
      .catch(function () { /* offline for a moment: the next ping tries again */ })
      .then(function () { inFlight = false; });
  }

  ping();
  window.setInterval(ping, every);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) ping();
  });
})();
