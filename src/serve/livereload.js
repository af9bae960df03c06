// ppdocs serve: reloads the page when the site is rebuilt, swaps stylesheets when only CSS
// changed, and shows build errors over the page until the next good save.
(function () {
  "use strict";
  var overlayId = "ppdocs-error-overlay";

  function clearOverlay() {
    var overlay = document.getElementById(overlayId);
    if (overlay) {
      overlay.remove();
    }
  }

  function showOverlay(text) {
    clearOverlay();
    var overlay = document.createElement("div");
    overlay.id = overlayId;
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.92);color:#fff;font:14px/1.5 ui-monospace,Consolas,monospace";
    var title = document.createElement("p");
    title.style.cssText = "font:bold 18px system-ui,sans-serif;color:#ff8a8a;margin:0 0 1rem";
    title.textContent = "ppdocs: the last save has errors; showing the last good build underneath.";
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = text;
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }

  function reloadStyles() {
    var stamp = Date.now();
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("ppdocs", stamp);
      link.href = url.toString();
    });
  }

  var source = new EventSource("/__ppdocs/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("styles", function () { clearOverlay(); reloadStyles(); });
  source.addEventListener("failed", function (event) { showOverlay(event.data); });
}());
