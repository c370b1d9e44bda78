//go:build integration

package browser_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
	"github.com/httpstatus/httpstatus/web"
)

// pageCase is one page type of the site.
type pageCase struct {
	name   string // names its screenshots
	path   string
	status int    // of the document
	ready  string // JavaScript that is true once the page's own scripts are done
	axe    bool   // run axe-core on it
}

var pages = []pageCase{
	{"home", "/", 200, "", true},
	{"class-5xx", "/5xx", 200, "", true},
	{"code-503", "/503", 200, copyReady, true},
	{"code-499", "/499", 200, copyReady, true}, // two meanings
	{"code-299", "/299", 200, "", false},       // no meaning assigned
	{"search", "/search?q=gateway+timeout", 200, "", true},
	{"search-none", "/search?q=zzqxv", 200, "", false},
	{"search-empty", "/search", 200, "", false},
	{"404", "/no-such-page/gateway-timeout", 404, "document.getElementById('suggest').classList.contains('ready')", true},
	// A mistyped guide's address suggests the guide, tagged as one.
	{"404-guide", "/guides/redirect-permanent-or-temporary", 404, "document.getElementById('suggest').classList.contains('ready') && document.querySelector('#suggest li.guide a[href=\"/guides/redirects\"] .tag') !== null", true},
	{"guides", "/guides", 200, "", true},
	{"guide-decision", "/guides/choosing-a-status", 200, "", true}, // questions, diagram
	{"guide-redirects", "/guides/redirects", 200, "", true},        // a comparison table
	{"clients", "/clients", 200, "", true},                         // every scenario × client
	{"code-302", "/302", 200, copyReady, true},                     // What clients do: four scenarios
}

// copyReady is true once site.js has put a copy button on every
// .copyable block.
const copyReady = "document.querySelectorAll('.copyable').length > 0 && document.querySelectorAll('.copyable .copy').length === document.querySelectorAll('.copyable').length"

// cspWatch records the CSP violations a page reports to itself, and adds up
// its layout shifts (its cumulative layout shift, CLS) in window.__cls; it
// is added to every document before the page's own scripts run.
const cspWatch = `window.__csp = []; document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });
window.__cls = 0; if (window.PerformanceObserver) { new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { if (!e.hadRecentInput) window.__cls += e.value; }); }).observe({type: "layout-shift", buffered: true}); }`

// maxCLS is the most a page may shift as it loads: "good" in the Web
// Vitals' terms is 0.1 or less.
const maxCLS = 0.1

