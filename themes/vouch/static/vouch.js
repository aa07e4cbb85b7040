// The theme's only script: the list filters (controls, FAQ) and the site
// search. Works offline from file://: no network request, no library, no
// inline code (the pages' Content-Security-Policy allows 'self' scripts
// only). Without JavaScript every page still shows everything.
(function () {
  "use strict";

  function initialQuery() {
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q");
    if (!q && window.location.hash.indexOf("#q=") === 0) {
      q = decodeURIComponent(window.location.hash.slice(3).replace(/\+/g, " "));
    }
    return q || "";
  }

  // Keeps the query in the address bar so a filtered view can be shared.
  function remember(value) {
    try {
      var url = new URL(window.location.href);
      if (value) {
        url.searchParams.set("q", value);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url.toString());
    } catch (e) {
      // file:// pages may refuse history changes; filtering still works.
    }
  }

  function terms(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  // ---- List filter: [data-filter] box, [data-filter-row] items, grouped by
  // [data-filter-group]; <details data-filter-details> open while filtering.
  function setupFilter(box) {
    var input = box.querySelector("input");
    if (!input) {
      return;
    }
    var noun = box.getAttribute("data-noun") || "items";
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-filter-row]"));
    var texts = rows.map(function (row) { return row.textContent.replace(/\s+/g, " ").toLowerCase(); });
    var keys = rows.map(function (row, i) { return row.getAttribute("data-key") || String(i); });
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-filter-group]"));
    var details = Array.prototype.slice.call(document.querySelectorAll("details[data-filter-details]"));
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    var empty = document.querySelector(".empty[id$='filter-empty']");
    var total = distinct(keys);

    function distinct(list) {
      var seen = {};
      var n = 0;
      list.forEach(function (k) {
        if (!seen[k]) {
          seen[k] = true;
          n += 1;
        }
      });
      return n;
    }

    function apply() {
      var wanted = terms(input.value);
      var shownKeys = [];
      rows.forEach(function (row, i) {
        var match = wanted.every(function (t) { return texts[i].indexOf(t) !== -1; });
        row.hidden = !match;
        if (match) {
          shownKeys.push(keys[i]);
        }
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-filter-row]:not([hidden])");
      });
      details.forEach(function (d) {
        if (wanted.length) {
          d.open = true;
        } else if (d.hasAttribute("data-was-opened-by-filter")) {
          d.open = false;
        }
        if (wanted.length) {
          d.setAttribute("data-was-opened-by-filter", "");
        } else {
          d.removeAttribute("data-was-opened-by-filter");
        }
      });
      var shown = distinct(shownKeys);
      if (status) {
        status.textContent = wanted.length
          ? shown + " of " + total + " " + noun + " match"
          : total + " " + noun;
      }
      if (empty) {
        empty.hidden = shown !== 0;
      }
    }

    // The box is hidden until this script runs: without JavaScript the full
    // list shows and no dead control is offered.
    box.hidden = false;
    input.value = initialQuery();
    input.addEventListener("input", function () {
      apply();
      remember(input.value);
    });
    apply();
  }

  // ---- Site search over search-index.js (window.VOUCH_SEARCH), loaded on
  // first use. Entries: [kind, title, path, words, note?].
  var index = null;
  var waiting = [];

  // The site's root: base_url, or with `vouch build --relative` a relative
  // link to the root's index.html ("index.html", "../index.html").
  function siteRoot() {
    var meta = document.querySelector("meta[name='vouch-base']");
    var content = meta ? meta.getAttribute("content") : "";
    var root = content.replace(/index\.html$/, "").replace(/\/+$/, "");
    var relative = meta && !/^[a-z][a-z0-9+.-]*:/i.test(content);
    return root === "" && relative ? "." : root;
  }

  // A site path as a link; from disk (file://) a folder URL names its
  // index.html, as the site's own links do.
  function href(path) {
    var base = siteRoot();
    var rest = path;
    var hashAt = rest.search(/[?#]/);
    var dir = hashAt === -1 ? rest : rest.slice(0, hashAt);
    var tail = hashAt === -1 ? "" : rest.slice(hashAt);
    var fromDisk = base.indexOf("file:") === 0 || window.location.protocol === "file:";
    if (fromDisk && (dir === "" || dir.slice(-1) === "/")) {
      dir += "index.html";
    }
    return base + "/" + dir + tail;
  }

  function loadIndex(done) {
    if (index) {
      done(index);
      return;
    }
    waiting.push(done);
    if (waiting.length > 1) {
      return;
    }
    var script = document.createElement("script");
    script.src = href("search-index.js");
    script.onload = function () {
      index = window.VOUCH_SEARCH || { kinds: [], docs: [] };
      index.lower = index.docs.map(function (d) {
        return { title: d[1].toLowerCase(), words: (d[1] + " " + d[3]).toLowerCase().split(/[^\p{L}\p{N}.-]+/u) };
      });
      waiting.forEach(function (f) { f(index); });
      waiting = [];
    };
    document.head.appendChild(script);
  }

  // Every query term must start a word of the item; title hits rank first.
  function search(idx, query) {
    var wanted = terms(query).map(function (t) { return t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""); }).filter(Boolean);
    if (!wanted.length) {
      return [];
    }
    var hits = [];
    idx.docs.forEach(function (doc, i) {
      var low = idx.lower[i];
      var score = 0;
      for (var t = 0; t < wanted.length; t += 1) {
        var term = wanted[t];
        var found = false;
        for (var w = 0; w < low.words.length; w += 1) {
          if (low.words[w].indexOf(term) === 0) {
            found = true;
            score += low.words[w] === term ? 2 : 1;
            break;
          }
        }
        if (!found) {
          return;
        }
        if (low.title.indexOf(term) !== -1) {
          score += 3;
        }
      }
      hits.push({ doc: doc, score: score, order: i });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits;
  }

  function setupSearch(box) {
    var input = box.querySelector("input[type='search']");
    var list = box.querySelector("[data-search-results]");
    var status = box.querySelector(".search-status");
    if (!input || !list) {
      return;
    }
    var limit = 40;

    function render(idx) {
      var query = input.value.trim();
      list.textContent = "";
      if (!query) {
        list.hidden = true;
        status.textContent = "";
        return;
      }
      var hits = search(idx, query);
      hits.slice(0, limit).forEach(function (hit) {
        var doc = hit.doc;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = href(doc[2]);
        a.textContent = doc[1];
        var kind = document.createElement("span");
        kind.className = "result-kind";
        kind.textContent = idx.kinds[doc[0]] || "";
        li.appendChild(kind);
        li.appendChild(a);
        if (doc[4]) {
          var note = document.createElement("span");
          note.className = "result-note";
          note.textContent = doc[4];
          li.appendChild(note);
        }
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      status.textContent = hits.length === 0
        ? "No results for \u201c" + query + "\u201d."
        : (hits.length > limit ? "Showing " + limit + " of " + hits.length : hits.length) +
          " result" + (hits.length === 1 ? "" : "s") + " for \u201c" + query + "\u201d.";
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { loadIndex(render); }, 80);
    });
    input.addEventListener("focus", function () { loadIndex(function () {}); });
    var q = initialQuery();
    // `?q=` opens a page with results shown (the controls and FAQ pages use
    // it for their filter instead).
    if (q && !document.querySelector("[data-filter]")) {
      input.value = q;
    }
    if (input.value) {
      loadIndex(render);
    }
  }

  function start() {
    Array.prototype.slice.call(document.querySelectorAll("[data-filter]")).forEach(setupFilter);
    Array.prototype.slice.call(document.querySelectorAll("[data-search]")).forEach(setupSearch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
