// Client-side filter for the controls page. Works offline from file://:
// no network request, no library. Reads ?q= or #q= on load so a link
// (or a headless browser test) can open the page pre-filtered.
(function () {
  "use strict";
  var input = document.getElementById("control-filter");
  if (!input) {
    return;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-filter-row]"));
  // The text each row is matched against, computed once.
  var texts = rows.map(function (row) { return row.textContent.replace(/\s+/g, " ").toLowerCase(); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-filter-group]"));
  var status = document.getElementById("filter-status");
  var empty = document.getElementById("filter-empty");

  function initialQuery() {
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q");
    if (!q && window.location.hash.indexOf("#q=") === 0) {
      q = decodeURIComponent(window.location.hash.slice(3).replace(/\+/g, " "));
    }
    return q || "";
  }

  function apply() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var text = texts[i];
      var match = terms.every(function (t) { return text.indexOf(t) !== -1; });
      if (match) {
        row.removeAttribute("hidden");
        shown += 1;
      } else {
        row.setAttribute("hidden", "");
      }
    });
    groups.forEach(function (group) {
      if (group.querySelector("[data-filter-row]:not([hidden])")) {
        group.removeAttribute("hidden");
      } else {
        group.setAttribute("hidden", "");
      }
    });
    if (status) {
      status.textContent = terms.length
        ? shown + " of " + rows.length + " controls match"
        : rows.length + " controls";
    }
    if (empty) {
      empty.hidden = shown !== 0;
    }
  }

  // Keeps the query in the address bar so a filtered view can be shared.
  function remember() {
    try {
      var url = new URL(window.location.href);
      if (input.value) {
        url.searchParams.set("q", input.value);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url.toString());
    } catch (e) {
      // file:// pages may refuse history changes; filtering still works.
    }
  }

  // The box is hidden until this script runs: without JavaScript the full
  // list shows and no dead control is offered.
  var box = document.getElementById("control-filter-box");
  if (box) {
    box.hidden = false;
  }
  input.value = initialQuery();
  input.addEventListener("input", function () {
    apply();
    remember();
  });
  apply();
})();
