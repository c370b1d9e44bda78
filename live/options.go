package live

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

// Defaults of the handler's settings.
const (
	// DefaultMaxSleep caps ?sleep=MS unless WithMaxSleep says otherwise.
	DefaultMaxSleep = 10 * time.Second
	// DefaultMaxSlow is how many requests may sleep at once unless
	// WithMaxSlow says otherwise.
	DefaultMaxSlow = 256
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
	// clientMaxSlow is each client's share of maxSlow, or 0 for none;
	// clientKey names the client of a request; refused is told of each
	// request refused by a limit.
	clientMaxSlow int
	clientKey     func(*http.Request) string
	refused       func(*http.Request, string)
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
// without WithCatalog.
var embedded = sync.OnceValues(func() (*catalog.Catalog, error) { return catalog.Load(content.FS()) })

// newConfig applies opts over the defaults.
func newConfig(opts []Option) config {
	c := config{
		maxSleep: DefaultMaxSleep, maxSlow: DefaultMaxSlow, randN: rand.Uint64N,
		clientKey: peerKey, refused: func(*http.Request, string) {},
	}
	for _, o := range opts {
		o(&c)
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
