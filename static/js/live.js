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
  // Keep the reader's place: when the stage is replaced while they type, skip it.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "stage") { return; }
    var active = document.activeElement;
    var incoming = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (active && target.contains(active) && (active.tagName === "TEXTAREA" ||
        (active.tagName === "INPUT" && active.type === "text") || active.tagName === "INPUT" && !active.type) &&
        incoming && incoming.getAttribute("data-activity-id") === target.getAttribute("data-activity-id") &&
        incoming.getAttribute("data-state") === target.getAttribute("data-state") &&
        incoming.getAttribute("data-round") === target.getAttribute("data-round")) {
      event.detail.shouldSwap = false;
    }
  });
})();
