package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/httpstatus/httpstatus/internal/limit"
)

// LimitPrefix is put before each token bucket's key in Redis, which is
// LimitPrefix + the limit's name + ":" + the client's key, such as
// httpstatus:limit:client-rate:203.0.113.7 (the budget of all clients,
// max-egress, has the one key "all").
const LimitPrefix = "httpstatus:limit:"

// Limits is a limit.Backend in Redis: the token buckets of the
// per-client limits, shared by every server that uses the same database.
// Each bucket is one key, taken from by one Lua script on Redis's clock
// (TIME), so servers whose clocks differ still agree; a key expires when
// its bucket would be full again, so idle clients take no memory. It is
// safe for concurrent use.
type Limits struct{ client }

var _ limit.Backend = (*Limits)(nil)

// NewLimits returns Limits for a URL such as redis://HOST:PORT/DB, like
// New's. It does not connect: the first request does, and Ping checks
// the store.
func NewLimits(rawURL string) (*Limits, error) {
	c, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("limit store URL: %w (want redis://HOST:PORT/DB)", err)
	}
	return &Limits{c}, nil
}

// Buckets implements limit.Backend.
func (l *Limits) Buckets(name string, r limit.Rate) limit.Store {
	return &buckets{
		client:   l.client,
		prefix:   LimitPrefix + name + ":",
		interval: strconv.FormatFloat(1e6/r.PerSecond, 'g', -1, 64),
		burst:    r.Burst,
	}
}

// buckets are one limit's token buckets in Redis.
type buckets struct {
	client
	prefix   string
	interval string // microseconds a token takes to come back
	burst    int
}

// take is the generic cell rate algorithm, a token bucket kept as one
// number: KEYS[1] holds the time, in microseconds of Redis's clock, at
// which the bucket will be full again (none: it is full now). ARGV[1] is
// the microseconds a token takes to come back, ARGV[2] the bucket's size
// in tokens, ARGV[3] the tokens to take. It returns {1 if taken else 0,
// the tokens left, the microseconds until there are ARGV[3] when not
// taken}. Redis runs a script atomically; a key written after TIME is
// replicated as its effect (Redis 5 and later, Valkey).
var take = redis.NewScript(`
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local full = tonumber(redis.call('GET', KEYS[1])) or now
if full < now then full = now end
local capacity = burst * interval
local debt = full - now + n * interval
if debt > capacity then
  return {0, math.floor((capacity - (full - now)) / interval + 1e-9), math.ceil(debt - capacity)}
end
redis.call('SET', KEYS[1], string.format('%.17g', now + debt), 'PX', math.max(1, math.ceil(debt / 1000)))
return {1, math.floor((capacity - debt) / interval + 1e-9), 0}
`)

// Take implements limit.Store.
func (b *buckets) Take(ctx context.Context, key string, n int) (limit.Taken, error) {
	v, err := take.Run(ctx, b.c, []string{b.prefix + key}, b.interval, b.burst, n).Int64Slice()
	if err == nil && len(v) != 3 {
		err = fmt.Errorf("token bucket script returned %d values, want 3", len(v))
	}
	if err != nil {
		return limit.Taken{}, fmt.Errorf("redis %s: %w", b.addr, err)
	}
	return limit.Taken{OK: v[0] == 1, Left: v[1], Wait: time.Duration(v[2]) * time.Microsecond}, nil
}
