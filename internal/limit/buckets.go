package limit

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Rate is how a limit's token buckets fill: each holds at most Burst
// tokens and gains PerSecond tokens a second.
type Rate struct {
	PerSecond float64
	Burst     int
}

// window is the time r takes to fill an empty bucket.
func (r Rate) window() time.Duration {
	return time.Duration(float64(r.Burst) / r.PerSecond * float64(time.Second))
}

// Taken is what a Store says of a Take: whether the tokens were taken,
// the tokens left, and, when they were not, how long until there are as
// many as were asked.
type Taken struct {
	OK   bool
	Left int64
	Wait time.Duration
}

// A Store keeps one limit's token buckets, one per key.
type Store interface {
	// Take takes n tokens from key's bucket, or none when there are not
	// enough. An error means the store did not answer, and nothing is
	// known of the bucket. It must be safe for concurrent use.
	Take(ctx context.Context, key string, n int) (Taken, error)
}

// Buckets is a Store in memory, each bucket kept for at most a number of
// keys: beyond it the least recently seen key's bucket is dropped, and
// that key starts again with a full bucket. It never fails, and is safe
// for concurrent use.
type Buckets struct {
	rate    rate.Limit
	burst   int
	clients *lru.Cache[string, *rate.Limiter]
}

var _ Store = (*Buckets)(nil)

// NewBuckets returns buckets of r for at most maxClients keys.
func NewBuckets(r Rate, maxClients int) *Buckets {
	clients, err := lru.New[string, *rate.Limiter](maxClients)
	if err != nil {
		panic("limit: " + err.Error()) // maxClients < 1: a caller's bug
	}
	return &Buckets{rate: rate.Limit(r.PerSecond), burst: r.Burst, clients: clients}
}

// Take implements Store, at the time now.
func (b *Buckets) Take(_ context.Context, key string, n int) (Taken, error) {
	return b.takeAt(key, time.Now(), n), nil
}

// takeAt takes n tokens from key's bucket at now.
func (b *Buckets) takeAt(key string, now time.Time, n int) Taken {
	lim, found := b.clients.Get(key)
	if !found {
		lim = rate.NewLimiter(b.rate, b.burst)
		if prev, had, _ := b.clients.PeekOrAdd(key, lim); had {
			lim = prev
		}
	}
	if lim.AllowN(now, n) {
		return Taken{OK: true, Left: int64(lim.TokensAt(now))}
	}
	tokens := lim.TokensAt(now)
	wait := time.Duration((float64(n) - tokens) / float64(b.rate) * float64(time.Second))
	return Taken{Left: int64(max(tokens, 0)), Wait: wait}
}

// Len returns how many keys' buckets are kept.
func (b *Buckets) Len() int { return b.clients.Len() }
