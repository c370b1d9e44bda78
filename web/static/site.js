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
