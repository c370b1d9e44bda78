package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/web"
)

// The live endpoint's own behaviour is tested in the live package; these
// tests check what the site adds: its routes, its pages as the targets of
// the endpoint's links, its headers and metrics.

var liveSiteRnd = sync.OnceValues(func() (*render.Renderer, error) {
	cat, err := catalog.Load(content.FS())
	if err != nil {
		return nil, err
	}
	return render.New(cat, web.FS())
})

// liveSite returns a new Server over the embedded content.
func liveSite(t testing.TB) *Server {
	t.Helper()
	rnd, err := liveSiteRnd()
	if err != nil {
		t.Fatalf("renderer: %v", err)
	}
	return New(rnd, Options{Logger: slog.New(slog.DiscardHandler)})
}

// TestLiveThroughSite asks the whole site for every code the endpoint
// answers: each answers its status (200 after an interim 1xx) with the
// site's security headers, and every page it links to (Location, and a
// 300's choices in Link) answers 200 on the site with the type named.
func TestLiveThroughSite(t *testing.T) {
	t.Parallel()
	s := liveSite(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	codes := []int{}
	for c := 100; c <= 599; c++ {
		codes = append(codes, c)
	}
	for _, k := range s.rnd.Catalog().Codes() {
		if k.Code > 599 {
			codes = append(codes, k.Code)
		}
	}
	links := map[string]string{} // target: the Content-Type it must have, or "" for any
	for _, code := range codes {
		res, err := client.Get(ts.URL + "/status/" + strconv.Itoa(code))
		if err != nil {
			t.Fatalf("/status/%d: %v", code, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		want := code
		if code < 200 && code != http.StatusSwitchingProtocols {
			want = http.StatusOK
		}
		if res.StatusCode != want || res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("/status/%d: %d with CSP %q, want %d with the site's headers", code, res.StatusCode, res.Header.Get("Content-Security-Policy"), want)
		}
		if loc := res.Header.Get("Location"); loc != "" {
			links[loc] = ""
		}
		if code == http.StatusMultipleChoices {
			for part := range strings.SplitSeq(res.Header.Get("Link"), ",") {
				target, params, _ := strings.Cut(strings.TrimSpace(part), ";")
				_, typ, _ := strings.Cut(params, `type="`)
				links[strings.Trim(target, "<>")] = strings.TrimSuffix(typ, `"`)
			}
		}
	}
	if len(links) < 4 {
		t.Fatalf("links from the endpoint: %v, want at least /status/200 and the three choices of 300", links)
	}
	for target, typ := range links {
		res, err := client.Get(ts.URL + target)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		res.Body.Close()
		if got := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(got, typ) {
			t.Errorf("%s, linked from the endpoint: %d %s, want 200 %s", target, res.StatusCode, got, typ)
		}
	}
}

// TestLiveRoutes checks the endpoint's answers that the site's router and
// metrics take part in: a preflight, a range and a plain OPTIONS are
// answered by the endpoint and counted under its route.
func TestLiveRoutes(t *testing.T) {
	t.Parallel()
	s := liveSite(t)
	for _, tt := range []struct {
		method, target string
		hdr            []string
		want           int
	}{
		{"OPTIONS", "/status/503", []string{"Origin", "https://example.com", "Access-Control-Request-Method", "PUT"}, 204},
		{"OPTIONS", "/status/503", nil, 503},
		{"GET", "/status/500-500", nil, 500},
		{"PUT", "/status/200:0,418-418?_=1700000000", nil, 418},
		{"GET", "/status/504-500", nil, 400},
	} {
		req := httptest.NewRequest(tt.method, tt.target, nil)
		for i := 0; i+1 < len(tt.hdr); i += 2 {
			req.Header.Set(tt.hdr[i], tt.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%s %s %v: %d %q, want %d", tt.method, tt.target, tt.hdr, rec.Code, rec.Body.String(), tt.want)
		}
	}
	metrics := scrapeLive(t, s)
	for _, series := range []string{
		`httpstatus_http_requests_total{code="204",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="503",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="500",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="418",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="400",route="/status/{codes...}"} 1`,
	} {
		if !strings.Contains(metrics, "\n"+series+"\n") {
			t.Errorf("metrics lack %s", series)
		}
	}
}

// scrapeLive returns the text of the server's metrics.
func scrapeLive(t *testing.T, s *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// TestOptionsPage checks OPTIONS on the site's own resources: 204 with the
// methods they take, the same Allow as their 405s; a path that names
// nothing is still a 404.
func TestOptionsPage(t *testing.T) {
	t.Parallel()
	s := liveSite(t)
	for _, tt := range []struct {
		method, target string
		want           int
		allow          string
	}{
		{"OPTIONS", "/", 204, allowPage},
		{"OPTIONS", "/503", 204, allowPage},
		{"OPTIONS", "/503.json", 204, allowPage},
		{"OPTIONS", "/5xx", 204, allowPage},
		{"OPTIONS", "/search", 204, allowPage},
		{"OPTIONS", "/healthz", 204, allowPage},
		{"OPTIONS", "/no-such-page", 404, ""},
		{"POST", "/503", 405, allowPage},
		{"DELETE", "/5xx", 405, allowPage},
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
		if rec.Code != tt.want || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want %d Allow %q", tt.method, tt.target, rec.Code, rec.Header().Get("Allow"), tt.want, tt.allow)
		}
		if tt.want == 204 && rec.Body.Len() != 0 {
			t.Errorf("%s %s: 204 with a body of %d bytes", tt.method, tt.target, rec.Body.Len())
		}
	}
}