// TestIntegrationBrowser drives chromium through the site. The subtests
// share one browser and run in order.
func TestIntegrationBrowser(t *testing.T) {
	root := repoRoot(t)
	axeSource := readFile(t, filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	shots := filepath.Join(root, "out", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	base := startSite(t)
	ctx := newBrowser(t)

	t.Run("pages", func(t *testing.T) {
		tab, rec := newTab(t, ctx, base)
		for _, p := range pages {
			for _, width := range []int64{390, 1280} {
				for _, scheme := range []string{"light", "dark"} {
					name := fmt.Sprintf("%s %dpx %s", p.name, width, scheme)
					load(t, tab, rec, base, p, width, scheme)
					rec.check(t, name)
					checkCSP(t, tab, name)
					if width == 390 {
						checkOverflow(t, tab, name)
					}
					// Shifts reach the observer a frame or so after they
					// happen: read the sum a moment after the page is ready.
					limit := maxCLS
					if p.status == 404 {
						limit = 0.001 // its suggestions' space is reserved: nothing moves
					}
					if cls := eval[float64](t, tab, "new Promise(function (r) { setTimeout(function () { r(window.__cls); }, 250); })", chromedp.EvalAwaitPromise); cls > limit {
						t.Errorf("%s: cumulative layout shift %.4f, want at most %g", name, cls, limit)
					}
					shot := filepath.Join(shots, fmt.Sprintf("%s-%d-%s.png", p.name, width, scheme))
					screenshot(t, tab, shot, p.name != "home")
					if p.axe {
						// axe reads the stylesheets itself: the checks of
						// console and network are done by now.
						runAxe(t, tab, axeSource, name)
					}
				}
			}
		}
		// The narrowest phones: nothing may scroll sideways at 320 px.
		for _, p := range pages {
			load(t, tab, rec, base, p, 320, "light")
			rec.check(t, p.name+" 320px")
			checkOverflow(t, tab, p.name+" 320px")
		}
	})

	t.Run("search by keyboard", func(t *testing.T) {
		tab, rec := newTab(t, ctx, base)
		load(t, tab, rec, base, pageCase{path: "/503", status: 200, ready: copyReady}, 1280, "light")
		press(t, tab, "/")
		if id := eval[string](t, tab, "document.activeElement && document.activeElement.id"); id != "q" {
			t.Fatalf("after /, the focus is on %q, want the search box #q", id)
		}
		do(t, tab, chromedp.KeyEvent("gatway timout")) // two typos
		// The list of the whole query, not of one typed on the way to it.
		waitFor(t, tab, "document.querySelectorAll('#instant [role=option]').length > 0 && document.getElementById('instant').dataset.query === 'gatway timout'")
		if first := eval[string](t, tab, "document.querySelector('#instant [role=option]').textContent"); !strings.HasPrefix(first, "504") {
			t.Errorf("first instant result = %q, want 504 Gateway Timeout", first)
		}
		if v := eval[string](t, tab, "document.getElementById('q').getAttribute('aria-expanded')"); v != "true" {
			t.Errorf("aria-expanded = %q with results shown, want true", v)
		}
		screenshot(t, tab, filepath.Join(shots, "instant-search-1280-light.png"), false)
		press(t, tab, kb.ArrowDown, kb.ArrowDown, kb.ArrowUp)
		active := eval[string](t, tab, "document.getElementById('q').getAttribute('aria-activedescendant') || ''")
		selected := eval[string](t, tab, "(document.querySelector('#instant [aria-selected=true]') || {}).id || ''")
		if active == "" || active != selected || active != eval[string](t, tab, "document.querySelector('#instant [role=option]').id") {
			t.Errorf("after down, down, up: aria-activedescendant = %q, selected option = %q, want both the first option", active, selected)
		}
		if id := eval[string](t, tab, "document.activeElement.id"); id != "q" {
			t.Errorf("the arrows moved the focus to %q, want it kept in the search box", id)
		}
		enter(t, tab, pressAction(kb.Enter))
		if loc := location(t, tab); !strings.HasSuffix(loc, "/504") {
			t.Fatalf("Enter on the first result went to %s, want /504", loc)
		}
		rec.check(t, "instant search to /504")

		// Escape closes the list; Enter then submits the form to the
		// results page, which works without the script.
		waitFor(t, tab, copyReady)
		press(t, tab, "/")
		do(t, tab, chromedp.KeyEvent("teapot"))
		waitFor(t, tab, "document.querySelectorAll('#instant [role=option]').length > 0")
		press(t, tab, kb.Escape)
		if !eval[bool](t, tab, "document.getElementById('instant').hidden") {
			t.Errorf("the list is still shown after Escape")
		}
		enter(t, tab, pressAction(kb.Enter))
		if loc := location(t, tab); !strings.Contains(loc, "/search?q=teapot") {
			t.Fatalf("Enter with no result chosen went to %s, want /search?q=teapot", loc)
		}
		if href := eval[string](t, tab, "document.querySelector('ol.results a').getAttribute('href')"); href != "/418" {
			t.Errorf("first result for teapot links %q, want /418", href)
		}
		rec.check(t, "search results for teapot")

		// Phone size, with the list open, for the artefacts.
		load(t, tab, rec, base, pageCase{path: "/", status: 200}, 390, "dark")
		press(t, tab, "/")
		do(t, tab, chromedp.KeyEvent("rate limit"))
		waitFor(t, tab, "document.querySelectorAll('#instant [role=option]').length > 0 && document.getElementById('instant').dataset.query === 'rate limit'")
		if first := eval[string](t, tab, "document.querySelector('#instant [role=option]').textContent"); !strings.HasPrefix(first, "429") {
			t.Errorf("first instant result for rate limit = %q, want 429", first)
		}
		screenshot(t, tab, filepath.Join(shots, "instant-search-390-dark.png"), false)
		runAxe(t, tab, axeSource, "home with instant results open")
	})

	t.Run("copy buttons", func(t *testing.T) {
		tab, rec := newTab(t, ctx, base)
		u, _ := url.Parse(base)
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name},
				Setting:    browser.PermissionSettingGranted,
				Origin:     u.Scheme + "://" + u.Host,
			}); err != nil {
				t.Fatalf("grant %s: %v", name, err)
			}
		}
		load(t, tab, rec, base, pageCase{path: "/503", status: 200, ready: copyReady}, 1280, "light")
		if _, err := chromedp.Call(tab, page.BringToFront, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ block, want string }{
			{"#tryit .copyable", "curl -i " + base + "/status/503"},
			{"#example + .copyable", eval[string](t, tab, "document.querySelector('#example + .copyable pre').textContent")},
		} {
			do(t, tab, chromedp.Click(chromedp.CSS(c.block+" .copy")))
			waitFor(t, tab, "document.querySelector('"+c.block+" .copy').textContent === 'Copied'")
			got := eval[string](t, tab, "navigator.clipboard.readText()", chromedp.EvalAwaitPromise)
			if got != c.want {
				t.Errorf("copy %s: clipboard = %q, want %q", c.block, got, c.want)
			}
			label := eval[string](t, tab, "document.querySelector('"+c.block+" .copy').getAttribute('aria-label') || ''")
			if !strings.HasPrefix(label, "Copy") || len(label) <= len("Copy: ") {
				t.Errorf("copy %s: aria-label = %q, want it to say what it copies", c.block, label)
			}
		}
		rec.check(t, "copy buttons")
	})

	t.Run("try it", func(t *testing.T) {
		tab, rec := newTab(t, ctx, base)
		for _, c := range []struct {
			path, live string
			status     int
			want       []string // in the shown response
		}{
			// An error status with its header from the catalog.
			{"/503", "/status/503", 503, []string{"HTTP 503 Service Unavailable\n", "\nretry-after: ", "\n\n503 Service Unavailable"}},
			// A redirect: the browser follows it and the page says so.
			{"/301", "/status/301", 200, []string{"HTTP 200", "# The browser followed the redirect"}},
			// No body.
			{"/204", "/status/204", 204, []string{"HTTP 204"}},
		} {
			load(t, tab, rec, base, pageCase{path: c.path, status: 200, ready: copyReady}, 1280, "light")
			if got := eval[string](t, tab, "document.querySelector('#tryit .copyable pre').textContent"); got != "curl -i "+base+c.live {
				t.Errorf("%s: the curl command is %q, want it to name this host", c.path, got)
			}
			if c.status >= 400 {
				rec.expectFetch(base + c.live)
			}
			button := "#tryit button:not(.copy)"
			if label := eval[string](t, tab, "document.querySelector('"+button+"').textContent"); label != "Send GET "+c.live {
				t.Errorf("%s: the button says %q, want %q", c.path, label, "Send GET "+c.live)
			}
			do(t, tab, chromedp.Click(chromedp.CSS(button)))
			waitFor(t, tab, "!document.querySelector('#tryit .tryit-out').hidden && !document.querySelector('"+button+"').disabled")
			out := eval[string](t, tab, "document.querySelector('#tryit .tryit-out').textContent")
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s: Try it shows\n%s\nwant it to contain %q", c.path, out, w)
				}
			}
			if _, body, _ := strings.Cut(out, "\n\n"); c.status == 204 && body != "" {
				t.Errorf("%s: Try it shows a body for 204: %q", c.path, body)
			}
			if live := eval[string](t, tab, "document.querySelector('#tryit [aria-live]').textContent"); live != "Response: status "+strconv.Itoa(c.status)+"." {
				t.Errorf("%s: the live region says %q, want the status %d", c.path, live, c.status)
			}
			rec.check(t, "try it on "+c.path)
		}
		screenshot(t, tab, filepath.Join(shots, "tryit-204-1280-light.png"), true)
	})

	t.Run("without JavaScript", func(t *testing.T) {
		tab, rec := newTab(t, ctx, base)
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		// The search form works as a plain form.
		load(t, tab, rec, base, pageCase{path: "/", status: 200}, 390, "light")
		enter(t, tab, chromedp.SendKeys(chromedp.ID("q"), "too many requests\r"))
		if loc := location(t, tab); !strings.Contains(loc, "/search?q=too+many+requests") {
			t.Fatalf("submitting the search form went to %s, want /search?q=too+many+requests", loc)
		}
		first, err := chromedp.Run(tab, chromedp.AttributeValue(chromedp.CSS("ol.results a"), "href"))
		if err != nil || first.Value != "/429" {
			t.Errorf("first result without JavaScript = %+v (%v), want /429", first, err)
		}
		// A code page: every section, its table of contents and the
		// example are there; the script's buttons are not.
		load(t, tab, rec, base, pageCase{path: "/503", status: 200}, 390, "light")
		for _, sel := range []string{"#in-practice", "#example + .copyable pre", "nav.toc a[href='#common-causes-and-fixes']", "a[rel=prev][href='/502']", "a[rel=next][href='/504']", "nav.crumbs a[href='/5xx']"} {
			if _, err := chromedp.Run(tab, chromedp.QueryNodeIDs(chromedp.CSS(sel), chromedp.AtLeast(1), chromedp.RetryInterval(50*time.Millisecond))); err != nil {
				t.Errorf("/503 without JavaScript has no %s: %v", sel, err)
			}
		}
		nodes, err := chromedp.Run(tab, chromedp.Nodes(chromedp.CSS("button.copy"), chromedp.AtLeast(0)))
		if err != nil || len(nodes) != 0 {
			t.Errorf("/503 without JavaScript has %d copy buttons (%v), want none", len(nodes), err)
		}
		screenshot(t, tab, filepath.Join(shots, "code-503-390-nojs.png"), true)
		rec.check(t, "without JavaScript")

		// The decision guide: each question opens by its summary and shows
		// its answers, linked to their codes, nested questions too.
		load(t, tab, rec, base, pageCase{path: "/guides/choosing-a-status", status: 200}, 390, "light")
		shown := func(href string) bool {
			return eval[bool](t, tab, `document.querySelector('.decide a[href="`+href+`"]').checkVisibility()`)
		}
		if shown("/201") || shown("/401") {
			t.Errorf("the decision guide shows answers before their question is opened")
		}
		const client = ".decide > ul > li:nth-child(4) > details"
		for _, step := range []struct{ summary, href string }{
			{".decide > ul > li:nth-child(1) > details > summary", "/201"},
			{client + " > summary", ""},
			{client + " > ul > li:nth-child(1) > details > summary", "/401"},
		} {
			do(t, tab, chromedp.Click(chromedp.CSS(step.summary), chromedp.NodeVisible))
			if step.href != "" && !shown(step.href) {
				t.Errorf("without JavaScript, opening %s does not show the answer %s", step.summary, step.href)
			}
		}
		if n := eval[int](t, tab, "document.querySelectorAll('svg.dg[role=img] title, svg.dg[role=img] desc').length"); n != 2 {
			t.Errorf("the decision guide's diagram has %d of its title and desc, want 2", n)
		}
		screenshot(t, tab, filepath.Join(shots, "guide-decision-390-nojs.png"), true)
		rec.check(t, "the decision guide without JavaScript")
	})

	t.Run("html-validate", func(t *testing.T) {
		dir := t.TempDir()
		var files []string
		for _, p := range pages {
			files = append(files, saveHTML(t, dir, base, p))
		}
		// The DOM as the scripts leave it: copy buttons, the open list of
		// instant results.
		tab, rec := newTab(t, ctx, base)
		load(t, tab, rec, base, pageCase{path: "/503", status: 200, ready: copyReady}, 1280, "light")
		files = append(files, saveDOM(t, tab, dir, "dom-503.html"))
		press(t, tab, "/")
		do(t, tab, chromedp.KeyEvent("timeout"))
		waitFor(t, tab, "document.querySelectorAll('#instant [role=option]').length > 0")
		files = append(files, saveDOM(t, tab, dir, "dom-instant.html"))
		htmlValidate(t, root, filepath.Join(root, ".htmlvalidate.json"), files[:len(pages)])
		// A serialised DOM writes every boolean attribute as name="", and
		// the script's combobox and listbox are what a native <select>
		// cannot be: the rest of the rules hold.
		domConfig := filepath.Join(dir, "dom.htmlvalidate.json")
		conf := `{"extends": [` + strconv.Quote(filepath.Join(root, ".htmlvalidate.json")) + `], "rules": {"attribute-boolean-style": "off", "attribute-empty-style": "off", "prefer-native-element": ["error", {"exclude": ["combobox", "listbox"]}]}}`
		if err := os.WriteFile(domConfig, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		htmlValidate(t, root, domConfig, files[len(pages):])
	})
}

