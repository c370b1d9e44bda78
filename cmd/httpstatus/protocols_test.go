package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into a temporary directory, and returns their files and a pool that
// trusts the certificate.
func selfSigned(t testing.TB) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "httpstatus test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// serveInProcess runs "serve" with args in this process on free loopback
// addresses for the site and the live endpoint, waits until the site
// answers /healthz through client, and returns the two base URLs. The
// server stops, and must exit 0, when the test ends.
func serveInProcess(t *testing.T, client *http.Client, scheme string, args ...string) (site, live string) {
	t.Helper()
	addr, liveAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errb syncBuffer
	go func() {
		args := append([]string{"httpstatus", "serve", "--addr", addr, "--live-addr", liveAddr, "--log-format", "json"}, args...)
		done <- run(ctx, args, func(string) string { return "" }, nil, io.Discard, &errb)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, errb.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop after cancel")
		}
	})
	site, live = scheme+"://"+addr, scheme+"://"+liveAddr
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := client.Get(site + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return site, live
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not answer /healthz: %v\n%s", err, errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// clientFor returns a client speaking the protocols p, trusting pool.
func clientFor(pool *x509.CertPool, p func(*http.Protocols)) *http.Client {
	var protos http.Protocols
	p(&protos)
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, Protocols: &protos},
		Timeout:   10 * time.Second,
		// The answers themselves are checked, not where they point.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// TestServeHTTP2 serves HTTPS (--tls-cert, --tls-key) and h2c (--h2c,
// with and without the fast path), and checks with Go's client that the
// site and the --live-addr listener speak HTTP/2 and HTTP/1.1, and how
// the live endpoint's 1xx and 101 go out over HTTP/2.
func TestServeHTTP2(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSigned(t)
	h1 := func(p *http.Protocols) { p.SetHTTP1(true) }
	for _, tt := range []struct {
		name   string
		scheme string
		args   []string
		h2     func(*http.Protocols)
	}{
		{"TLS", "https", []string{"--tls-cert", certFile, "--tls-key", keyFile}, func(p *http.Protocols) { p.SetHTTP2(true) }},
		{"h2c with the fast path", "http", []string{"--h2c"}, func(p *http.Protocols) { p.SetUnencryptedHTTP2(true) }},
		{"h2c through net/http alone", "http", []string{"--h2c", "--fast-path=false"}, func(p *http.Protocols) { p.SetUnencryptedHTTP2(true) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			site, live := serveInProcess(t, clientFor(pool, h1), tt.scheme, tt.args...)
			for _, c := range []struct {
				proto  string
				client *http.Client
			}{{"HTTP/2.0", clientFor(pool, tt.h2)}, {"HTTP/1.1", clientFor(pool, h1)}} {
				for _, r := range []struct {
					url      string
					want     int
					wantBody string
				}{
					{site + "/503.txt", 200, "503 Service Unavailable\n"},
					{site + "/status/503", 503, "503 Service Unavailable\n"},
					{live + "/503", 503, "503 Service Unavailable"},
					{live + "/random/418-418?sleep=1", 418, "418 I'm a teapot"},
				} {
					res, err := c.client.Get(r.url)
					if err != nil {
						t.Fatalf("%s GET %s: %v", c.proto, r.url, err)
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.Proto != c.proto || res.StatusCode != r.want || !strings.HasPrefix(string(body), r.wantBody) {
						t.Errorf("GET %s: %s %d %q, want %s %d %q", r.url, res.Proto, res.StatusCode, body, c.proto, r.want, r.wantBody)
					}
				}
			}
			checkInterimHTTP2(t, clientFor(pool, tt.h2), site)
		})
	}
}

// checkInterimHTTP2 checks the live endpoint's informational codes over
// HTTP/2: 100, 102 and 103 go out as interim responses (103 with its
// Link) before a final 200; 101 is not sent, and the final 200 says so.
func checkInterimHTTP2(t *testing.T, client *http.Client, site string) {
	t.Helper()
	for _, tt := range []struct {
		path        string
		wantInterim int
		wantBody    string
	}{
		{"/status/100", 100, "sent as an interim response"},
		{"/status/102", 102, "sent as an interim response"},
		{"/status/103", 103, "sent as an interim response"},
		{"/status/101", 0, "not sent"},
	} {
		var got []int
		var link string
		trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
			got = append(got, code)
			if code == 103 {
				link = h.Get("Link")
			}
			return nil
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", site+tt.path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", tt.path, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var want []int
		if tt.wantInterim != 0 {
			want = []int{tt.wantInterim}
		}
		if res.Proto != "HTTP/2.0" || res.StatusCode != 200 || !strings.Contains(string(body), tt.wantBody) || len(got) != len(want) || (len(want) == 1 && got[0] != want[0]) {
			t.Errorf("GET %s over HTTP/2: interim %v, final %s %d %q; want interim %v, final HTTP/2.0 200 saying %q", tt.path, got, res.Proto, res.StatusCode, body, want, tt.wantBody)
		}
		if tt.wantInterim == 103 && link == "" {
			t.Errorf("GET /status/103 over HTTP/2: the interim response has no Link")
		}
		if res.Header.Get("Connection") != "" {
			t.Errorf("GET %s over HTTP/2: Connection %q, a header HTTP/2 forbids", tt.path, res.Header.Get("Connection"))
		}
	}
}

// TestServeListenErrors checks that a certificate that cannot be used,
// and an address that cannot be bound, end serve with exit status 1 and
// a message that names the file or the address.
func TestServeListenErrors(t *testing.T) {
	t.Parallel()
	certFile, keyFile, _ := selfSigned(t)
	junk := filepath.Join(t.TempDir(), "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"missing cert", []string{"--tls-cert", missing, "--tls-key", keyFile}, "--tls-cert: open " + missing},
		{"missing key", []string{"--tls-cert", certFile, "--tls-key", missing}, "--tls-key: open " + missing},
		{"junk cert", []string{"--tls-cert", junk, "--tls-key", keyFile}, "--tls-cert " + junk + " with --tls-key " + keyFile},
		{"busy live addr", []string{"--live-addr", busy.Addr().String()}, "listen on --live-addr " + busy.Addr().String()},
		{"busy addr", []string{"--addr", busy.Addr().String()}, "listen on --addr " + busy.Addr().String()},
	} {
		code, _, stderr := runArgs(t, nil, append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
		if code != 1 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, %q; want exit 1 with one line saying %q", tt.name, code, stderr, tt.want)
		}
	}
}
