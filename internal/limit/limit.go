// Package limit holds the per-client limits of a public server: token
// buckets kept per client in bounded memory, and the refusal they give,
// a 429 with Retry-After and the RateLimit-Policy and RateLimit fields of
// draft-ietf-httpapi-ratelimit-headers-10 ("RateLimit header fields for
// HTTP", the working group's draft of 27 September 2025):
//
//	RateLimit-Policy: "client-rate";q=20;w=2
//	RateLimit: "client-rate";r=0;t=1
//
// Each limit is a policy named after its flag; "q" is its quota, "qu" its
// quota unit when not requests ("content-bytes", "concurrent-requests"),
// "w" its window in seconds; "r" is what remains of the quota and "t" the
// seconds until more is available, which Retry-After repeats.
//
// # Where the buckets are kept
//
// A Limit keeps its token buckets, one per client key, in a Store: in
// memory (Buckets), each replica on its own, or in a store that every
// replica shares (a Backend such as Redis, package redisstore, wrapped in
// Shared), so that a client behind a load balancer meets the limit once,
// not once per replica. The request rate and the byte budgets use them;
// the slow slots of a client do not: they count the requests a process is
// serving now, which only that process knows.
//
// A shared store that fails or does not answer within storeTimeout fails
// open: the request is limited by the replica's own buckets in memory,
// as without a shared store, and the store is asked again once every
// retryEvery, by one request, until it answers. The limits are there to
// keep the service up for everyone; failing closed would turn an outage
// of the store into an outage of the whole service, and refusing nobody
// would leave it open to the flood the limits stop. So while the store is
// down each replica limits on its own (a client may get up to the limit
// from each replica), the failures are counted (Shared's failed) and
// logged at Warn, once when the store goes down and at most once every
// warnEvery while it stays down, and at Info when it answers again.
// Readiness does not depend on the store, for the same reason.
package limit

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// The limits' names: each is a policy's name in the RateLimit fields, the
// reason label of the refusals metric, and the flag that sets it.
const (
	// ClientRate is --client-rate and --client-burst: requests per second.
	ClientRate = "client-rate"
	// ClientMaxSlow is --client-max-slow: slow requests at once.
	ClientMaxSlow = "client-max-slow"
	// ClientMaxBytes is --client-max-bytes: body bytes a minute.
	ClientMaxBytes = "client-max-bytes"
	// MaxEgress is --max-egress: body bytes a minute, for all clients.
	MaxEgress = "max-egress"
	// MaxSlow is --max-slow: slow requests at once, for all clients.
	MaxSlow = "max-slow"
)

// Quota units of the RateLimit-Policy field ("qu"); requests, the
// default, is left out.
const (
	UnitBytes      = "content-bytes"
	UnitConcurrent = "concurrent-requests"
)

// A Policy is one limit as RateLimit-Policy states it.
type Policy struct {
	Name   string
	Quota  int64         // q
	Unit   string        // qu; empty for requests
	Window time.Duration // w, in whole seconds; zero leaves it out
}

// String returns the policy as an item of RateLimit-Policy, such as
// "client-rate";q=20;w=2.
func (p Policy) String() string {
	b := make([]byte, 0, 64)
	b = strconv.AppendQuote(b, p.Name)
	b = append(b, ";q="...)
	b = strconv.AppendInt(b, p.Quota, 10)
	if p.Unit != "" {
		b = append(b, ";qu="...)
		b = strconv.AppendQuote(b, p.Unit)
	}
	if p.Window > 0 {
		b = append(b, ";w="...)
		b = strconv.AppendInt(b, seconds(p.Window), 10)
	}
	return string(b)
}

// SetRefused sets the headers of a refusal by p: Retry-After,
// RateLimit-Policy, and RateLimit with what remains of the quota and the
// time until more is available, in whole seconds, at least 1.
func SetRefused(h http.Header, p Policy, remaining int64, reset time.Duration) {
	t := max(seconds(reset), 1)
	ts := strconv.FormatInt(t, 10)
	h.Set("Retry-After", ts)
	h.Set("RateLimit-Policy", p.String())
	h.Set("RateLimit", strconv.Quote(p.Name)+";r="+strconv.FormatInt(max(remaining, 0), 10)+";t="+ts)
}

// seconds rounds d up to whole seconds.
func seconds(d time.Duration) int64 {
	return int64(math.Ceil(d.Seconds()))
}