// repoRoot returns the root of the repository, two folders up.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run scripts/deps.sh (npm ci) to install the pinned npm packages", err)
	}
	return string(b)
}

// startSite serves the whole site, as "httpstatus serve" does, on a
// loopback port.
func startSite(t *testing.T) string {
	t.Helper()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(cat, web.FS())
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(rnd, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(srv) // 127.0.0.1
	t.Cleanup(ts.Close)
	return ts.URL
}

// newBrowser starts Debian's chromium, headless, with the flags that work
// in a container without a GPU or sandbox, and returns its context,
// bounded in time.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("chromium is not installed (%v): run scripts/deps.sh, or apt-get install chromium", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		bcancel()
		acancel()
		cancel()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// newTab opens a tab that records console errors, exceptions, failed and
// foreign requests, and runs cspWatch in every document.
func newTab(t *testing.T, browserCtx context.Context, base string) (context.Context, *recorder) {
	t.Helper()
	tab, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{base: base}
	if err := chromedp.Listen(tab, rec.listen); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	return tab, rec
}

// recorder collects what must not happen on a page.
type recorder struct {
	base string

	mu         sync.Mutex
	allow404   string // the URL of a document that is meant to answer 404
	allowFetch string // the URL a script fetches that is meant to answer 4xx or 5xx
	problems   []string
}

func (r *recorder) add(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// listen runs in the tab's event loop: it only records.
func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
			var args []string
			for _, a := range ev.Args {
				args = append(args, a.Description+string(a.Value))
			}
			r.add("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		desc := d.Text
		if d.Exception != nil {
			desc += " " + d.Exception.Description
		}
		r.add("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, desc)
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Source == cdplog.EntrySourceNetwork && (e.URL == r.allow404 || e.URL == r.allowFetch) {
			return // the console's note of a status that is meant
		}
		if e.Level == cdplog.EntryLevelError || e.Source == cdplog.EntrySourceSecurity {
			r.add("console %s %s: %s %s", e.Source, e.Level, e.Text, e.URL)
		}
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if !strings.HasPrefix(u, r.base+"/") && !strings.HasPrefix(u, "data:") {
			r.add("request to another host: %s", u)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 && !(ev.Type == network.ResourceTypeDocument && ev.Response.URL == r.allow404) &&
			!(ev.Type == network.ResourceTypeFetch && ev.Response.URL == r.allowFetch) {
			r.add("%s answered %d", ev.Response.URL, ev.Response.Status)
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			r.add("loading failed: %s %s", ev.ErrorText, ev.BlockedReason)
		}
	}
}

// reset forgets what was recorded and expects url to answer 404 or not.
func (r *recorder) reset(url404 string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = nil
	r.allow404 = url404
	r.allowFetch = ""
}

// expectFetch lets a script's request of url answer 4xx or 5xx.
func (r *recorder) expectFetch(url string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.allowFetch = url
}

// check reports what was recorded since the last reset.
func (r *recorder) check(t *testing.T, name string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.problems {
		t.Errorf("%s: %s", name, p)
	}
	r.problems = nil
}

// load sets the viewport and colour scheme, opens the page, checks the
// status of the document and waits for the page's scripts.
func load(t *testing.T, tab context.Context, rec *recorder, base string, p pageCase, width int64, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatal(err)
	}
	height := int64(900)
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		height = 844
		opts = append(opts, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatal(err)
	}
	u := base + p.path
	allow := ""
	if p.status == 404 {
		allow = u
	}
	rec.reset(allow)
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("open %s: %v", p.path, err)
	}
	if resp == nil || int(resp.Status) != p.status {
		t.Fatalf("open %s: status %v, want %d", p.path, resp, p.status)
	}
	if p.ready != "" {
		waitFor(t, tab, p.ready)
	}
}

// pressAction presses keys as a person does: one keyDown that carries the
// text, then keyUp. (chromedp.KeyEvent sends the text in a separate char
// event, which a keydown handler cannot cancel: "/" would still be typed
// and Enter would still submit the form.)
func pressAction(keys ...string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		for _, k := range keys {
			for _, r := range k {
				evs := kb.Encode(r)
				down, up := *evs[0], evs[len(evs)-1]
				if len(evs) == 3 {
					down.Text, down.UnmodifiedText = evs[1].Text, evs[1].UnmodifiedText
				}
				for _, ev := range []*input.DispatchKeyEventParams{&down, up} {
					if _, err := cdp.Call(ctx, tgt, input.DispatchKeyEvent, *ev); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func press(t *testing.T, tab context.Context, keys ...string) {
	t.Helper()
	do(t, tab, pressAction(keys...))
}

func do(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tab, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, tab context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits up to ten seconds for a JavaScript condition.
func waitFor(t *testing.T, tab context.Context, cond string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(25*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

// enter runs an action that loads a new page, and waits for its load.
func enter(t *testing.T, tab context.Context, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, a)); err != nil {
		t.Fatal(err)
	}
}

func location(t *testing.T, tab context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func checkCSP(t *testing.T, tab context.Context, name string) {
	t.Helper()
	for _, v := range eval[[]string](t, tab, "window.__csp || []") {
		t.Errorf("%s: CSP violation: %s", name, v)
	}
}

// checkOverflow fails when the page scrolls sideways.
func checkOverflow(t *testing.T, tab context.Context, name string) {
	t.Helper()
	const js = `(function () {
		var w = document.documentElement.clientWidth, out = [];
		if (document.documentElement.scrollWidth > w) {
			document.querySelectorAll("body *").forEach(function (el) {
				var r = el.getBoundingClientRect();
				if (r.right > w + 1 && !el.closest(".table-wrap, pre, .toc") && out.length < 5) out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "") + " " + Math.round(r.right));
			});
			if (!out.length) out.push("the page is " + document.documentElement.scrollWidth + " px wide in " + w);
		}
		return out;
	})()`
	for _, o := range eval[[]string](t, tab, js) {
		t.Errorf("%s: wider than the screen: %s", name, o)
	}
}

// screenshot writes a PNG of the page, or of the visible part.
func screenshot(t *testing.T, tab context.Context, path string, full bool) {
	t.Helper()
	a := chromedp.CaptureScreenshot()
	if full {
		a = chromedp.FullScreenshot(100)
	}
	b, err := chromedp.Run(tab, a)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// axeViolation is what the test keeps of an axe-core violation.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe injects axe-core with an evaluation (a script tag would break
// the CSP) and fails on any violation of its default rules.
func runAxe(t *testing.T, tab context.Context, source, name string) {
	t.Helper()
	if !eval[bool](t, tab, "typeof window.axe === 'object'") {
		if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](source)); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	const js = `axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
		return r.violations.map(function (v) {
			return { id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join(""); }) };
		});
	})`
	for _, v := range eval[[]axeViolation](t, tab, js, chromedp.EvalAwaitPromise) {
		t.Errorf("%s: axe %s (%s): %s: %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
	}
}

// saveHTML writes the page as served to a browser.
func saveHTML(t *testing.T, dir, base string, p pageCase) string {
	t.Helper()
	req, err := http.NewRequest("GET", base+p.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != p.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s, want %d text/html", p.path, resp.StatusCode, resp.Header.Get("Content-Type"), p.status)
	}
	path := filepath.Join(dir, p.name+".html")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// htmlValidate runs the pinned html-validate on files.
func htmlValidate(t *testing.T, root, config string, files []string) {
	t.Helper()
	args := append([]string{filepath.Join(root, "node_modules", "html-validate", "bin", "html-validate.mjs"), "--config", config, "--formatter", "text"}, files...)
	cmd := exec.Command("node", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("html-validate %s: %v\n%s", strings.Join(files, " "), err, out)
	}
}

// saveDOM writes the document as the scripts left it.
func saveDOM(t *testing.T, tab context.Context, dir, name string) string {
	t.Helper()
	html := eval[string](t, tab, "'<!doctype html>\\n' + document.documentElement.outerHTML")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
