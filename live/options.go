package live

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/limit"
)

// Defaults of the handler's settings.
const (
	// DefaultMaxSleep caps ?sleep=MS unless WithMaxSleep says otherwise.
	DefaultMaxSleep = 10 * time.Second
	// DefaultMaxSlow is how many requests may sleep at once unless
	// WithMaxSlow says otherwise.
	DefaultMaxSlow = 256
	// DefaultMaxBody caps ?bytes=N unless WithMaxBody says otherwise.
	DefaultMaxBody = 10 << 20
	// DefaultSeqTTL is how long a sequence key is kept after its last
	// request unless WithSeqTTL says otherwise.
	DefaultSeqTTL = 10 * time.Minute
	// DefaultSeqMaxKeys is how many sequence keys the in-memory store
	// keeps unless WithSeqMaxKeys says otherwise.
	DefaultSeqMaxKeys = 100000
)

// An Option changes a setting of the handler New returns.
type Option func(*config)

// config holds the handler's settings. Each Option sets one field; a
// setting the next options need (a fault's limits, a sequence store) is
// one more field and one more With function.
type config struct {
	cat      *catalog.Catalog
	maxSleep time.Duration
	maxSlow  int
	maxBody  int64
	// seqs counts the requests of each sequence key: the SeqStore given,
	// or one in memory bounded by seqTTL and seqMaxKeys.
	seqs       SeqStore
	seqTTL     time.Duration
	seqMaxKeys int
	log        *slog.Logger
	// clientMaxSlow is each client's share of maxSlow, or 0 for none;
	// clientKey names the client of a request; refused is told of each
	// request refused by a limit.
	clientMaxSlow int
	// clientMaxBytes and maxEgress are bytes a minute of bytes=N bodies,
	// for each client and for all, or 0 for no limit.
	clientMaxBytes, maxEgress int64
	clientKey                 func(*http.Request) string
	refused                   func(*http.Request, string)
	// limitStore keeps the byte budgets, shared, or is nil for memory.
	limitStore *limit.Shared
	// randN returns a number in [0, n); it must be safe for concurrent
	// use. Tests set it to make picks predictable.
	randN func(n uint64) uint64
}

// WithMaxSleep caps the ?sleep=MS option: a longer sleep is a 400 that
// names the cap. Zero or less keeps DefaultMaxSleep.
func WithMaxSleep(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.maxSleep = d
		}
	}
}

// WithMaxSlow sets how many requests may sleep at the same time; beyond
// that a request with ?sleep gets 503 with Retry-After: 1. Zero or less
// keeps DefaultMaxSlow.
func WithMaxSlow(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxSlow = n
		}
	}
}

// WithMaxBody caps ?bytes=N: a larger body is a 400 that names the cap.
// Zero or less keeps DefaultMaxBody.
func WithMaxBody(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithSeqStore keeps the counters of ?seq=KEY in s instead of in memory,
// so that several servers sharing s play one sequence together. A nil s
// keeps the in-memory store.
func WithSeqStore(s SeqStore) Option {
	return func(c *config) {
		if s != nil {
			c.seqs = s
		}
	}
}

// WithSeqTTL sets how long a sequence key is remembered after its last
// request; after that the sequence starts over. Zero or less keeps
// DefaultSeqTTL.
func WithSeqTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.seqTTL = d
		}
	}
}

// WithSeqMaxKeys bounds the in-memory sequence store: beyond n keys the
// least recently used is forgotten. It does not apply to a store given
// with WithSeqStore. Zero or less keeps DefaultSeqMaxKeys.
func WithSeqMaxKeys(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.seqMaxKeys = n
		}
	}
}

// WithLogger logs what goes wrong on the server's side, such as a
// sequence store that does not answer. A nil logger, or none, logs
// nothing.
func WithLogger(log *slog.Logger) Option {
	return func(c *config) {
		if log != nil {
			c.log = log
		}
	}
}

// WithCatalog serves the codes, names and headers of cat instead of the
// embedded content. The server of this module passes the catalog it
// loaded (from the embedded content or from "serve --content DIR"); code
// outside the module cannot name the type and gets the embedded content.
// A nil cat keeps the embedded content.
func WithCatalog(cat *catalog.Catalog) Option {
	return func(c *config) {
		if cat != nil {
			c.cat = cat
		}
	}
}

// withRand replaces the random source of the picks; for tests.
func withRand(randN func(n uint64) uint64) Option {
	return func(c *config) { c.randN = randN }
}

// embedded loads the embedded content once per process, for every New
// without WithCatalog: its front matter alone, decoded at build time,
// which is all the handler serves (codes, names and headers).
var embedded = sync.OnceValues(func() (*catalog.Catalog, error) { return catalog.LoadIndex(content.CatalogJSON()) })

// newConfig applies opts over the defaults.
func newConfig(opts []Option) config {
	c := config{
		maxSleep: DefaultMaxSleep, maxSlow: DefaultMaxSlow, maxBody: DefaultMaxBody,
		seqTTL: DefaultSeqTTL, seqMaxKeys: DefaultSeqMaxKeys,
		log: slog.New(slog.DiscardHandler), randN: rand.Uint64N,
		clientKey: peerKey, refused: func(*http.Request, string) {},
	}
	for _, o := range opts {
		o(&c)
	}
	if c.seqs == nil {
		c.seqs = newMemStore(c.seqMaxKeys)
	}
	if c.cat == nil {
		cat, err := embedded()
		if err != nil {
			// The module's tests load the embedded content and require
			// it to be valid: this is a build that should not exist.
			panic("live: load the embedded content: " + err.Error())
		}
		c.cat = cat
	}
	return c
}
