// vouch serve: live reload. Loaded as an external script (the theme's CSP
// allows scripts from 'self' only), it long-polls the server by loading
// /__vouch/wait.js as a script, which calls __vouchLivereload(version, error)
// once the site was rebuilt: the page reloads, or shows the build error.
(function () {
  "use strict";
  var me = document.currentScript;
  var match = /[?&]v=(\d+)/.exec(me ? me.src : "");
  var version = match ? Number(match[1]) : -1;
  var overlay = null;

  function poll(now) {
    var s = document.createElement("script");
    s.src = "/__vouch/wait.js?v=" + version + (now ? "&now=1" : "") + "&t=" + Date.now();
    s.onload = function () { s.remove(); };
    s.onerror = function () { s.remove(); setTimeout(function () { poll(true); }, 1000); };
    document.head.appendChild(s);
  }

  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.id = "vouch-build-error";
      var st = overlay.style;
      st.position = "fixed"; st.left = "0"; st.right = "0"; st.bottom = "0";
      st.maxHeight = "50vh"; st.overflow = "auto"; st.margin = "0";
      st.padding = "1em"; st.zIndex = "2147483647"; st.whiteSpace = "pre-wrap";
      st.background = "#2b0b0b"; st.color = "#ffd9d9"; st.font = "13px/1.4 monospace";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "vouch serve: the site could not be rebuilt\n\n" + message;
  }

  window.__vouchLivereload = function (v, error) {
    if (error) {
      showError(error);
      version = v;
      poll(false);
      return;
    }
    if (v !== version) {
      location.reload();
      return;
    }
    poll(false);
  };

  // Start after the load event: a pending script request would otherwise
  // hold the page in "loading" for as long as the poll is held open.
  if (document.readyState === "complete") {
    poll(true);
  } else {
    window.addEventListener("load", function () { poll(true); });
  }
})();
