// Small glue around htmx: the "reconnecting…" badge, error swaps, and focus care.
(function () {
  "use strict";
  function badge(show) {
    var el = document.getElementById("connection-status");
    if (el) { el.hidden = !show; }
    document.documentElement.toggleAttribute("data-offline", show);
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.htmx) { return; }
    // Swap 4xx answers too: the server sends the form back with a clear message.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(409|413|422|429)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true }
    ];
    htmx.config.wsReconnectDelay = function (retryCount) {
      var base = Math.min(1000 * Math.pow(2, retryCount), 10000);
      return base / 2 + Math.random() * base / 2;
    };
  });
  document.addEventListener("htmx:wsOpen", function () { badge(false); });
  document.addEventListener("htmx:wsClose", function (event) {
    var code = event.detail && event.detail.event ? event.detail.event.code : 0;
    badge(true);
    // Codes the ws extension does not retry on its own (e.g. 1000 on server restart):
    if ([1006, 1011, 1012, 1013].indexOf(code) < 0) {
      var socket = event.detail && event.detail.socketWrapper;
      setTimeout(function () { if (socket) { socket.reconnect(); } }, 2000);
    }
  });
  // A phone that wakes up: if the socket is gone, the extension reconnects; show state.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !navigator.onLine) { badge(true); }
  });
  // Never pull text out from under someone typing: an update to the region holding the
  // focused text field waits (newest version wins) until they leave that field, unless
  // the region now shows a different activity.
  var deferred = {};
  function typingIn(target) {
    var active = document.activeElement;
    if (!active || !target.contains(active)) { return false; }
    if (active.tagName === "TEXTAREA") { return true; }
    return active.tagName === "INPUT" && /^(text|search|number|email|url|)$/.test(active.type || "");
  }
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var incoming = event.detail.fragment;
    if (incoming && incoming.nodeType === 11) { incoming = incoming.firstElementChild; }
    if (!target || !target.id || !incoming || !typingIn(target)) { return; }
    if (incoming.getAttribute("data-activity-id") !== target.getAttribute("data-activity-id")) { return; }
    deferred[target.id] = incoming;
    event.detail.shouldSwap = false;
  });
  function applyDeferred() {
    Object.keys(deferred).forEach(function (id) {
      var target = document.getElementById(id);
      if (!target) { delete deferred[id]; return; }
      if (typingIn(target)) { return; }
      var incoming = deferred[id];
      delete deferred[id];
      target.replaceWith(incoming);
      htmx.process(incoming);
      document.dispatchEvent(new CustomEvent("workshop:deferredSwap"));
    });
  }
  // After the draft autosave (700 ms after the last keystroke) has gone out.
  document.addEventListener("focusout", function () { setTimeout(applyDeferred, 1000); });
})();

// A fresh id per answer, so a retried request never counts twice (works without HTTPS,
// where crypto.randomUUID is unavailable).
window.workshopClientId = function () {
  if (window.crypto && window.crypto.getRandomValues) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
};

// Objectives wall: mark the objectives this participant voted for (the wall itself is
// the same for everyone; #my-dots holds this person's votes).
(function () {
  "use strict";
  function markVotes() {
    var dots = document.getElementById("my-dots");
    var voted = dots ? (dots.getAttribute("data-voted") || "").split(" ").filter(Boolean) : [];
    var counts = {};
    voted.forEach(function (id) { counts[id] = (counts[id] || 0) + 1; });
    document.querySelectorAll("#results [data-objective-id]").forEach(function (card) {
      var mine = counts[card.getAttribute("data-objective-id")] || 0;
      card.classList.toggle("voted", mine > 0);
      card.setAttribute("data-my-votes", String(mine));
      var undo = card.querySelector(".vote-remove");
      if (undo) { undo.hidden = mine === 0; }
    });
  }
  document.addEventListener("DOMContentLoaded", markVotes);
  document.addEventListener("htmx:afterSettle", markVotes);
  document.addEventListener("htmx:oobAfterSwap", markVotes);
  document.addEventListener("workshop:deferredSwap", markVotes);
})();
