package main

import (
	"flag"
	"log/slog"
	"math"
	"strconv"

	"github.com/httpstatus/httpstatus/internal/clientid"
	"github.com/httpstatus/httpstatus/internal/server"
)

// The per-client limits of "serve" and who the client is. They are off
// by default but for --client-max-slow: a developer's server has one
// client. A public instance sets --client-rate, and behind a load
// balancer --trusted-proxies.

// limitsConfig is the part of serveConfig that limits each client.
type limitsConfig struct {
	// trustedProxies is the comma-separated list of --trusted-proxies;
	// clientHeader the header they forward the client's address in.
	trustedProxies string
	clientHeader   string
	clientRate     float64 // requests a second per client, 0 for none
	clientBurst    int     // each client's bucket, 0 for clientRate
	clientMaxSlow  int     // slow requests at once per client, 0 for none
	// clientMaxBytes and maxEgress are body bytes of bytes=N a minute,
	// per client and for all, 0 for none.
	clientMaxBytes, maxEgress int64
}

// The widest per-client settings.
const (
	clientRateLimit  = 1e6
	clientBurstLimit = 1e6
	// A byte budget is a token bucket of int tokens.
	maxBytesLimit = math.MaxInt32
)

// limitsEnv lists the environment variables of the per-client limits.
var limitsEnv = []envVar{
	{flag: "trusted-proxies", name: "HTTPSTATUS_TRUSTED_PROXIES"},
	{flag: "client-header", name: "HTTPSTATUS_CLIENT_HEADER"},
	{flag: "client-rate", name: "HTTPSTATUS_CLIENT_RATE", want: "requests a second such as 20"},
	{flag: "client-burst", name: "HTTPSTATUS_CLIENT_BURST", want: "a number such as 40"},
	{flag: "client-max-slow", name: "HTTPSTATUS_CLIENT_MAX_SLOW", want: "a number such as 16"},
	{flag: "client-max-bytes", name: "HTTPSTATUS_CLIENT_MAX_BYTES", want: "a number of bytes such as 104857600"},
	{flag: "max-egress", name: "HTTPSTATUS_MAX_EGRESS", want: "a number of bytes such as 1048576000"},
}

// limitFlags defines the flags of the per-client limits on fs.
func limitFlags(fs *flag.FlagSet, c *limitsConfig) {
	fs.StringVar(&c.trustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDR prefixes of the proxies in front of the server (such as 10.0.0.0/8): for requests from them, the client is the rightmost address of --client-header that is not one of them; anyone else's headers are ignored")
	fs.StringVar(&c.clientHeader, "client-header", clientid.XForwardedFor, "the header the --trusted-proxies append the client's address to: X-Forwarded-For or Forwarded")
	fs.Float64Var(&c.clientRate, "client-rate", 0, "requests a second each client may make, in a token bucket of --client-burst; more get 429 with Retry-After and RateLimit fields (/healthz, /readyz and /metrics are exempt); 0 is no limit")
	fs.IntVar(&c.clientBurst, "client-burst", 0, "requests a client may make at once before --client-rate applies; 0 means --client-rate rounded down, at least 1")
	fs.IntVar(&c.clientMaxSlow, "client-max-slow", server.DefaultClientMaxSlow, "how many of the --max-slow slow requests of /status (sleep, drip, sleep-body, fault, seq) one client may have at once; more get 429; 0 is no limit")
	fs.Int64Var(&c.clientMaxBytes, "client-max-bytes", server.DefaultClientMaxBytes, "body bytes of ?bytes=N (at once or dripped) one client may be sent a minute; more get 429; at least --max-body; 0 is no limit")
	fs.Int64Var(&c.maxEgress, "max-egress", server.DefaultMaxEgress, "body bytes of ?bytes=N all clients together may be sent a minute; more get 503; 0 is no limit")
}

// checkLimits checks the per-client settings. A --client-max-slow over
// --max-slow is allowed: the global limit comes first. A byte budget
// under maxBody (--max-body) would refuse the largest body for ever.
func checkLimits(c limitsConfig, maxBody int64) error {
	if _, err := clientid.ParsePrefixes(c.trustedProxies); err != nil {
		return usagef("serve: --trusted-proxies: %v", err)
	}
	if _, err := clientid.New(nil, c.clientHeader); err != nil {
		return usagef("serve: --client-header %q: want X-Forwarded-For or Forwarded", c.clientHeader)
	}
	switch {
	case c.clientRate < 0 || c.clientRate > clientRateLimit:
		return usagef("serve: --client-rate %s: want 0 (no limit) to %g requests a second", strconv.FormatFloat(c.clientRate, 'g', -1, 64), float64(clientRateLimit))
	case c.clientBurst < 0 || c.clientBurst > clientBurstLimit:
		return usagef("serve: --client-burst %d: want 0 to %d", c.clientBurst, int(clientBurstLimit))
	case c.clientBurst > 0 && c.clientRate == 0:
		return usagef("serve: --client-burst needs --client-rate")
	case c.clientMaxSlow < 0 || c.clientMaxSlow > maxSlowLimit:
		return usagef("serve: --client-max-slow %d: want 0 (no limit) to %d", c.clientMaxSlow, maxSlowLimit)
	case c.clientMaxBytes != 0 && (c.clientMaxBytes < maxBody || c.clientMaxBytes > maxBytesLimit):
		return usagef("serve: --client-max-bytes %d: want 0 (no limit) or --max-body (%d) to %d", c.clientMaxBytes, maxBody, int64(maxBytesLimit))
	case c.maxEgress != 0 && (c.maxEgress < maxBody || c.maxEgress > maxBytesLimit):
		return usagef("serve: --max-egress %d: want 0 (no limit) or --max-body (%d) to %d", c.maxEgress, maxBody, int64(maxBytesLimit))
	}
	return nil
}

// limitOptions sets the server's options of the per-client limits from
// c, checked by checkLimits.
func limitOptions(o *server.Options, c limitsConfig) error {
	trusted, err := clientid.ParsePrefixes(c.trustedProxies)
	if err != nil {
		return usagef("serve: --trusted-proxies: %v", err)
	}
	if o.Clients, err = clientid.New(trusted, c.clientHeader); err != nil {
		return usagef("serve: --client-header: %v", err)
	}
	o.ClientRate, o.ClientBurst, o.ClientMaxSlow = c.clientRate, c.clientBurst, c.clientMaxSlow
	o.ClientMaxBytes, o.MaxEgress = c.clientMaxBytes, c.maxEgress
	return nil
}

// logLimits logs the per-client limits, once the server listens.
func logLimits(log *slog.Logger, c limitsConfig) {
	log.Info("client limits", "trusted_proxies", c.trustedProxies, "client_header", c.clientHeader,
		"client_rate", c.clientRate, "client_burst", c.clientBurst, "client_max_slow", c.clientMaxSlow,
		"client_max_bytes", c.clientMaxBytes, "max_egress", c.maxEgress)
}
