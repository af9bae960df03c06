// Client-side search. The index is a script (assets/search-index.js) that sets
// window.ppdocsSearchIndex; it is loaded on first use by adding a <script> element, which,
// unlike fetch, works from file:// and under SharePoint's script policy. Results are built
// with DOM methods and textContent only: indexed text is never parsed as HTML.
//
// A large site's index is split (see src/render/search.rs): the script then holds a manifest,
// and a search loads the term shards for its words, then the chunks of entries it ranks first.
(function () {
  "use strict";

  var DROPDOWN_LIMIT = 8;
  var PAGE_LIMIT = 200;
  // A word that starts words in more term shards than this is not looked up as a prefix.
  var SHARD_LIMIT = 8;
  // Candidates checked for a search, at least: bounds the chunks a vague query loads.
  var CHECK_LIMIT = 64;
  // Words as src/render/search.rs cuts them: runs of letters and digits.
  var NOT_WORD = /[^\p{Alphabetic}\p{N}]+/u;
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
  // Promises of the index ("index") and of a split index's parts ("e12", "t3").
  var loads = {};

  // Adds a <script>; if it fails, it is removed again.
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        script.remove();
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(script);
    });
  }

  // `load()` once, shared by every search; a failure is forgotten, so the next search retries.
  function once(key, load) {
    if (!loads[key]) {
      loads[key] = load().catch(function (error) {
        delete loads[key];
        throw error;
      });
    }
    return loads[key];
  }

  // The index: { entries } when it is one file, { split } when it is split.
  function loadIndex() {
    return once("index", function () {
      return loadScript(form.getAttribute("data-src")).then(function () {
        var loaded = window.ppdocsSearchIndex || { entries: [] };
        if (loaded.split) {
          return { split: loaded.split };
        }
        return { entries: loaded.entries.map(toEntry) };
      });
    });
  }

  // One part of a split index: "t3" is term shard 3, "e12" entry chunk 12.
  function loadPart(split, name) {
    return once(name, function () {
      return loadScript(root + split.dir + name + ".js").then(function () {
        var part = (window.ppdocsSearchParts || {})[name];
        if (!part) {
          throw new Error("search index part " + name + " is missing");
        }
        return part;
      });
    });
  }

  function toEntry(e, order) {
    return {
      kind: e[0],
      title: e[1],
      url: e[2],
      context: e[3],
      text: e[4],
      haystack: (e[1] + " " + e[3] + " " + e[4]).toLowerCase(),
      id: e[1].toLowerCase(),
      order: order
    };
  }

  // Every word must occur; an exact task ID or a word in the title ranks first. -1: no match.
  function score(entry, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      if (entry.haystack.indexOf(words[i]) < 0) {
        return -1;
      }
      if (entry.id === words[i]) {
        total += 100;
      } else if (entry.title.toLowerCase().indexOf(words[i]) >= 0) {
        total += 10;
      }
    }
    return total;
  }

  // Hits are { entry, score, rank }: by score, then (split index) rank, then the site's order.
  function best(hits, limit) {
    hits.sort(function (a, b) {
      return b.score - a.score || b.rank - a.rank || a.entry.order - b.entry.order;
    });
    return hits.slice(0, limit).map(function (h) { return h.entry; });
  }

  // The best `limit` entries for `query`.
  function find(query, limit) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return loadIndex().then(function (loaded) {
      if (!words.length) {
        return [];
      }
      if (loaded.split) {
        return findSplit(loaded.split, words, limit);
      }
      var hits = [];
      loaded.entries.forEach(function (entry) {
        var s = score(entry, words);
        if (s >= 0) {
          hits.push({ entry: entry, score: s, rank: 0 });
        }
      });
      return best(hits, limit);
    });
  }

  // The term shards that can hold words starting with `term`: the last shard that starts at
  // or before it (the one that would hold `term` itself), and those after it that start with
  // it.
  function shardsFor(split, term) {
    var shards = split.shards;
    var low = 0;
    var high = shards.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (shards[middle] <= term) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    var first = Math.max(low - 1, 0);
    var found = [first];
    for (var i = first + 1; i < shards.length && shards[i].lastIndexOf(term, 0) === 0; i++) {
      found.push(i);
    }
    return found;
  }

  // The entries with a word that starts with `lookup.term` (or, if `lookup.exact`, is it),
  // each with a weight: 2 if such a word is in its title, plus 1 if the word is the term
  // itself (so "paa" ranks PAA-01 above PAAB-01). null when one such word is in so many
  // entries that the index does not list them (`0`): the term then narrows nothing.
  function postings(split, lookup) {
    var term = lookup.term;
    return Promise.all(lookup.shards.map(function (i) { return loadPart(split, "t" + i); }))
      .then(function (shards) {
        var found = new Map();
        var common = false;
        shards.forEach(function (shard) {
          Object.keys(shard).forEach(function (word) {
            if (lookup.exact ? word !== term : word.lastIndexOf(term, 0) !== 0) {
              return;
            }
            if (shard[word] === 0) {
              common = true;
              return;
            }
            var exact = word === term ? 1 : 0;
            // Two lists, title words first, each of differences from the number before.
            shard[word].forEach(function (list, other) {
              var weight = (other ? 0 : 2) + exact;
              var n = 0;
              list.forEach(function (gap) {
                n += gap;
                if (!(found.get(n) >= weight)) {
                  found.set(n, weight);
                }
              });
            });
          });
        });
        return common ? null : found;
      });
  }

  // How many candidates a search checks at most.
  function checkLimit(limit) {
    return Math.max(CHECK_LIMIT, limit * 4);
  }

  // Candidates are the entries with every term (a word of the query, cut as the index cuts
  // words) at the start of one of their words, ranked by their weights; their chunks are
  // loaded in batches and checked as a whole index is, until `limit` match or
  // `checkLimit(limit)` candidates have been checked. A term that starts words in more than
  // SHARD_LIMIT shards is left to that check, unless every term does: each is then looked
  // up as a whole word, in the one shard that would hold it. Without any term to narrow by
  // (only symbols, or only words too common to list), the entries are checked in order.
  function findSplit(split, words, limit) {
    var terms = [];
    words.join(" ").split(NOT_WORD).forEach(function (term) {
      if (term && terms.indexOf(term) < 0) {
        terms.push(term);
      }
    });
    var lookups = split.shards.length ? terms.map(function (term) {
      return { term: term, shards: shardsFor(split, term), exact: false };
    }) : [];
    var narrow = lookups.filter(function (l) { return l.shards.length <= SHARD_LIMIT; });
    if (!narrow.length) {
      narrow = lookups.map(function (l) {
        return { term: l.term, shards: l.shards.slice(0, 1), exact: true };
      });
    }
    return Promise.all(narrow.map(function (l) { return postings(split, l); }))
      .then(function (found) {
        var lists = found.filter(function (list) { return list !== null; });
        var candidates = [];
        if (!lists.length) {
          var count = Math.min(split.entries, checkLimit(limit));
          for (var n = 0; n < count; n++) {
            candidates.push({ n: n, rank: 0 });
          }
          return checkCandidates(split, candidates, words, limit);
        }
        lists[0].forEach(function (weight, n) {
          var rank = 0;
          for (var i = 0; i < lists.length; i++) {
            if (!lists[i].has(n)) {
              return;
            }
            rank += lists[i].get(n);
          }
          candidates.push({ n: n, rank: rank });
        });
        candidates.sort(function (a, b) { return b.rank - a.rank || a.n - b.n; });
        return checkCandidates(split, candidates, words, limit);
      });
  }

  function checkCandidates(split, candidates, words, limit) {
    var hits = [];
    var next = 0;
    var batch = Math.max(limit, 16);
    function step() {
      var some = candidates.slice(next, next + batch);
      next += some.length;
      var chunks = [];
      some.forEach(function (c) {
        var chunk = Math.floor(c.n / split.chunk);
        if (chunks.indexOf(chunk) < 0) {
          chunks.push(chunk);
        }
      });
      return Promise.all(chunks.map(function (chunk) { return loadPart(split, "e" + chunk); }))
        .then(function (loaded) {
          some.forEach(function (c) {
            var chunk = loaded[chunks.indexOf(Math.floor(c.n / split.chunk))];
            var entry = toEntry(chunk[c.n % split.chunk], c.n);
            var s = score(entry, words);
            if (s >= 0) {
              hits.push({ entry: entry, score: s, rank: c.rank });
            }
          });
          var done = next >= candidates.length || next >= checkLimit(limit);
          return hits.length >= limit || done ? best(hits, limit) : step();
        });
    }
    return step();
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

  function showResults(container, query, hits) {
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

  function showFailure(container) {
    showMessage(container, "The search index could not be loaded.");
  }

  function update() {
    var query = input.value.trim();
    if (!query) {
      panel.hidden = true;
      panel.textContent = "";
      return;
    }
    // A search that ends after the reader typed on shows nothing, found or failed.
    find(query, DROPDOWN_LIMIT).then(function (hits) {
      if (input.value.trim() === query) {
        showResults(panel, query, hits);
      }
    }, function () {
      if (input.value.trim() === query) {
        showFailure(panel);
      }
    });
  }

  function hits() {
    return Array.prototype.slice.call(panel.querySelectorAll("a.search-hit"));
  }

  input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
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
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    input.value = query;
    if (query) {
      find(query, PAGE_LIMIT).then(function (found) {
        showResults(page, query, found);
      }, function () {
        showFailure(page);
      });
    } else {
      showMessage(page, "Type in the search box above.");
    }
  }
})();
