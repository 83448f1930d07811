/* Long downloads (the class certificates PDF): "Préparation en cours…" until the file arrives.
   A link with data-prepare-url (the class PDF) first asks that URL, again and again, to prepare the
   next pages (each call a couple of seconds), showing "n/m attestations prêtes"; when all are, or
   if that URL fails, it downloads the file. The download link gets a random token; the server
   answers the file with a cookie holding it; when the cookie shows up the message says the file is
   ready. Without this script the links just work (the server makes the whole file in one request). */
(function () {
  "use strict";
  var _ = window.gettext || function (text) { return text; };
  var COOKIE = "telechargement";

  function token() {
    var chars = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    var values = new Uint32Array(16);
    window.crypto.getRandomValues(values);
    return Array.prototype.map.call(values, function (v) { return chars[v % chars.length]; }).join("");
  }

  function cookie() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
    return match ? match[1] : "";
  }

  function download(link, status) {
    var value = token();
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("jeton", value);
    status.textContent = _("Préparation en cours… Le téléchargement commencera dans quelques secondes.");
    var timer = window.setInterval(function () {
      if (cookie() !== value) return;
      window.clearInterval(timer);
      status.textContent = _("Fichier prêt : le téléchargement a commencé.");
      status.classList.remove("is-busy");
      link.removeAttribute("aria-disabled");
    }, 400);
    window.location.href = url.toString();
  }

  function prepare(link, status, prepareUrl) {
    window.fetch(prepareUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (progress) {
        if (!progress.total || progress.ready >= progress.total) {
          download(link, status);
          return;
        }
        status.textContent = _("Préparation en cours…") + " " +
          progress.ready + "/" + progress.total + " " + _("attestations prêtes");
        prepare(link, status, prepareUrl);
      })
      .catch(function () { download(link, status); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download-status]");
    if (!link || !window.crypto || !window.crypto.getRandomValues) return;
    var status = document.querySelector(link.getAttribute("data-download-status"));
    if (!status) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    status.classList.add("is-busy");
    link.setAttribute("aria-disabled", "true");
    var prepareUrl = link.getAttribute("data-prepare-url");
    if (prepareUrl && window.fetch) {
      status.textContent = _("Préparation en cours…");
      prepare(link, status, new URL(prepareUrl, window.location.href).toString());
    } else {
      download(link, status);
    }
  });
})();
