// httpstatus: instant search, keyboard shortcuts and copy buttons.
// The site works without this file; it only adds conveniences.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var box = document.getElementById("instant");

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (e.key === "/" && !typing && input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  if (input && box && window.fetch) {
    var timer = null, seq = 0, sel = -1;
    var links = function () { return box.querySelectorAll("a"); };
    var close = function () { box.hidden = true; box.textContent = ""; sel = -1; input.setAttribute("aria-expanded", "false"); };
    var mark = function () {
      var ls = links();
      for (var i = 0; i < ls.length; i++) ls[i].setAttribute("aria-selected", i === sel ? "true" : "false");
    };
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "instant");
    input.setAttribute("aria-expanded", "false");
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "Matching status codes");
    var show = function (q, results) {
      box.textContent = "";
      sel = -1;
      if (!results.length) { close(); return; }
      results.slice(0, 8).forEach(function (r) {
        var a = document.createElement("a");
        a.href = r.url;
        a.setAttribute("role", "option");
        a.className = "c" + String(r.code).charAt(0) + "xx";
        var b = document.createElement("strong");
        b.textContent = r.code;
        a.appendChild(b);
        a.appendChild(document.createTextNode(" " + r.name + (r.vendor ? " (" + r.vendor + ")" : "")));
        box.appendChild(a);
      });
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };
    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/search?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { if (mine === seq) show(q, data.results || []); })
          .catch(function () { close(); });
      }, 80);
    });
    input.addEventListener("keydown", function (e) {
      var ls = links();
      if (box.hidden || !ls.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); sel = (sel + 1) % ls.length; mark(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); sel = (sel - 1 + ls.length) % ls.length; mark(); }
      else if (e.key === "Enter" && sel >= 0) { e.preventDefault(); window.location.href = ls[sel].href; }
      else if (e.key === "Escape") { close(); }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) close(); });
  }

  if (navigator.clipboard) {
    document.querySelectorAll(".copyable").forEach(function (el) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy";
      b.textContent = "Copy";
      b.addEventListener("click", function () {
        var code = el.querySelector("pre");
        navigator.clipboard.writeText(code ? code.textContent : "").then(function () {
          b.textContent = "Copied";
          setTimeout(function () { b.textContent = "Copy"; }, 1500);
        });
      });
      el.appendChild(b);
    });
  }
})();

// On the 404 page, suggest codes that match the address, from /codes.json
// (which a static export serves too).
(function () {
  "use strict";
  var box = document.getElementById("suggest");
  if (!box || !window.fetch) return;
  var words = decodeURIComponent(window.location.pathname).toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (!words.length) return;
  fetch("/codes.json").then(function (r) { return r.json(); }).then(function (codes) {
    var scored = [];
    codes.forEach(function (c) {
      c.entries.forEach(function (e) {
        var hay = (c.code + " " + e.name + " " + (e.aliases || []).join(" ") + " " + (e.vendor || "")).toLowerCase();
        var s = 0;
        words.forEach(function (w) {
          if (w === String(c.code)) s += 10;
          else if (/^\d+$/.test(w) && w.length === 3 && w.charAt(0) === String(c.code).charAt(0)) s += 1;
          else if (w.length > 2 && hay.indexOf(w) >= 0) s += 3;
        });
        if (s > 0) scored.push({ s: s, c: c.code, name: e.name, vendor: e.vendor });
      });
    });
    scored.sort(function (a, b) { return b.s - a.s || a.c - b.c; });
    var list = box.querySelector("ul");
    scored.slice(0, 5).forEach(function (m) {
      var li = document.createElement("li");
      li.className = "c" + String(m.c).charAt(0) + "xx";
      var a = document.createElement("a");
      a.href = "/" + m.c;
      a.textContent = m.c + " " + m.name + (m.vendor ? " (" + m.vendor + ")" : "");
      li.appendChild(a);
      list.appendChild(li);
    });
    if (list.children.length) box.hidden = false;
  }).catch(function () {});
})();
