package deploy

import (
	"net/netip"
	"slices"
	"strconv"
	"testing"

	"github.com/httpstatus/httpstatus/internal/clientid"
)

// TestDeploymentLimits checks that the Deployment turns the per-client
// request rate on, and trusts as proxies only private addresses, where
// the cluster's Ingress and load balancers are: trusting a public range
// would let anyone there name its own client address.
func TestDeploymentLimits(t *testing.T) {
	t.Parallel()
	m, _ := readManifests(t)
	c := m["Deployment"].Spec.Template.Spec.Containers[0]
	if r, err := strconv.ParseFloat(env(c, "HTTPSTATUS_CLIENT_RATE"), 64); err != nil || r <= 0 {
		t.Errorf("HTTPSTATUS_CLIENT_RATE %q: want a rate a second above 0", env(c, "HTTPSTATUS_CLIENT_RATE"))
	}
	if b, err := strconv.Atoi(env(c, "HTTPSTATUS_CLIENT_BURST")); err != nil || b < 1 {
		t.Errorf("HTTPSTATUS_CLIENT_BURST %q: want a number of requests", env(c, "HTTPSTATUS_CLIENT_BURST"))
	}
	trusted, err := clientid.ParsePrefixes(env(c, "HTTPSTATUS_TRUSTED_PROXIES"))
	if err != nil || len(trusted) == 0 {
		t.Fatalf("HTTPSTATUS_TRUSTED_PROXIES %q: %v", env(c, "HTTPSTATUS_TRUSTED_PROXIES"), err)
	}
	private := []netip.Prefix{ // RFC 1918 and RFC 4193
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7"),
	}
	for _, p := range trusted {
		inside := func(q netip.Prefix) bool { return q.Bits() <= p.Bits() && q.Contains(p.Addr()) }
		if !slices.ContainsFunc(private, inside) {
			t.Errorf("HTTPSTATUS_TRUSTED_PROXIES trusts %s, which is not within a private range", p)
		}
	}
}
