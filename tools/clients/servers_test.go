package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/live"
)

// TestProxyRecords checks that the recording proxy passes requests and
// answers through and records each request: method, path, body, auth,
// but no favicon.
func TestProxyRecords(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", "/status/200")
		if r.URL.Path == "/status/307" {
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
		io.WriteString(w, "ok")
	}))
	defer backend.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	rec := &recorder{}
	base, err := listen(ctx, &wg, proxyTo(strings.TrimPrefix(backend.URL, "http://"), rec))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/favicon.ico", "/status/307"} {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader("a=1"))
		req.SetBasicAuth("user", "pass")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(b) != "ok" {
			t.Fatalf("POST %s through the proxy: %d %q, want 200 \"ok\"", path, resp.StatusCode, b)
		}
	}
	cancel()
	wg.Wait()
	want := []catalog.ClientRequest{{Method: "POST", Path: "/status/307", Body: 3, Auth: true}, {Method: "POST", Path: "/status/200", Body: 3, Auth: true}}
	if got := rec.requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("recorded %v, want %v", got, want)
	}
}

// TestFaultsThroughProxy checks what Go's client meets on each of the
// live endpoint's faults through the recording proxy, and on the raw
// server's body after a 204: a reset arrives as a reset.
func TestFaultsThroughProxy(t *testing.T) {
	backend := httptest.NewServer(live.New(live.WithMaxSleep(time.Second)))
	t.Cleanup(backend.Close) // after the parallel subtests
	half := faultBytes / 2
	tests := []struct {
		name       string
		start      func(ctx context.Context, wg *sync.WaitGroup, rec *recorder) (string, error)
		path       string
		wantStatus int
		wantBody   int
		wantErr    error
	}{
		{"reset-before-headers", nil, "?fault=reset-before-headers", 0, 0, syscall.ECONNRESET},
		{"close-before-headers", nil, "?fault=close-before-headers", 0, 0, io.EOF},
		{"reset-after-headers", nil, "?fault=reset-after-headers&bytes=2000", 200, 0, syscall.ECONNRESET},
		{"reset-mid-body", nil, "?fault=reset-mid-body&bytes=2000", 200, half, syscall.ECONNRESET},
		{"truncate", nil, "?fault=truncate&bytes=2000", 200, half, io.ErrUnexpectedEOF},
		{"204 with a body", func(ctx context.Context, wg *sync.WaitGroup, rec *recorder) (string, error) {
			return listen(ctx, wg, serveRaw(withBody(http.StatusNoContent), rec))
		}, "", 204, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			rec := &recorder{}
			start := tt.start
			if start == nil {
				start = func(ctx context.Context, wg *sync.WaitGroup, rec *recorder) (string, error) {
					return atLive(ctx, wg, rec, strings.TrimPrefix(backend.URL, "http://"))
				}
			}
			base, err := start(ctx, &wg, rec)
			if err != nil {
				t.Fatal(err)
			}
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Get(base + "/status/200" + tt.path)
			status, n := 0, int64(0)
			if err == nil {
				status = resp.StatusCode
				n, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if status != tt.wantStatus || int(n) != tt.wantBody || !errors.Is(err, tt.wantErr) {
				t.Errorf("GET: status %d, %d bytes, error %v; want %d, %d bytes, %v", status, n, err, tt.wantStatus, tt.wantBody, tt.wantErr)
			}
			// The servers stop before the requests are read, as in a run.
			cancel()
			wg.Wait()
			if got := rec.requests(); len(got) != 1 || got[0].Path != "/status/200"+tt.path {
				t.Errorf("recorded %v, want one GET /status/200%s", got, tt.path)
			}
		})
	}
}

// TestHarnessHandler checks the redirect chain and the hop to another
// origin.
func TestHarnessHandler(t *testing.T) {
	rec := &recorder{}
	other := httptest.NewServer(harnessHandler(rec, "other", ""))
	defer other.Close()
	srv := httptest.NewServer(harnessHandler(rec, "", other.URL))
	defer srv.Close()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 5 * time.Second}
	tests := []struct {
		path, wantLocation string
		wantStatus         int
	}{
		{"/loop/0", "/loop/1", http.StatusFound},
		{"/loop/99", "/loop/100", http.StatusFound},
		{"/loop/100", "", http.StatusOK},
		{"/cross", other.URL + "/landing", http.StatusFound},
		{"/choices", "/landing", http.StatusMultipleChoices},
	}
	for _, tt := range tests {
		resp, err := noFollow.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || resp.Header.Get("Location") != tt.wantLocation {
			t.Errorf("GET %s = %d Location %q, want %d %q", tt.path, resp.StatusCode, resp.Header.Get("Location"), tt.wantStatus, tt.wantLocation)
		}
	}
}
