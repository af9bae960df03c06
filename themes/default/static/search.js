// Client-side search. The index is a script (assets/search-index.js) that sets
// window.ppdocsSearchIndex; it is loaded on first use by adding a <script> element, which,
// unlike fetch, works from file:// and under SharePoint's script policy. Results are built
// with DOM methods and textContent only: indexed text is never parsed as HTML.
(function () {
  "use strict";

  var DROPDOWN_LIMIT = 8;
  var PAGE_LIMIT = 200;
  var KIND_LABELS = {
    checklist: "Checklist",
    section: "Section",
    task: "Task",
    record: "Evidence",
    training: "Training",
    page: "Page"
  };

  var form = document.querySelector("form.search");
  if (!form) {
    return;
  }
  var input = form.querySelector(".search-input");
  var panel = form.querySelector(".search-results");
  var root = form.getAttribute("data-root") || "";
  var entries = null;
  var waiting = [];

  function loadIndex(then) {
    if (entries) {
      then();
      return;
    }
    waiting.push(then);
    if (waiting.length > 1) {
      return;
    }
    var script = document.createElement("script");
    script.src = form.getAttribute("data-src");
    script.onload = function () {
      var index = window.ppdocsSearchIndex || { entries: [] };
      entries = index.entries.map(function (e) {
        return {
          kind: e[0],
          title: e[1],
          url: e[2],
          context: e[3],
          text: e[4],
          haystack: (e[1] + " " + e[3] + " " + e[4]).toLowerCase(),
          id: e[1].toLowerCase()
        };
      });
      var pending = waiting;
      waiting = [];
      pending.forEach(function (f) { f(); });
    };
    script.onerror = function () {
      waiting = [];
      showMessage(panel, "The search index could not be loaded.");
    };
    document.head.appendChild(script);
  }

  // Every word must occur; an exact task ID or a word in the title ranks first.
  function search(query, limit) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) {
      return [];
    }
    var hits = [];
    entries.forEach(function (entry, order) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        if (entry.haystack.indexOf(words[i]) < 0) {
          return;
        }
        if (entry.id === words[i]) {
          score += 100;
        } else if (entry.title.toLowerCase().indexOf(words[i]) >= 0) {
          score += 10;
        }
      }
      hits.push({ entry: entry, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits.slice(0, limit).map(function (h) { return h.entry; });
  }

  function resultItem(entry) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + entry.url;
    link.className = "search-hit";
    var kind = document.createElement("span");
    kind.className = "search-kind search-kind-" + entry.kind;
    kind.textContent = KIND_LABELS[entry.kind] || entry.kind;
    var title = document.createElement("span");
    title.className = "search-title";
    title.textContent = entry.kind === "task" ? entry.title + " · " + entry.text : entry.title;
    link.appendChild(kind);
    link.appendChild(title);
    if (entry.context) {
      var context = document.createElement("span");
      context.className = "search-context";
      context.textContent = entry.context;
      link.appendChild(context);
    }
    if (entry.text && entry.kind !== "task") {
      var text = document.createElement("span");
      text.className = "search-text";
      text.textContent = entry.text;
      link.appendChild(text);
    }
    item.appendChild(link);
    return item;
  }

  function showMessage(container, message) {
    container.textContent = "";
    var p = document.createElement("p");
    p.className = "search-empty";
    p.textContent = message;
    container.appendChild(p);
    container.hidden = false;
  }

  function showResults(container, query, limit) {
    var hits = search(query, limit);
    if (!hits.length) {
      showMessage(container, "No results for “" + query + "”.");
      return;
    }
    container.textContent = "";
    var list = document.createElement("ul");
    list.className = "search-hits";
    hits.forEach(function (entry) { list.appendChild(resultItem(entry)); });
    container.appendChild(list);
    container.hidden = false;
  }

  function update() {
    var query = input.value.trim();
    if (!query) {
      panel.hidden = true;
      panel.textContent = "";
      return;
    }
    loadIndex(function () {
      if (input.value.trim() === query) {
        showResults(panel, query, DROPDOWN_LIMIT);
      }
    });
  }

  function hits() {
    return Array.prototype.slice.call(panel.querySelectorAll("a.search-hit"));
  }

  input.addEventListener("focus", function () { loadIndex(function () {}); });
  input.addEventListener("input", update);
  form.addEventListener("keydown", function (event) {
    var links = hits();
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && links.length) {
      event.preventDefault();
      if (at <= 0) {
        input.focus();
      } else {
        links[at - 1].focus();
      }
    } else if (event.key === "Escape") {
      panel.hidden = true;
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) {
      panel.hidden = true;
    }
  });

  // The results page: the form's action, with ?q=...
  var page = document.querySelector("[data-search-page]");
  if (page) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    if (query.trim()) {
      loadIndex(function () { showResults(page, query.trim(), PAGE_LIMIT); });
    } else {
      showMessage(page, "Type in the search box above.");
    }
  }
})();
