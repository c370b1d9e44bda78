// httpstatus: instant search, keyboard shortcuts, copy buttons and the
// suggestions of the 404 page. Every page works without this file; it only
// adds conveniences. No framework, no inline script (the CSP forbids it).
(function () {
  "use strict";

  // A polite live region, for what sighted users see change.
  var live = document.createElement("div");
  live.className = "vh";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);
  var say = function (text) { live.textContent = text; };

  var classOf = function (code) { return "c" + String(code).charAt(0) + "xx"; };

  // "/" focuses the search box from anywhere but a text field.
  var input = document.getElementById("q");
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey && input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  // Instant search: results from /search (the same ranking as the results
  // page and the command line) in a listbox under the box, as one types.
  // The input stays focused; arrows move the active option
  // (aria-activedescendant), Enter opens it, or submits the form when none
  // is active, Escape closes the list.
  var box = document.getElementById("instant");
  if (input && box && window.fetch) {
    var form = input.form;
    var timer = null, seq = 0, active = -1, ctrl = null, last = "", initial = input.value;
    var options = function () { return box.querySelectorAll("[role=option]"); };
    var mark = function () {
      var os = options();
      for (var i = 0; i < os.length; i++) os[i].setAttribute("aria-selected", i === active ? "true" : "false");
      if (active >= 0 && os[active]) {
        input.setAttribute("aria-activedescendant", os[active].id);
        os[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    var close = function () {
      box.hidden = true;
      box.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "instant");
    input.setAttribute("aria-expanded", "false");
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "Matching status codes and guides");

    var option = function (href, code, name, vendor) {
      var a = document.createElement("a");
      a.href = href;
      a.id = "instant-" + box.children.length;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
      a.className = code ? classOf(code) : "guide";
      if (code) {
        var b = document.createElement("strong");
        b.textContent = code;
        a.appendChild(b);
        a.appendChild(document.createTextNode(" "));
      }
      a.appendChild(document.createTextNode(name));
      if (vendor) {
        var tag = document.createElement("span");
        tag.className = "tag";
        a.appendChild(document.createTextNode(" "));
        tag.textContent = vendor;
        a.appendChild(tag);
      }
      box.appendChild(a);
    };

    var show = function (q, results) {
      box.textContent = "";
      box.setAttribute("data-query", q); // which query the list answers
      active = -1;
      var n = Math.min(results.length, 8);
      for (var i = 0; i < n; i++) {
        // A guide has no code; its tag says what it is.
        option(results[i].url, results[i].code, results[i].name, results[i].guide ? "Guide" : results[i].vendor);
      }
      if (!box.children.length) {
        close();
        say("No status code matches " + q + ".");
        return;
      }
      if (results.length > n) {
        option(form.action.split("?")[0] + "?q=" + encodeURIComponent(q), "", "All " + results.length + " results", "");
        box.lastChild.className = "more";
      }
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark();
      say(results.length === 1 ? "1 result." : results.length + " results.");
    };

    var run = function () {
      var q = input.value.trim();
      if (q === last && !box.hidden) return;
      last = q;
      if (!q) { close(); return; }
      var mine = ++seq;
      if (ctrl && ctrl.abort) ctrl.abort();
      ctrl = window.AbortController ? new AbortController() : null;
      fetch("/search?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, signal: ctrl ? ctrl.signal : undefined })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq && document.activeElement === input) show(q, data.results || []); })
        .catch(function () { if (mine === seq) close(); });
    };

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    // Coming back to a box that holds a new query shows its results again;
    // the query a results page was opened with does not need them.
    input.addEventListener("focus", function () { if (input.value.trim() && input.value !== initial) { last = ""; run(); } });
    input.addEventListener("keydown", function (e) {
      var os = options();
      if (e.key === "Escape") {
        if (!box.hidden) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ""; last = ""; }
        return;
      }
      if (box.hidden || !os.length) {
        if (e.key === "ArrowDown" && input.value.trim()) { e.preventDefault(); last = ""; run(); }
        return;
      }
      if (e.key === "ArrowDown") { e.preventDefault(); active = (active + 1) % os.length; mark(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); active = active <= 0 ? os.length - 1 : active - 1; mark(); }
      else if (e.key === "Home" && active >= 0) { e.preventDefault(); active = 0; mark(); }
      else if (e.key === "End" && active >= 0) { e.preventDefault(); active = os.length - 1; mark(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.assign(os[active].href); }
      else if (e.key === "Tab") { close(); }
    });
    box.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the focus in the box
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }

  // Copy buttons on every .copyable block (the example response, the curl
  // command of "Try it"). The text is read when clicked, so a script that
  // rewrites the block first (tryit.js puts in this host) is copied as shown.
  var copyText = function (text, pre) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      // Outside a secure context: select the text and use the old command.
      var range = document.createRange();
      range.selectNodeContents(pre);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      if (ok) { sel.removeAllRanges(); resolve(); } else { reject(new Error("copy")); }
    });
  };
  var headingBefore = function (el) {
    for (var n = el.previousElementSibling; n; n = n.previousElementSibling) {
      if (/^H[1-6]$/.test(n.tagName)) return n.textContent.trim();
    }
    var sec = el.closest("section, article");
    var h = sec && sec.querySelector("h2, h3");
    return h ? h.textContent.trim() : "";
  };
  var copyables = document.querySelectorAll(".copyable");
  for (var i = 0; i < copyables.length; i++) {
    (function (el) {
      var pre = el.querySelector("pre");
      if (!pre) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy";
      b.textContent = "Copy";
      var what = el.getAttribute("data-copy-label") || headingBefore(el);
      if (what) b.setAttribute("aria-label", "Copy: " + what);
      b.addEventListener("click", function () {
        copyText(pre.textContent, pre).then(function () {
          b.textContent = "Copied";
          b.setAttribute("data-done", "");
          say("Copied to the clipboard.");
        }, function () {
          b.textContent = "Press Ctrl+C";
          say("Could not copy: the text is selected, press Control C to copy it.");
        });
        setTimeout(function () { b.textContent = "Copy"; b.removeAttribute("data-done"); }, 2000);
      });
      el.appendChild(b);
    })(copyables[i]);
  }
})();

