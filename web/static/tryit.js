// httpstatus: the "Try it" section of a code page. It puts this page's own
// address in the curl command, and adds a button that sends the request
// from the page and shows the status, headers and body that came back.
// The section reads well without this file.
(function () {
  "use strict";
  var box = document.getElementById("tryit");
  if (!box) return;
  var code = box.getAttribute("data-code");
  var path = box.getAttribute("data-path");
  var cmd = box.querySelector("[data-origin]");
  if (cmd && /^https?:$/.test(window.location.protocol)) {
    cmd.textContent = cmd.textContent.split(cmd.getAttribute("data-origin")).join(window.location.origin);
  }
  if (!window.fetch || !code || !path) return;

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "Send GET " + path;
  var out = document.createElement("pre");
  out.className = "tryit-out";
  out.hidden = true;
  out.tabIndex = 0;
  var live = document.createElement("p");
  live.className = "vh";
  live.setAttribute("aria-live", "polite");
  var p = document.createElement("p");
  p.appendChild(button);
  box.appendChild(p);
  box.appendChild(live);
  box.appendChild(out);

  var notes = function (r) {
    var n = [];
    var c = Number(code);
    if (r.redirected) {
      n.push("The browser followed the redirect to " + r.url + ": a script never sees the 3xx itself. curl -i shows it.");
    }
    if (c === 101) {
      n.push("A browser does not hand a 101 to a script: whatever it reports here is not what the server sent. curl -i shows the real response.");
    } else if (c >= 100 && c <= 199) {
      n.push("Browsers do not show a script the interim " + code + " response, only the final one. curl -i shows both.");
    }
    if (r.status === 404 && c !== 404) {
      n.push("This host does not seem to run the live endpoint (a static copy of the guide?): run httpstatus serve.");
    }
    return n.length ? "\n\n# " + n.join("\n# ") : "";
  };

  var show = function (text, summary) {
    out.textContent = text;
    out.hidden = false;
    live.textContent = summary;
  };

  button.addEventListener("click", function () {
    button.disabled = true;
    show("Sending GET " + path + " ...", "Sending the request.");
    fetch(path, { cache: "no-store", credentials: "omit", headers: { Accept: "text/plain" } })
      .then(function (r) {
        return r.text().then(function (body) {
          var lines = ["HTTP " + r.status + (r.statusText ? " " + r.statusText : "")];
          r.headers.forEach(function (value, name) { lines.push(name + ": " + value); });
          if (body.length > 2000) body = body.slice(0, 2000) + "\n[...]";
          body = body.replace(/\n$/, "");
          show(lines.join("\n") + "\n\n" + body + notes(r), "Response: status " + r.status + ".");
        });
      })
      .catch(function () {
        show("The browser reported a network error instead of a response (browsers do so for 101 and 407, for example).\n" +
          "curl -i shows what the server sends.", "No response: network error.");
      })
      .then(function () { button.disabled = false; });
  });
})();
