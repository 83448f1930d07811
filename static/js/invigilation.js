/* Invigilator space: progressive enhancements of a page that works without JavaScript.
   - live list: htmx polls the fragment every 5 s; we name the copy on screen ourselves (its ETag,
     in If-None-Match and X-Pix-List-Copy) and keep the list as it is on 304; an answer of "only
     what changed" swaps the changed rows and the counters out of band (HX-Reswap: none), and its
     ETag becomes the copy's; polling pauses while a dialog or a menu is open, or while the
     invigilator types a search;
   - search filters rows as you type;
   - outage: a 503 answer shows its message and keeps the list's last good copy;
   - presence ticks go one at a time (see below), and a tick made before htmx had loaded is sent;
   - confirmations: fills the shared <dialog> with the candidate's name (app.js opens it) and marks
     the confirmed post so the server does not ask again. */
(function () {
  "use strict";

  var etag = null;
  var busy = false;  // a post (a presence tick) is on its way
  var waiting = [];  // ticks made meanwhile, in order: {id: the box's id, checked: the state sought}
  var lastTyped = 0;

  function listElement() { return document.getElementById("candidate-list"); }
  function searchInput() { return document.getElementById("candidate-search-input"); }

  window.pixInvigilationCanRefresh = function () {
    if (busy || document.hidden) return false;
    if (document.querySelector("dialog[open]")) return false;
    var list = listElement();
    if (list && list.querySelector("details[open]")) return false;
    // Typing in the search box (outside the list): wait until the invigilator pauses.
    if (Date.now() - lastTyped < 3000) return false;
    return true;
  };

  function normalize(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\s\-\u2010\u2011\u2013\u2014'\u2019`\u00b4]+/g, " ").trim();
  }

  function applyFilter() {
    var input = searchInput();
    var list = listElement();
    if (!input || !list) return;
    var words = normalize(input.value).split(" ").filter(Boolean);
    var shown = 0;
    var rows = list.querySelectorAll(".candidate-row");
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search") || "";
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    var empty = list.querySelector("[data-search-empty]");
    if (empty) empty.hidden = !(rows.length && shown === 0);
  }

  document.addEventListener("input", function (event) {
    if (event.target === searchInput()) {
      lastTyped = Date.now();
      applyFilter();
    }
  });
  document.addEventListener("submit", function (event) {
    // With JavaScript, the search box filters as you type: no need to reload the page.
    if (event.target.matches && event.target.matches("[data-candidate-search]")) {
      event.preventDefault();
      applyFilter();
    }
  });

  // Confirmation dialogs (capture phase: runs before app.js opens the dialog).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var selector = form.getAttribute && form.getAttribute("data-confirm");
    if (!selector) return;
    if (form.dataset.confirmed === "1") {
      if (!form.querySelector("input[name=confirmed]")) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "confirmed";
        input.value = "1";
        form.appendChild(input);
      }
      return;
    }
    var dialog = document.querySelector(selector);
    var slot = dialog && dialog.querySelector("[data-confirm-name]");
    if (slot && form.dataset.candidateName) slot.textContent = form.dataset.candidateName;
    var menu = form.closest("details");
    if (menu) menu.open = false;
  }, true);

  // Presence ticks, one at a time. A tick's answer replaces the whole list, and with it the form
  // of any other tick still on its way: htmx would swap that one's answer into a list no longer
  // on the page, and the page would show the older state. So a tick made while another is on its
  // way waits; once that one is answered, it is made again on the new list (the candidate's box
  // set as the invigilator left it), unless the list already shows it.
  // A box ticked before htmx had loaded (a slow phone: the list shows first, and with JavaScript
  // on there is no "Valider" button) sent nothing: it is sent once htmx has loaded. The forms
  // have autocomplete="off", so a box that differs from the server's list was ticked by hand.
  function wait(form) {
    var box = form.querySelector("input[type=checkbox]");
    if (!box) return;
    waiting = waiting.filter(function (tick) { return tick.id !== box.id; });
    waiting.push({ id: box.id, checked: box.checked });
  }

  function sendWaiting() {
    while (!busy && waiting.length) {
      var tick = waiting.shift();
      var box = document.getElementById(tick.id);
      if (!box || !box.form || box.disabled) continue;  // no longer a presence row (the test started)
      if (box.checked === tick.checked && box.defaultChecked === tick.checked) continue;  // already so
      box.checked = tick.checked;
      window.htmx.trigger(box.form, "change");
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(function (elt) {
      if (!elt.querySelectorAll) return;
      elt.querySelectorAll(".presence-form input[type=checkbox]").forEach(function (box) {
        if (box.checked !== box.defaultChecked) wait(box.form);
      });
      sendWaiting();
    });
  }

  // Live list: polls only when the page can refresh (no eval'd trigger condition: CSP).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    if (!config) return;
    if (event.detail.elt === listElement() && config.verb === "get" && !window.pixInvigilationCanRefresh()) {
      event.preventDefault();
    } else if (config.verb === "post" && busy) {
      event.preventDefault();
      wait(event.detail.elt);
    }
  });
  document.addEventListener("htmx:beforeSend", function (event) {
    var config = event.detail.requestConfig;
    if (config && config.verb === "post") busy = true;
  });

  // "Gérer le signalement": the menu's link (a page without JavaScript) opens the shared dialog,
  // filled with the alert's question, category and address; focus goes to the sub-category and
  // comes back to the candidate's menu when the dialog closes.
  var alertOpener = null;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-alert-dialog]");
    if (!link) return;
    var dialog = document.querySelector(link.getAttribute("data-alert-dialog"));
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    var form = dialog.querySelector("[data-alert-form]");
    form.setAttribute("action", link.getAttribute("data-alert-action"));
    dialog.querySelector("[data-alert-number]").textContent = link.getAttribute("data-alert-number");
    dialog.querySelector("[data-alert-label]").textContent = link.getAttribute("data-alert-label");
    var name = dialog.querySelector("[data-confirm-name]");
    if (name) name.textContent = link.getAttribute("data-candidate-name");
    var select = form.querySelector("select[name=code]");
    if (select) select.value = link.getAttribute("data-alert-code");
    var menu = link.closest("details");
    alertOpener = menu ? menu.querySelector("summary") : link;
    if (menu) menu.open = false;
    dialog.showModal();
    if (select) select.focus();
  });
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-alert-cancel]");
    if (!cancel) return;
    var dialog = cancel.closest("dialog");
    if (dialog) dialog.close();
  });
  document.addEventListener("close", function (event) {
    if (event.target.id === "dialog-alert" && alertOpener && document.contains(alertOpener)) alertOpener.focus();
  }, true);

  // Live list: conditional requests and no swap on 304.
  document.addEventListener("htmx:configRequest", function (event) {
    var list = listElement();
    if (!etag && list) etag = list.getAttribute("data-etag");
    if (event.detail.verb === "get" && etag && event.detail.elt === list) {
      // The page is the cache: the browser's HTTP cache is bypassed by a request that carries
      // its own If-None-Match, and "only what changed" is asked for by X-Pix-List-Copy alone.
      event.detail.headers["If-None-Match"] = etag;
      event.detail.headers["X-Pix-List-Copy"] = etag;
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 304) { event.detail.shouldSwap = false; return; }
    // A poll answered after an action replaced the list (a tick, a resume…): the list it was
    // asked for is gone and its copy is older than the action's. Its rows and counters (swapped
    // out of band, by id) would put the old state back, and the next poll would answer 304 on it.
    var requestConfig = event.detail.requestConfig;
    if (requestConfig && requestConfig.verb === "get" && event.detail.elt !== listElement() &&
        event.detail.elt && event.detail.elt.id === "candidate-list") {
      event.detail.shouldSwap = false;
      return;
    }
    if (xhr.getResponseHeader("ETag") && event.detail.target === listElement()) {
      // A dialog or a menu opened while the request was on its way: keep the list as it is.
      if (event.detail.requestConfig.verb === "get" && !window.pixInvigilationCanRefresh()) {
        event.detail.shouldSwap = false;
        return;
      }
      etag = xhr.getResponseHeader("ETag");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
      // The answer is swapped in and processed (the presence forms swap with settle:0ms). A box
      // ticked in what a poll swapped in before htmx processed it is caught by onLoad above.
      busy = false;
      sendWaiting();
    }
  });
  document.addEventListener("htmx:afterSwap", applyFilter);
  document.addEventListener("htmx:oobAfterSwap", applyFilter);

  // Service unavailable (503, the database restarting): htmx swaps nothing on an error, so the
  // list keeps its last good copy; the server's message goes to the feedback region, and is
  // removed by the next good answer of the list.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var feedback = document.getElementById("invigilation-feedback");
    if (!feedback || xhr.status !== 503) return;
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var message = doc.querySelector("[data-unavailable]");
    var p = document.createElement("p");
    p.className = "alert alert-error";
    p.setAttribute("data-unavailable", "");
    p.textContent = message ? message.textContent : xhr.statusText;
    feedback.replaceChildren(p);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    var feedback = document.getElementById("invigilation-feedback");
    var stale = feedback && feedback.querySelector("[data-unavailable]");
    if (stale) stale.remove();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var hint = document.querySelector("[data-live-hint]");
    if (hint) hint.hidden = false;
    applyFilter();
  });
})();
