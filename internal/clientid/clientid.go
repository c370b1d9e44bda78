// Package clientid says who the client of a request is, for the
// per-client limits and the request log.
//
// By default the client is the address of the connection's peer. Behind
// a load balancer or a CDN every request comes from the proxy, so a
// Resolver may be given the address ranges of the trusted proxies and the
// header they append the client's address to (X-Forwarded-For or
// Forwarded, RFC 7239). Then, for a request whose peer is a trusted
// proxy, the client is the rightmost address of that header that is not
// itself a trusted proxy: each proxy appends the address it received the
// request from, so everything to the left of it was written by the
// client and proves nothing. A request from any other peer is that
// peer's, whatever headers it sends, so a client cannot leave its limit
// by writing a header.
//
// The header is walked by realclientip-go's RightmostTrustedRangeStrategy.
// Its v1.0.0 trusts the header whatever the peer; Resolver checks the
// peer first, as later versions of that library do.
package clientid

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/realclientip/realclientip-go"
)

// The headers a Resolver can read the client from.
const (
	XForwardedFor = "X-Forwarded-For"
	Forwarded     = "Forwarded"
)

// A Resolver finds the client of a request. Its zero value, or nil,
// takes the connection's peer. It is safe for concurrent use.
type Resolver struct {
	trusted []netip.Prefix
	header  realclientip.Strategy
}

// New returns a Resolver that reads the client from header (XForwardedFor
// or Forwarded, in any case) for requests whose peer is in trusted. With
// no trusted prefixes, header is not read.
func New(trusted []netip.Prefix, header string) (*Resolver, error) {
	switch http.CanonicalHeaderKey(header) {
	case XForwardedFor, Forwarded:
	default:
		return nil, fmt.Errorf("client header %q: want %s or %s", header, XForwardedFor, Forwarded)
	}
	res := &Resolver{}
	if len(trusted) == 0 {
		return res, nil
	}
	nets := make([]net.IPNet, len(trusted))
	for i, p := range trusted {
		p = p.Masked()
		nets[i] = net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
		res.trusted = append(res.trusted, p)
	}
	s, err := realclientip.NewRightmostTrustedRangeStrategy(header, nets)
	if err != nil {
		return nil, err
	}
	res.header = s
	return res, nil
}

// Client returns the client of r: its peer, or, when the peer is a
// trusted proxy, the rightmost untrusted address of the header. When the
// header names none (it is missing, malformed where the proxy wrote, or
// lists only trusted proxies), the client is the peer: a proxy that does
// not say whom it serves is limited as one client. The address is
// unmapped (an IPv4 client is IPv4 whichever socket it came on) and has
// no zone; it is the zero Addr when the peer is not an IP address (a
// test's made-up RemoteAddr).
func (res *Resolver) Client(r *http.Request) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if res == nil || res.header == nil || !res.isTrusted(peer) {
		return peer
	}
	s := res.header.ClientIP(r.Header, r.RemoteAddr)
	if s == "" {
		return peer
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return peer
	}
	return a.Unmap().WithZone("")
}

// isTrusted reports whether a is in one of the trusted prefixes.
func (res *Resolver) isTrusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range res.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Trusted returns the trusted proxies' prefixes, for the log.
func (res *Resolver) Trusted() []netip.Prefix {
	if res == nil {
		return nil
	}
	return res.trusted
}

// peerAddr returns the address of a RemoteAddr ("IP:port"), unmapped and
// without zone, or the zero Addr.
func peerAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	if a, err := netip.ParseAddr(remote); err == nil {
		return a.Unmap().WithZone("")
	}
	return netip.Addr{}
}

// ipv6Bits is the prefix that one IPv6 client is counted under: a site
// is given a /64 (or more) by its provider, so a client that may pick any
// address of its /64 is still one client.
const ipv6Bits = 64

// Key returns what a client's limits are kept under: an IPv4 address as
// it is, an IPv6 address as its /64 prefix (the prefix's first address).
// It allocates nothing, so it can key a map on every request.
func Key(a netip.Addr) netip.Addr {
	if a.Is6() {
		p, _ := a.Prefix(ipv6Bits)
		return p.Addr()
	}
	return a
}

// ParsePrefixes parses a comma-separated list of CIDR prefixes or single
// addresses ("10.0.0.0/8, 192.0.2.7, 2001:db8::/32"), as given to
// --trusted-proxies. An empty list is none.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("%q: want an address or a CIDR prefix such as 10.0.0.0/8", item)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q: want an address or a CIDR prefix such as 10.0.0.0/8", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
