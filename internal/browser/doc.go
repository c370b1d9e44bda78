// Package browser holds the real-browser tests of the web site. They run
// with the integration tests ("make integration", build tag integration):
// they start the site with server.New on 127.0.0.1, drive Debian's
// chromium through the DevTools protocol (chromedp), and check every page
// type for console errors, CSP violations, requests to other hosts and
// horizontal overflow on a 320 px phone; run axe-core on the main page
// types in light and dark mode; use the instant search by keyboard; read
// pages with JavaScript off; check the copy buttons; and validate the HTML
// with html-validate. Screenshots at 390 px and 1280 px, in both colour
// schemes, go to out/screenshots/ at the root of the repository.
//
// The tools are pinned: chromedp in go.mod, axe-core and html-validate in
// package.json and package-lock.json (installed by scripts/deps.sh with
// npm ci). The package has no code of its own.
package browser
