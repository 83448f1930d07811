/* Long downloads (the class certificates PDF): "Préparation en cours…" until the file arrives.
   The link gets a random token; the server answers the file with a cookie holding it; when the
   cookie shows up the message says the file is ready. Without this script the links just work. */
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

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download-status]");
    if (!link || !window.crypto || !window.crypto.getRandomValues) return;
    var status = document.querySelector(link.getAttribute("data-download-status"));
    if (!status) return;
    var value = token();
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("jeton", value);
    event.preventDefault();
    status.textContent = _("Préparation en cours… Le téléchargement commencera dans quelques secondes.");
    status.classList.add("is-busy");
    link.setAttribute("aria-disabled", "true");
    var timer = window.setInterval(function () {
      if (cookie() !== value) return;
      window.clearInterval(timer);
      status.textContent = _("Fichier prêt : le téléchargement a commencé.");
      status.classList.remove("is-busy");
      link.removeAttribute("aria-disabled");
    }, 400);
    window.location.href = url.toString();
  });
})();
