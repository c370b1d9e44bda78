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
package limit

import (
	"math"
	"net/http"
	"strconv"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
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

// Buckets are token buckets, one per client, each filled at Rate tokens
// a second up to Burst, kept for at most a number of clients: beyond it
// the least recently seen client's bucket is dropped, and that client
// starts again with a full bucket. It is safe for concurrent use.
type Buckets[K comparable] struct {
	rate    rate.Limit
	burst   int
	policy  Policy
	clients *lru.Cache[K, *rate.Limiter]
}

// NewBuckets returns buckets of burst tokens filled at perSecond, named
// name with unit, for at most maxClients clients. The policy's window is
// the time to fill an empty bucket.
func NewBuckets[K comparable](name, unit string, perSecond float64, burst, maxClients int) *Buckets[K] {
	clients, err := lru.New[K, *rate.Limiter](maxClients)
	if err != nil {
		panic("limit: " + err.Error()) // maxClients < 1: a caller's bug
	}
	window := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return &Buckets[K]{
		rate:    rate.Limit(perSecond),
		burst:   burst,
		policy:  Policy{Name: name, Quota: int64(burst), Unit: unit, Window: max(window, time.Second)},
		clients: clients,
	}
}

// Policy returns the buckets' policy.
func (b *Buckets[K]) Policy() Policy { return b.policy }

// Take takes n tokens from client's bucket at now. When there are not
// enough it takes none and returns false with the tokens left and how
// long until there are n.
func (b *Buckets[K]) Take(client K, now time.Time, n int) (ok bool, left int64, wait time.Duration) {
	lim, found := b.clients.Get(client)
	if !found {
		lim = rate.NewLimiter(b.rate, b.burst)
		if prev, had, _ := b.clients.PeekOrAdd(client, lim); had {
			lim = prev
		}
	}
	if lim.AllowN(now, n) {
		return true, int64(lim.TokensAt(now)), 0
	}
	tokens := lim.TokensAt(now)
	wait = time.Duration((float64(n) - tokens) / float64(b.rate) * float64(time.Second))
	return false, int64(max(tokens, 0)), wait
}

// Len returns how many clients' buckets are kept.
func (b *Buckets[K]) Len() int { return b.clients.Len() }
