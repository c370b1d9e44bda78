package clientid

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func mustPrefixes(t testing.TB, list string) []netip.Prefix {
	t.Helper()
	p, err := ParsePrefixes(list)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClient(t *testing.T) {
	t.Parallel()
	const proxies = "10.0.0.0/8, 192.0.2.7, 2001:db8:ffff::/48"
	tests := []struct {
		name    string
		trusted string
		header  string // XForwardedFor when empty
		remote  string
		values  map[string][]string
		want    string
	}{
		{name: "peer", remote: "198.51.100.1:5000", want: "198.51.100.1"},
		{name: "peer v6", remote: "[2001:db8::1]:443", want: "2001:db8::1"},
		{name: "peer 4in6 unmapped", remote: "[::ffff:198.51.100.1]:80", want: "198.51.100.1"},
		{name: "peer zone dropped", remote: "[fe80::1%eth0]:80", want: "fe80::1"},
		{name: "peer not an address", remote: "pipe", want: "invalid IP"},
		{name: "no trusted proxies: XFF ignored", remote: "198.51.100.1:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "198.51.100.1"},
		{name: "no trusted proxies: Forwarded ignored", header: Forwarded, remote: "198.51.100.1:1",
			values: map[string][]string{"Forwarded": {"for=203.0.113.9"}}, want: "198.51.100.1"},
		{name: "untrusted peer: XFF ignored", trusted: proxies, remote: "198.51.100.1:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "198.51.100.1"},
		{name: "trusted peer: XFF read", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "203.0.113.9"},
		{name: "trusted peer: rightmost untrusted", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"1.1.1.1, 203.0.113.9, 192.0.2.7, 10.9.9.9"}}, want: "203.0.113.9"},
		{name: "trusted peer: spoofed left part ignored", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"10.0.0.1, 203.0.113.9"}}, want: "203.0.113.9"},
		{name: "trusted peer: several header lines", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.1", "203.0.113.2, 10.0.0.5"}}, want: "203.0.113.2"},
		{name: "trusted peer: garbage where the proxy wrote", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.1, nonsense"}}, want: "10.1.2.3"},
		{name: "trusted peer: only trusted", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"10.0.0.1, 192.0.2.7"}}, want: "10.1.2.3"},
		{name: "trusted peer: no header", trusted: proxies, remote: "10.1.2.3:1", want: "10.1.2.3"},
		{name: "trusted peer: empty header", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {""}}, want: "10.1.2.3"},
		{name: "trusted peer: v6 client with port", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"[2001:db8::5]:1234"}}, want: "2001:db8::5"},
		{name: "trusted v6 peer", trusted: proxies, remote: "[2001:db8:ffff::1]:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "203.0.113.9"},
		{name: "trusted peer: Forwarded not read for XFF", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {"for=203.0.113.9"}}, want: "10.1.2.3"},
		{name: "Forwarded: for", header: Forwarded, trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {"for=203.0.113.9;proto=https;by=10.0.0.1"}}, want: "203.0.113.9"},
		{name: "Forwarded: quoted v6 with port", header: Forwarded, trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {`for="[2001:db8::17]:4711"`}}, want: "2001:db8::17"},
		{name: "Forwarded: rightmost untrusted", header: Forwarded, trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {"for=1.1.1.1, for=203.0.113.9;proto=http, For=10.3.3.3"}}, want: "203.0.113.9"},
		{name: "Forwarded: obfuscated identifier", header: Forwarded, trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {"for=_hidden"}}, want: "10.1.2.3"},
		{name: "Forwarded: unknown", header: Forwarded, trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {"for=unknown"}}, want: "10.1.2.3"},
		{name: "Forwarded: XFF not read", header: Forwarded, trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "10.1.2.3"},
		{name: "Forwarded: header name in lower case", header: "forwarded", trusted: proxies, remote: "10.1.2.3:1",
			values: map[string][]string{"Forwarded": {"for=203.0.113.9"}}, want: "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			header := tt.header
			if header == "" {
				header = XForwardedFor
			}
			res, err := New(mustPrefixes(t, tt.trusted), header)
			if err != nil {
				t.Fatal(err)
			}
			r := &http.Request{RemoteAddr: tt.remote, Header: http.Header(tt.values)}
			if got := res.Client(r).String(); got != tt.want {
				t.Errorf("Client(%q, %v) = %s, want %s", tt.remote, tt.values, got, tt.want)
			}
		})
	}
}

func TestNilResolver(t *testing.T) {
	t.Parallel()
	var res *Resolver
	r := &http.Request{RemoteAddr: "198.51.100.1:5000", Header: http.Header{"X-Forwarded-For": {"203.0.113.9"}}}
	if got := res.Client(r).String(); got != "198.51.100.1" {
		t.Errorf("nil Resolver: Client = %s, want the peer 198.51.100.1", got)
	}
}

