package live

import (
	"container/list"
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// A SeqStore counts the requests of each sequence key (?seq=KEY). The
// handler keeps one in memory unless WithSeqStore gives another, such as
// one in Redis that several servers share. Implementations must be safe
// for concurrent use, and should return within the context's deadline.
type SeqStore interface {
	// Next counts one more request with key and returns the count: 1
	// for the first request. A key with no request for ttl is forgotten,
	// so that its next request counts 1 again.
	Next(ctx context.Context, key string, ttl time.Duration) (int64, error)
	// Ping reports whether the store answers, for a readiness check.
	Ping(ctx context.Context) error
	// String names the kind of store, such as "memory" or "redis", for
	// messages to clients; it holds no address or secret.
	String() string
}

// seqTimeout bounds a request's wait for the sequence store: a store
// that does not answer in time is a 503, not a hang.
const seqTimeout = time.Second

// The reasons a sequence asked with weights or ranges is refused.
var (
	errSeqWeights = errors.New("weights are refused with seq: a sequence plays its codes in the order given, such as /status/503,503,200?seq=KEY")
	errSeqRanges  = errors.New("ranges are refused with seq: a sequence plays its codes in the order given, such as /status/503,503,200?seq=KEY")
)

// checkSeq refuses a sequence of weighted items or ranges, which have no
// order to play; codes is the path segment as given.
func checkSeq(codes string) error {
	switch {
	case strings.IndexByte(codes, ':') >= 0:
		return errSeqWeights
	case strings.IndexByte(codes, '-') >= 0:
		return errSeqRanges
	}
	return nil
}

// seqCode returns the code of the nth request (from 1) of a sequence:
// the nth of the list, then the last one for ever, or with loop the list
// again from its start.
func seqCode(choices []choice, n int64, loop bool) int {
	i := n - 1
	switch m := int64(len(choices)); {
	case loop:
		i %= m
	case i >= m:
		i = m - 1
	}
	return choices[i].lo
}

// memStore is the in-memory SeqStore: a map of keys and a list of them,
// the most recently used first. It holds at most max keys, forgetting the
// least recently used beyond that, and forgets a key ttl after its last
// request. Expired keys are dropped from the list's end on every Next:
// the list is in order of last use, so with one ttl the expired ones are
// all at its end.
type memStore struct {
	max   int
	clock func() time.Duration // a monotonic reading

	mu   sync.Mutex
	keys map[string]*list.Element
	lru  list.List // of *seqEntry
}

type seqEntry struct {
	key     string
	n       int64
	expires time.Duration // by clock
}

func newMemStore(max int) *memStore {
	start := time.Now()
	return &memStore{max: max, clock: func() time.Duration { return time.Since(start) }, keys: make(map[string]*list.Element)}
}

// Next implements SeqStore.
func (s *memStore) Next(_ context.Context, key string, ttl time.Duration) (int64, error) {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	for el := s.lru.Back(); el != nil && el.Value.(*seqEntry).expires <= now; el = s.lru.Back() {
		s.drop(el)
	}
	if el, ok := s.keys[key]; ok {
		e := el.Value.(*seqEntry)
		e.n++
		e.expires = now + ttl
		s.lru.MoveToFront(el)
		return e.n, nil
	}
	if len(s.keys) >= s.max {
		s.drop(s.lru.Back())
	}
	// The key may be a slice of the whole query string: keep a copy.
	e := &seqEntry{key: strings.Clone(key), n: 1, expires: now + ttl}
	s.keys[e.key] = s.lru.PushFront(e)
	return 1, nil
}

func (s *memStore) drop(el *list.Element) {
	s.lru.Remove(el)
	delete(s.keys, el.Value.(*seqEntry).key)
}

// len returns the number of keys held.
func (s *memStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.keys)
}

// Ping implements SeqStore: memory always answers.
func (s *memStore) Ping(context.Context) error { return nil }

func (s *memStore) String() string { return "memory" }
