// Presenter keyboard shortcuts (as in Wooclap): Space open/close voting, Enter show/hide
// results, arrows previous/next, Q big QR code, F full screen.
(function () {
  "use strict";
  function root() { return document.querySelector(".presenter-root"); }
  function stage() { return document.getElementById("stage"); }
  function post(path) {
    var r = root();
    return fetch("/console/" + r.dataset.workshopId + path, {
      method: "POST",
      headers: { "X-CSRF-Token": r.dataset.csrf, "HX-Request": "true" },
      credentials: "same-origin"
    });
  }
  function activityPath(action) {
    var s = stage();
    var id = s && s.dataset.activityId;
    return id ? post("/activities/" + id + "/" + action) : null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.target && /INPUT|TEXTAREA|SELECT/.test(event.target.tagName)) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var s = stage();
    var overlay = document.getElementById("qr-overlay");
    switch (event.key) {
      case " ":
        event.preventDefault();
        if (s && s.dataset.activityId) { activityPath(s.dataset.state === "open" ? "close" : "open"); }
        break;
      case "Enter":
        event.preventDefault();
        if (s && s.dataset.activityId) { activityPath(s.dataset.resultsVisible === "true" ? "hide" : "reveal"); }
        break;
      case "ArrowRight": case "PageDown": post("/next"); break;
      case "ArrowLeft": case "PageUp": post("/previous"); break;
      case "q": case "Q": if (overlay) { overlay.hidden = !overlay.hidden; } break;
      case "Escape": if (overlay) { overlay.hidden = true; } break;
      case "f": case "F":
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
        break;
      default: return;
    }
  });
})();
