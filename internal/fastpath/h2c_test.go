package fastpath

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestH2CHandedOver checks that an h2c connection with prior knowledge,
// which opens with the HTTP/2 preface "PRI * HTTP/2.0", goes to net/http
// untouched and is served as HTTP/2 when HTTP's Protocols allow
// unencrypted HTTP/2, while HTTP/1.1 on the same listener is still
// served here.
func TestH2CHandedOver(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, handed := w.(http.Flusher) // net/http's writers flush; this package's do not
			w.Header().Set("X-Served-By", map[bool]string{true: "net/http", false: "fastpath"}[handed])
			io.WriteString(w, r.Proto)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		Protocols:         new(http.Protocols),
	}
	hs.Protocols.SetHTTP1(true)
	hs.Protocols.SetUnencryptedHTTP2(true)
	s := &Server{HTTP: hs}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	for _, tt := range []struct {
		name, wantProto, wantBy string
		set                     func(*http.Protocols)
	}{
		{"h2c", "HTTP/2.0", "net/http", func(p *http.Protocols) { p.SetUnencryptedHTTP2(true) }},
		{"HTTP/1.1", "HTTP/1.1", "fastpath", func(p *http.Protocols) { p.SetHTTP1(true) }},
	} {
		var protos http.Protocols
		tt.set(&protos)
		c := &http.Client{Transport: &http.Transport{Protocols: &protos}, Timeout: 5 * time.Second}
		res, err := c.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Proto != tt.wantProto || string(body) != tt.wantProto || res.Header.Get("X-Served-By") != tt.wantBy {
			t.Errorf("%s: %s %q served by %s, want %s served by %s", tt.name, res.Proto, body, res.Header.Get("X-Served-By"), tt.wantProto, tt.wantBy)
		}
	}
}