// On the 404 page, suggest codes and guides that match the address: from
// /search when the guide's own server answers, otherwise (a static copy)
// codes from /codes.json with a simple word match.
(function () {
  "use strict";
  var box = document.getElementById("suggest");
  if (!box || !window.fetch) return;
  var path = window.location.pathname;
  try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
  var words = path.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (!words.length) return;
  var list = box.querySelector("ul");
  // A code's row leads with its number in the colour of its class; a
  // guide's (it has no code) with a Guide tag, as on the results page.
  var add = function (href, code, name, vendor) {
    var li = document.createElement("li");
    li.className = code ? "c" + String(code).charAt(0) + "xx" : "guide";
    var a = document.createElement("a");
    a.href = href;
    var b = document.createElement(code ? "strong" : "span");
    if (!code) b.className = "tag";
    b.textContent = code || "Guide";
    a.appendChild(b);
    a.appendChild(document.createTextNode(" " + name + (vendor ? " (" + vendor + ")" : "")));
    li.appendChild(a);
    list.appendChild(li);
  };
  // The section keeps its place, reserved by the style sheet, whether or
  // not suggestions come: showing them moves nothing on the page.
  var done = function () { if (list.children.length) box.classList.add("ready"); };
  var fromCatalog = function () {
    return fetch("/codes.json").then(function (r) { return r.json(); }).then(function (data) {
      var scored = [];
      (data.codes || []).forEach(function (c) {
        c.entries.forEach(function (e) {
          var hay = (c.code + " " + e.name + " " + (e.aliases || []).join(" ") + " " + (e.vendor || "")).toLowerCase();
          var s = 0;
          words.forEach(function (w) {
            if (w === String(c.code)) s += 10;
            else if (/^\d{3}$/.test(w) && w.charAt(0) === String(c.code).charAt(0)) s += 1;
            else if (w.length > 2 && hay.indexOf(w) >= 0) s += 3;
          });
          if (s > 0) scored.push({ s: s, c: c.code, name: e.name, vendor: e.vendor });
        });
      });
      scored.sort(function (a, b) { return b.s - a.s || a.c - b.c; });
      scored.slice(0, 5).forEach(function (m) { add("/" + m.c, m.c, m.name, m.vendor); });
    });
  };
  fetch("/search?q=" + encodeURIComponent(words.join(" ")), { headers: { Accept: "application/json" } })
    .then(function (r) {
      var json = r.ok && (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) return fromCatalog();
      return r.json().then(function (data) {
        (data.results || []).slice(0, 5).forEach(function (m) { add(m.url, m.code, m.name, m.vendor); });
      });
    })
    .then(done, function () { fromCatalog().then(done, function () {}); });
})();
