//go:build integration

package browser_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
	"github.com/httpstatus/httpstatus/web"
)

// corsScript runs on a page of another origin than the site's: it sends
// what a test suite in a browser sends to the live endpoint, and keeps
// what the page could read of each answer in window.__cors.
const corsScript = `(async () => {
  const base = document.documentElement.dataset.live;
  const out = {};
  try {
    const res = await fetch(base + '/status/503', {method: 'PUT', headers: {'X-HttpStatus-Response-Retry-After': '7'}});
    out.put = {status: res.status, retryAfter: res.headers.get('Retry-After'), body: await res.text()};
  } catch (e) { out.put = {error: String(e)}; }
  try {
    const res = await fetch(base + '/status/206', {headers: {'Accept': 'application/json'}});
    out.range = {status: res.status, contentRange: res.headers.get('Content-Range'), length: (await res.arrayBuffer()).byteLength};
  } catch (e) { out.range = {error: String(e)}; }
  try {
    const res = await fetch(base + '/status/abc', {method: 'DELETE'});
    out.bad = {status: res.status, body: await res.text()};
  } catch (e) { out.bad = {error: String(e)}; }
  try {
    await fetch(base + '/status/200', {headers: {'X-HttpStatus-Response-Set-Cookie': 'a=b'}});
    out.refused = {error: ''};
  } catch (e) { out.refused = {error: String(e)}; }
  window.__cors = out;
})();
`

// corsAnswer is what the page read of one answer.
type corsAnswer struct {
	Status       int    `json:"status"`
	RetryAfter   string `json:"retryAfter"`
	ContentRange string `json:"contentRange"`
	Length       int    `json:"length"`
	Body         string `json:"body"`
	Error        string `json:"error"`
}

// TestIntegrationCORS loads a page from one origin that calls the live
// endpoint on another, in chromium: a PUT with a requested header passes
// the preflight and the page reads the status and the header; the page
// reads a 206's Content-Range and a 400's reason; a header the endpoint
// refuses fails the preflight, so the request is never sent.
func TestIntegrationCORS(t *testing.T) {
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(cat, web.FS())
	if err != nil {
		t.Fatal(err)
	}
	site := server.New(rnd, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var preflights atomic.Int64
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			preflights.Add(1)
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(live.Close)

	// The other origin: another port on the same host. Its CSP allows
	// scripts from itself and fetches to the live endpoint only.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src "+live.URL)
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><html lang="en" data-live="`+live.URL+`"><title>client</title><script src="/cors.js"></script></html>`)
		case "/cors.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, corsScript)
		default:
			w.WriteHeader(http.StatusNoContent) // favicon.ico
		}
	}))
	t.Cleanup(other.Close)

	tab, cancel := chromedp.NewContext(newBrowser(t))
	t.Cleanup(cancel)
	if _, err := chromedp.Run(tab, chromedp.NavigateResponse(other.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, "window.__cors !== undefined")
	var got map[string]corsAnswer
	if err := json.Unmarshal([]byte(eval[string](t, tab, "JSON.stringify(window.__cors)")), &got); err != nil {
		t.Fatal(err)
	}
	if p := got["put"]; p.Error != "" || p.Status != 503 || p.RetryAfter != "7" || !strings.HasPrefix(p.Body, "503 ") {
		t.Errorf("cross-origin PUT /status/503 with X-HttpStatus-Response-Retry-After: 7 read %+v, want 503, Retry-After 7 and the body", p)
	}
	if r := got["range"]; r.Error != "" || r.Status != 206 || r.ContentRange == "" || r.ContentRange != fmt.Sprintf("bytes 0-%d/%d", r.Length-1, r.Length) {
		t.Errorf("cross-origin GET /status/206 read %+v, want 206 with the Content-Range of its body", r)
	}
	if b := got["bad"]; b.Error != "" || b.Status != 400 || !strings.Contains(b.Body, "Bad status code") {
		t.Errorf("cross-origin DELETE /status/abc read %+v, want the 400 and its reason", b)
	}
	if r := got["refused"]; r.Error == "" {
		t.Errorf("a request for Set-Cookie passed the preflight, want it refused")
	}
	if n := preflights.Load(); n < 3 {
		t.Errorf("the endpoint saw %d preflights, want one for each non-simple request (at least 3)", n)
	}
}
