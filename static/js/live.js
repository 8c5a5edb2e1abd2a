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
  var refusals = 0;
  document.addEventListener("htmx:wsOpen", function () { refusals = 0; });
  document.addEventListener("htmx:wsClose", function (event) {
    var code = event.detail && event.detail.event ? event.detail.event.code : 0;
    var status = document.getElementById("connection-status");
    badge(true);
    if (status) { status.textContent = "Reconnecting…"; }
    // Codes the ws extension does not retry on its own (e.g. 1000 on server restart).
    if ([1006, 1011, 1012, 1013].indexOf(code) >= 0) { return; }
    // Refused (1008: signed out, left the workshop…): try a few times, then say so.
    if (code === 1008 && ++refusals > 3) {
      if (status) { status.textContent = "Live updates stopped. Reload the page."; }
      return;
    }
    var socket = event.detail && event.detail.socketWrapper;
    var element = event.target;
    setTimeout(function () {
      if (socket && element && document.body.contains(element)) { socket.reconnect(); }
    }, 2000 * Math.max(1, refusals));
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

// Personal marks on shared fragments. The whole room gets the same wall and chat; what
// is this person's own (their dots, their upvotes) comes in a marker element only they
// receive (#my-dots, #my-upvotes) and is painted onto the shared copy here.
(function () {
  "use strict";
  var MARKS = [
    { marker: "my-dots", list: "data-voted", items: "#results [data-objective-id]",
      key: "data-objective-id", mark: "voted", add: null, undo: ".vote-remove" },
    { marker: "my-upvotes", list: "data-upvoted", items: "#chat [data-message-id]",
      key: "data-message-id", mark: "upvoted", add: ".upvote", undo: ".unupvote" }
  ];
  function paint() {
    MARKS.forEach(function (m) {
      var marker = document.getElementById(m.marker);
      var counts = {};
      (marker ? marker.getAttribute(m.list) || "" : "").split(" ").filter(Boolean)
        .forEach(function (id) { counts[id] = (counts[id] || 0) + 1; });
      document.querySelectorAll(m.items).forEach(function (item) {
        var mine = counts[item.getAttribute(m.key)] || 0;
        item.classList.toggle(m.mark, mine > 0);
        item.setAttribute("data-mine", String(mine));
        var add = m.add && item.querySelector(m.add);
        var undo = item.querySelector(m.undo);
        if (add) { add.disabled = mine > 0; }
        if (undo) { undo.hidden = mine === 0; }
      });
    });
  }
  ["DOMContentLoaded", "htmx:afterSettle", "htmx:oobAfterSwap", "workshop:deferredSwap"]
    .forEach(function (name) { document.addEventListener(name, paint); });
})();

// Chat: stay at the newest message unless the reader scrolled up; reply; sort questions.
(function () {
  "use strict";
  var pinned = true;
  function list() { return document.querySelector("#chat > ol.chat-list:last-of-type"); }
  function atBottom(el) { return el.scrollHeight - el.scrollTop - el.clientHeight < 40; }
  document.addEventListener("scroll", function (event) {
    var el = list();
    if (el && event.target === el) { pinned = atBottom(el); }
  }, true);
  function settle() {
    var el = list();
    if (el && pinned) { el.scrollTop = el.scrollHeight; }
    if (sortByTime) { sortQuestions(); }
  }
  var sortByTime = false;
  function sortQuestions() {
    var questions = document.querySelector("#chat .question-list");
    if (!questions) { return; }
    var items = Array.prototype.slice.call(questions.children);
    items.sort(function (a, b) {
      return sortByTime ? Number(a.dataset.created) - Number(b.dataset.created)
                        : Number(b.dataset.upvotes) - Number(a.dataset.upvotes);
    });
    items.forEach(function (item) { questions.appendChild(item); });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if (target.matches("[data-sort-questions]")) {
      sortByTime = !sortByTime;
      target.textContent = sortByTime ? "Sort questions by votes" : "Sort questions by time";
      sortQuestions();
    } else if (target.matches(".reply")) {
      var form = document.querySelector("#chat-form form");
      if (!form) { return; }
      form.querySelector(".reply-to-field").value = target.dataset.replyTo;
      var note = form.querySelector(".replying-to");
      note.hidden = false;
      note.querySelector("span").textContent = "“" + target.dataset.replyText + "”";
      form.querySelector("textarea").focus();
    } else if (target.matches(".cancel-reply")) {
      var box = target.closest("form");
      box.querySelector(".reply-to-field").value = "";
      box.querySelector(".replying-to").hidden = true;
    }
  });
  document.addEventListener("DOMContentLoaded", settle);
  document.addEventListener("htmx:afterSettle", settle);
  document.addEventListener("htmx:oobAfterSwap", settle);
})();
