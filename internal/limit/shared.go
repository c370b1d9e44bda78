package limit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// How a shared store is used (see the package comment): each Take waits
// for it at most storeTimeout; after a failure it is asked again once
// every retryEvery; while it stays down the log says so at most once
// every warnEvery.
const (
	storeTimeout = 250 * time.Millisecond
	retryEvery   = time.Second
	warnEvery    = time.Minute
)

// A Backend keeps the token buckets of several limits where several
// servers share them, such as Redis (package redisstore).
type Backend interface {
	// Buckets returns the Store of the buckets of the limit name, of
	// rate r.
	Buckets(name string, r Rate) Store
	// String names the kind of backend, such as "redis", for logs.
	String() string
}

// Shared is a Backend as the limits of a server use it: failing open to
// each limit's buckets in memory, asked again once every retryEvery
// while it fails, its failures counted and logged without flooding the
// log. It is safe for concurrent use.
type Shared struct {
	backend Backend
	log     *slog.Logger
	failed  func(limit string)
	// retryAt is when the backend may be asked again after a failure,
	// in Unix nanoseconds; zero while it answers.
	retryAt atomic.Int64
	// warnedAt is when the log last said that the backend fails.
	warnedAt atomic.Int64
}

// NewShared returns b for the limits to share. log is told when b fails
// and when it answers again; failed, unless nil, is called with the
// limit's name on each failure, and must be quick.
func NewShared(b Backend, log *slog.Logger, failed func(limit string)) *Shared {
	if failed == nil {
		failed = func(string) {}
	}
	return &Shared{backend: b, log: log, failed: failed}
}

// take takes n tokens from key's bucket of store, the limit name's, and
// reports whether the store answered: not when it failed, nor while it
// is not to be asked.
func (s *Shared) take(ctx context.Context, store Store, name, key string, n int) (Taken, bool) {
	now := time.Now().UnixNano()
	retry := s.retryAt.Load()
	if retry != 0 && (now < retry || !s.retryAt.CompareAndSwap(retry, now+int64(retryEvery))) {
		return Taken{}, false // down; one request asks again, every retryEvery
	}
	// The store is judged by its own time: a request whose client went
	// away (its context cancelled) must not make it look down.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	t, err := store.Take(ctx, key, n)
	cancel()
	if err != nil {
		s.fail(name, err)
		return Taken{}, false
	}
	if retry != 0 && s.retryAt.CompareAndSwap(now+int64(retryEvery), 0) {
		s.log.Info("limit store answers again: limits are shared again", "store", s.backend.String())
	}
	return t, true
}

// fail counts and logs a failure of the store of the limit name.
func (s *Shared) fail(name string, err error) {
	s.failed(name)
	now := time.Now().UnixNano()
	down := s.retryAt.Swap(now+int64(retryEvery)) == 0
	warned := s.warnedAt.Load()
	if (down || now-warned >= int64(warnEvery)) && s.warnedAt.CompareAndSwap(warned, now) {
		s.log.Warn("limit store does not answer: each replica limits its clients on its own until it does",
			"store", s.backend.String(), "limit", name, "err", err)
	}
}

// A Limit is one limit's token buckets, one per client key: in memory,
// or in a Shared backend, with the ones in memory standing in while it
// fails. It is safe for concurrent use.
type Limit struct {
	policy Policy
	local  *Buckets
	shared *Shared
	store  Store // shared's buckets of this limit, or nil
}

// New returns the limit named name: buckets of r, of unit (empty for
// requests), kept in memory for at most maxClients clients, and in
// shared's backend when shared is not nil. Its policy's window is the
// time to fill an empty bucket.
func New(name, unit string, r Rate, maxClients int, shared *Shared) *Limit {
	l := &Limit{
		policy: Policy{Name: name, Quota: int64(r.Burst), Unit: unit, Window: max(r.window(), time.Second)},
		local:  NewBuckets(r, maxClients),
		shared: shared,
	}
	if shared != nil {
		l.store = shared.backend.Buckets(name, r)
	}
	return l
}

// Policy returns the limit's policy.
func (l *Limit) Policy() Policy { return l.policy }

// Take takes n tokens from the bucket of client key: from the shared
// store when there is one and it answers, from the one in memory
// otherwise.
func (l *Limit) Take(ctx context.Context, key string, n int) Taken {
	if l.store != nil {
		if t, ok := l.shared.take(ctx, l.store, l.policy.Name, key, n); ok {
			return t
		}
	}
	return l.local.takeAt(key, time.Now(), n)
}

// Len returns how many clients' buckets are kept in memory.
func (l *Limit) Len() int { return l.local.Len() }
