// Package redisstore keeps what several servers behind a load balancer
// share in Redis or Valkey: the live endpoint's sequence counters
// (?seq=KEY, Store) and the per-client limits' token buckets (Limits,
// limits.go).
//
// Each request of a sequence key is one INCR, with the key's expiry
// renewed by the same Lua script: atomic, whichever server asks, in one
// round trip. Every call is bounded by short timeouts, so a store that
// does not answer makes a request fail fast, not hang.
package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/httpstatus/httpstatus/live"
)

// KeyPrefix is put before each sequence key in Redis.
const KeyPrefix = "httpstatus:seq:"

// timeout bounds a dial, a read, a write and the wait for a pooled
// connection to Redis, unless the URL sets its own (dial_timeout,
// read_timeout, write_timeout, pool_timeout). The live endpoint also
// gives each request a deadline of its own.
const timeout = 500 * time.Millisecond

// client is a connection pool to one Redis database.
type client struct {
	c    *redis.Client
	addr string // host:port/db, for errors and logs; no password
}

// newClient returns a client for a URL such as redis://HOST:PORT/DB, with
// the short timeouts above. It does not connect.
func newClient(rawURL string) (client, error) {
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return client{}, err
	}
	for _, d := range []*time.Duration{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout} {
		if *d == 0 {
			*d = timeout
		}
	}
	o.ContextTimeoutEnabled = true
	o.MaxRetries = 1    // once, for a pooled connection the server closed
	o.DialerRetries = 1 // no dial retries: the request's deadline is short
	o.Protocol = 2      // RESP2: no HELLO round trip, any Redis or Valkey
	o.DisableIdentity = true
	o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	quietOnce.Do(func() { redis.SetLogger(quiet{}) })
	return client{c: redis.NewClient(o), addr: o.Addr + "/" + strconv.Itoa(o.DB)}, nil
}

// Ping checks that the store answers.
func (c client) Ping(ctx context.Context) error {
	if err := c.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis %s: %w", c.addr, err)
	}
	return nil
}

// String returns "redis", the kind of store, without its address.
func (c client) String() string { return "redis" }

// Addr returns the store's HOST:PORT/DB, for logs.
func (c client) Addr() string { return c.addr }

// Close closes the store's connections.
func (c client) Close() error { return c.c.Close() }

// Store is a live.SeqStore in Redis. It is safe for concurrent use.
type Store struct{ client }

var _ live.SeqStore = (*Store)(nil)

// New returns a Store for a URL such as redis://HOST:PORT/DB (rediss://
// for TLS; a user and password may be given in it). It does not connect:
// the first request does, and Ping checks the store.
func New(rawURL string) (*Store, error) {
	c, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("sequence store URL: %w (want redis://HOST:PORT/DB)", err)
	}
	return &Store{c}, nil
}

// quiet drops go-redis's own log lines, which it writes to stderr with
// the standard log package: every failure also comes back as an error,
// which the caller logs with the server's logger. go-redis has one
// logger for the process.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

var quietOnce sync.Once

// next counts a request of KEYS[1] and renews its expiry, ARGV[1]
// milliseconds; Redis runs a script atomically.
var next = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n
`)

// Next implements live.SeqStore.
func (s *Store) Next(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	n, err := next.Run(ctx, s.c, []string{KeyPrefix + key}, ttl.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis %s: %w", s.addr, err)
	}
	return n, nil
}
