// The theme's behaviour: the light/dark toggle and the phone menu.
// Loaded synchronously in <head> so a stored colour scheme applies before the first paint
// (no flash of the wrong theme). Without JavaScript the page follows the system's scheme,
// the toggle stays hidden and the menu stays open: everything still works.
(function () {
  "use strict";
  var KEY = "ppdocs-theme";
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null; // Storage blocked (privacy settings, some intranet policies).
    }
  }

  function remember(value) {
    try {
      window.localStorage.setItem(KEY, value);
    } catch (e) {
      // The choice then lasts for this page only.
    }
  }

  var choice = stored();
  if (choice) {
    root.setAttribute("data-theme", choice);
  }

  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() {
    var theme = root.getAttribute("data-theme");
    return theme ? theme === "dark" : systemDark.matches;
  }

  function setUpToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) {
      return;
    }
    function show() {
      button.setAttribute("aria-pressed", isDark() ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      remember(next);
      show();
    });
    systemDark.addEventListener("change", show);
    show();
    button.hidden = false;
  }

  // The sidebar is a <details> that is open in the HTML; on narrow screens it starts closed
  // behind its "Menu" summary, and opens again when the window grows wide.
  function setUpMenu() {
    var drawer = document.getElementById("nav-drawer");
    if (!drawer) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 56rem)");
    function fit() {
      drawer.open = !narrow.matches;
    }
    narrow.addEventListener("change", fit);
    fit();
  }

  function ready() {
    setUpToggle();
    setUpMenu();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