func TestNewRefusesOtherHeaders(t *testing.T) {
	t.Parallel()
	for _, h := range []string{"", "X-Real-IP", "CF-Connecting-IP", "True-Client-IP"} {
		if _, err := New(nil, h); err == nil {
			t.Errorf("New(nil, %q): no error", h)
		}
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"198.51.100.1", "198.51.100.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"},
		{"2001:db8:1:2::ffff", "2001:db8:1:2::"},
		{"::1", "::"},
	}
	for _, tt := range tests {
		if got := Key(netip.MustParseAddr(tt.in)).String(); got != tt.want {
			t.Errorf("Key(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := Key(netip.Addr{}); got.IsValid() {
		t.Errorf("Key(zero) = %s, want the zero Addr", got)
	}
}

func TestParsePrefixes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "", want: nil},
		{in: " , ", want: nil},
		{in: "10.0.0.0/8", want: []string{"10.0.0.0/8"}},
		{in: "10.1.2.3/8", want: []string{"10.0.0.0/8"}},
		{in: "192.0.2.7, 2001:db8::/32", want: []string{"192.0.2.7/32", "2001:db8::/32"}},
		{in: "::ffff:192.0.2.7", want: []string{"192.0.2.7/32"}},
		{in: "10.0.0.0/33", wantErr: "10.0.0.0/33"},
		{in: "example.org", wantErr: "example.org"},
		{in: "fe80::1%eth0", wantErr: "fe80::1%eth0"},
		{in: "10.0.0.0/8,nonsense", wantErr: "nonsense"},
	}
	for _, tt := range tests {
		got, err := ParsePrefixes(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePrefixes(%q) error %v, want one naming %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		var gotS []string
		for _, p := range got {
			gotS = append(gotS, p.String())
		}
		if err != nil || !slices.Equal(gotS, tt.want) {
			t.Errorf("ParsePrefixes(%q) = %v, %v; want %v", tt.in, gotS, err, tt.want)
		}
	}
}

// FuzzClient holds Client to what must be true whatever a client sends:
// the answer is the peer or an address of the header, never a trusted
// proxy unless it is the peer, and the header of an untrusted peer
// changes nothing.
func FuzzClient(f *testing.F) {
	seeds := []struct{ remote, xff, fwd string }{
		{"10.1.2.3:1", "203.0.113.9", ""},
		{"10.1.2.3:1", "1.1.1.1, 203.0.113.9, 10.0.0.1", "for=203.0.113.9"},
		{"198.51.100.1:1", "203.0.113.9", "for=203.0.113.9"},
		{"[2001:db8:ffff::1]:1", "[2001:db8::5]:1234", `for="[2001:db8::17]:4711"`},
		{"10.1.2.3:1", "fe80::1%eth0 , 4.4.4.4 ", "for=_x;by=1.2.3.4, for=unknown"},
		{"10.1.2.3:1", ",,,", `for="`},
		{"pipe", "203.0.113.9", "for=203.0.113.9"},
		{"10.1.2.3:1", "::ffff:203.0.113.9", "FOR=203.0.113.9"},
	}
	for _, s := range seeds {
		f.Add(s.remote, s.xff, s.fwd)
	}
	trusted := mustPrefixes(f, "10.0.0.0/8, 192.0.2.7, 2001:db8:ffff::/48")
	xff, err := New(trusted, XForwardedFor)
	if err != nil {
		f.Fatal(err)
	}
	fwd, err := New(trusted, Forwarded)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, remote, xffValue, fwdValue string) {
		r := &http.Request{RemoteAddr: remote, Header: http.Header{"X-Forwarded-For": {xffValue}, "Forwarded": {fwdValue}}}
		peer := peerAddr(remote)
		for _, res := range []*Resolver{xff, fwd} {
			got := res.Client(r)
			if got.Zone() != "" || got.Is4In6() {
				t.Fatalf("Client(%q) = %s: want no zone and no 4in6", remote, got)
			}
			if got == peer {
				continue
			}
			if !res.isTrusted(peer) {
				t.Fatalf("Client(%q) = %s from the header of an untrusted peer", remote, got)
			}
			if res.isTrusted(got) {
				t.Fatalf("Client(%q, %q, %q) = %s, a trusted proxy", remote, xffValue, fwdValue, got)
			}
		}
		// Without trusted proxies the headers are never read.
		if got := (&Resolver{}).Client(r); got != peer {
			t.Fatalf("Client(%q) without trusted proxies = %s, want the peer %s", remote, got, peer)
		}
	})
}
