package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/fastpath"
	"github.com/httpstatus/httpstatus/internal/redisstore"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
	"github.com/httpstatus/httpstatus/web"
)

// Defaults of "httpstatus serve".
const (
	defaultAddr      = "127.0.0.1:8080"
	defaultLogLevel  = "info"
	defaultLogFormat = "text"
)

// Limits of the HTTP server. A client gets readHeaderTimeout to send its
// request head and readTimeout for the whole request; a response may take
// the longest ?sleep of the live endpoint plus writeMargin; an idle
// keep-alive connection is closed after idleTimeout. On SIGINT or SIGTERM
// the server stops accepting and in-flight requests get the longest sleep
// plus shutdownMargin to finish.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeMargin       = 20 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 16 << 10
	shutdownMargin    = 5 * time.Second
	// The page cache is filled after the first answer, or after warmDelay
	// when no request comes; /readyz answers 200 once it is full.
	warmDelay = 100 * time.Millisecond
	// defaultGCPercent is serve's garbage collector target unless GOGC
	// is set. Most of serve's heap is the page cache, which lives as long
	// as the process; Go's default (100) lets garbage grow to the size of
	// that cache between collections, memory that holds nothing. The
	// cache is bytes without pointers, which a collection does not scan,
	// so collecting twice as often costs little.
	defaultGCPercent = 50
	// The widest --max-sleep and --max-slow: a sleeping request holds a
	// connection and a goroutine, and the write timeout grows with the
	// sleep.
	maxSleepLimit = time.Minute
	maxSlowLimit  = 100000
	// The widest --max-body, --seq-ttl and --seq-max-keys.
	maxBodyLimit    = 1 << 30
	seqTTLLimit     = 24 * time.Hour
	seqMaxKeysLimit = 10000000
)

// serveConfig is the configuration of "httpstatus serve".
type serveConfig struct {
	addr      string
	logLevel  string
	logFormat string
	content   string
	// metricsAddr, when set, serves /metrics there instead of on addr.
	metricsAddr string
	// baseURL is the site's public URL, for sitemap.xml and robots.txt.
	baseURL  string
	maxSleep time.Duration // cap on ?sleep, drip and sleep-body of /status
	maxSlow  int           // /status requests sleeping at once
	maxBody  int64         // cap on ?bytes of /status
	// seqStore is the redis:// URL of the shared sequence store, or ""
	// for the in-memory one, bounded by seqTTL and seqMaxKeys.
	seqStore   string
	seqTTL     time.Duration
	seqMaxKeys int
	// limitStore is the redis:// URL of the shared store of the
	// per-client limits' buckets, or "" to keep them in memory.
	limitStore string
	// fastPath serves the site's listener through package fastpath;
	// false serves it through net/http alone.
	fastPath bool
	// liveAddr, when set, serves the live endpoint there in httpstat.us's
	// URL scheme.
	liveAddr string
	// tlsCert and tlsKey, both set or neither, serve HTTPS with HTTP/2 and
	// HTTP/1.1 on addr and liveAddr.
	tlsCert, tlsKey string
	// h2c accepts HTTP/2 with prior knowledge beside HTTP/1.1 on addr and
	// liveAddr, without TLS.
	h2c bool
	// limits are the per-client limits (limits.go).
	limits limitsConfig
}

// envVar is an environment variable that stands in for a flag.
type envVar struct {
	flag, name string
	// value turns the variable's value into the flag's, when they
	// differ.
	value func(string) string
	// want says what a value that the flag refuses should be.
	want string
	// help describes the variable in --help, instead of "env NAME".
	help string
}

// serveEnv lists serve's environment variables. Each is read only while
// its flag is not on the command line; of two for one flag, the first
// one set wins.
var serveEnv = []envVar{
	{flag: "addr", name: "HTTPSTATUS_ADDR"},
	{flag: "addr", name: "PORT", value: func(p string) string { return ":" + p }, help: "PORT=N listens on :N"},
	{flag: "log-level", name: "HTTPSTATUS_LOG_LEVEL"},
	{flag: "log-format", name: "HTTPSTATUS_LOG_FORMAT"},
	{flag: "metrics-addr", name: "HTTPSTATUS_METRICS_ADDR"},
	{flag: "max-sleep", name: "HTTPSTATUS_MAX_SLEEP", want: "a duration such as 10s"},
	{flag: "max-slow", name: "HTTPSTATUS_MAX_SLOW", want: "a number such as 256"},
	{flag: "base-url", name: "HTTPSTATUS_BASE_URL"},
	{flag: "fast-path", name: "HTTPSTATUS_FAST_PATH", want: "true or false"},
	{flag: "max-body", name: "HTTPSTATUS_MAX_BODY", want: "a number of bytes such as 10485760"},
	{flag: "seq-store", name: "HTTPSTATUS_SEQ_STORE"},
	{flag: "seq-ttl", name: "HTTPSTATUS_SEQ_TTL", want: "a duration such as 10m"},
	{flag: "seq-max-keys", name: "HTTPSTATUS_SEQ_MAX_KEYS", want: "a number such as 100000"},
	{flag: "limit-store", name: "HTTPSTATUS_LIMIT_STORE"},
	{flag: "live-addr", name: "HTTPSTATUS_LIVE_ADDR"},
	{flag: "tls-cert", name: "HTTPSTATUS_TLS_CERT"},
	{flag: "tls-key", name: "HTTPSTATUS_TLS_KEY"},
	{flag: "h2c", name: "HTTPSTATUS_H2C", want: "true or false"},
}

// serveAllEnv is serveEnv with the variables of the per-client limits.
var serveAllEnv = append(serveEnv[:len(serveEnv):len(serveEnv)], limitsEnv...)

// describeEnv adds to the help of each flag of fs the variables of vars
// that stand in for it.
func describeEnv(fs *flag.FlagSet, vars []envVar) {
	notes := map[string][]string{}
	for _, v := range vars {
		note := v.help
		if note == "" {
			note = "env " + v.name
		}
		notes[v.flag] = append(notes[v.flag], note)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if n := notes[f.Name]; len(n) > 0 {
			f.Usage += " (" + strings.Join(n, "; ") + ")"
		}
	})
}

// applyEnv sets each flag of fs that is not on the command line from the
// first variable of vars that is set for it.
func applyEnv(fs *flag.FlagSet, vars []envVar, getenv func(string) string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, v := range vars {
		val := getenv(v.name)
		if val == "" || set[v.flag] {
			continue
		}
		flagVal := val
		if v.value != nil {
			flagVal = v.value(val)
		}
		if err := fs.Set(v.flag, flagVal); err != nil {
			return usagef("%s: %s %q: want %s", fs.Name(), v.name, val, v.want)
		}
		set[v.flag] = true
	}
	return nil
}

func parseServe(args []string, e env) (serveConfig, error) {
	var c serveConfig
	fs := newFlagSet("serve", "[flags]", e)
	fs.StringVar(&c.addr, "addr", defaultAddr, "address to listen on, HOST:PORT")
	fs.StringVar(&c.logLevel, "log-level", defaultLogLevel, "log level: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", defaultLogFormat, "log format: text or json")
	fs.StringVar(&c.content, "content", "", "serve content files from this directory instead of the embedded ones")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve /metrics on this HOST:PORT instead of on --addr")
	fs.DurationVar(&c.maxSleep, "max-sleep", server.DefaultMaxSleep, "cap on ?sleep=MS of /status, from 1ms to "+maxSleepLimit.String()+"; sleep, drip and sleep-body together")
	fs.IntVar(&c.maxSlow, "max-slow", server.DefaultMaxSlow, "how many /status requests may sleep, drip, fault or follow a sequence at once; more get 503 with Retry-After")
	fs.Int64Var(&c.maxBody, "max-body", server.DefaultMaxBody, fmt.Sprintf("cap on ?bytes=N of /status, in bytes, from 1 to %d", maxBodyLimit))
	fs.StringVar(&c.seqStore, "seq-store", "", "keep the counters of ?seq=KEY of /status in Redis or Valkey, redis://HOST:PORT/DB, shared by every replica; in memory when empty")
	fs.DurationVar(&c.seqTTL, "seq-ttl", server.DefaultSeqTTL, "forget a ?seq=KEY of /status after this long without a request, from 1s to "+seqTTLLimit.String())
	fs.IntVar(&c.seqMaxKeys, "seq-max-keys", server.DefaultSeqMaxKeys, fmt.Sprintf("how many ?seq=KEY the in-memory store keeps, the least recently used dropped first, from 1 to %d", seqMaxKeysLimit))
	fs.StringVar(&c.limitStore, "limit-store", "", "keep the buckets of --client-rate, --client-max-bytes and --max-egress in Redis or Valkey, redis://HOST:PORT/DB, shared by every replica (--client-max-slow stays each replica's); while it does not answer, each replica limits on its own; in memory when empty")
	fs.StringVar(&c.baseURL, "base-url", render.DefaultBaseURL, "public URL of the site, for sitemap.xml and robots.txt")
	fs.BoolVar(&c.fastPath, "fast-path", true, "answer plain HTTP/1.1 GET and HEAD requests with the fast path; --fast-path=false serves every request through net/http alone, with the same bytes")
	fs.StringVar(&c.liveAddr, "live-addr", "", "also serve the live endpoint on this HOST:PORT, at its root in httpstat.us's URL scheme: /503, /random/200,500-504, ?sleep=MS, ?suppressBody=true, X-HttpStatus-* headers")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with HTTP/2 and HTTP/1.1 on --addr and --live-addr, with this PEM certificate (chain) file; needs --tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "the PEM private key file of --tls-cert")
	fs.BoolVar(&c.h2c, "h2c", false, "also accept unencrypted HTTP/2 with prior knowledge (h2c) beside HTTP/1.1 on --addr and --live-addr; not with --tls-cert")
	limitFlags(fs, &c.limits)
	describeEnv(fs, serveAllEnv)
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return c, err
	}
	if len(rest) > 0 {
		return c, usagef("serve: unexpected argument %q", rest[0])
	}
	if err := applyEnv(fs, serveAllEnv, e.getenv); err != nil {
		return c, err
	}
	if c.baseURL, err = parseBaseURL(c.baseURL); err != nil {
		return c, usagef("serve: %v", err)
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return c, usagef("serve: --addr %q: want HOST:PORT, such as 127.0.0.1:8080", c.addr)
	}
	if c.metricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.metricsAddr); err != nil {
			return c, usagef("serve: --metrics-addr %q: want HOST:PORT, such as 127.0.0.1:9090", c.metricsAddr)
		}
	}
	if err := checkListeners(c); err != nil {
		return c, err
	}
	if c.maxSleep < time.Millisecond || c.maxSleep > maxSleepLimit {
		return c, usagef("serve: --max-sleep %v: want 1ms to %v", c.maxSleep, maxSleepLimit)
	}
	if c.maxSlow < 1 || c.maxSlow > maxSlowLimit {
		return c, usagef("serve: --max-slow %d: want 1 to %d", c.maxSlow, maxSlowLimit)
	}
	if err := checkLive(c); err != nil {
		return c, err
	}
	if err := checkStores(c); err != nil {
		return c, err
	}
	return c, checkLimits(c.limits, c.maxBody)
}

// checkLive checks the live endpoint's body and sequence settings.
func checkLive(c serveConfig) error {
	switch {
	case c.maxBody < 1 || c.maxBody > maxBodyLimit:
		return usagef("serve: --max-body %d: want 1 to %d", c.maxBody, maxBodyLimit)
	case c.seqTTL < time.Second || c.seqTTL > seqTTLLimit:
		return usagef("serve: --seq-ttl %v: want 1s to %v", c.seqTTL, seqTTLLimit)
	case c.seqMaxKeys < 1 || c.seqMaxKeys > seqMaxKeysLimit:
		return usagef("serve: --seq-max-keys %d: want 1 to %d", c.seqMaxKeys, seqMaxKeysLimit)
	}
	return nil
}

// checkStores checks the URLs of the shared stores.
func checkStores(c serveConfig) error {
	if c.seqStore != "" {
		if _, err := redisstore.New(c.seqStore); err != nil {
			return usagef("serve: --seq-store: %v", err)
		}
	}
	if c.limitStore != "" {
		if _, err := redisstore.NewLimits(c.limitStore); err != nil {
			return usagef("serve: --limit-store: %v", err)
		}
	}
	return nil
}

// checkListeners checks the flags of the live listener and of TLS and
// h2c.
func checkListeners(c serveConfig) error {
	if c.liveAddr != "" {
		if _, _, err := net.SplitHostPort(c.liveAddr); err != nil {
			return usagef("serve: --live-addr %q: want HOST:PORT, such as 127.0.0.1:8081", c.liveAddr)
		}
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return usagef("serve: --tls-cert and --tls-key go together: give both files, or neither")
	}
	if c.h2c && c.tlsCert != "" {
		return usagef("serve: --h2c is HTTP/2 without TLS; with --tls-cert, HTTP/2 is already served over TLS")
	}
	return nil
}

func newLogger(c serveConfig, e env) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usagef("serve: --log-level %q: want debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(c.logFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, usagef("serve: --log-format %q: want text or json", c.logFormat)
}

// newHTTPServer returns the http.Server for h with the limits above.
// maxSleep is the live endpoint's cap on ?sleep, which the write timeout
// must exceed.
func newHTTPServer(h http.Handler, log *slog.Logger, maxSleep time.Duration) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      maxSleep + writeMargin,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// "OPTIONS *" goes to the handler, which answers it with the
		// site's headers.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// httpServer is what serves a listener: an *http.Server, or a
// *fastpath.Server in front of one.
type httpServer interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
	Close() error
}

// listener is an address being listened on, and what serves it.
type listener struct {
	ln  net.Listener
	srv httpServer
	// metrics is set on the metrics listener, which shuts down last.
	metrics bool
}

func runServe(ctx context.Context, args []string, e env) error {
	c, err := parseServe(args, e)
	if err != nil {
		return err
	}
	log, err := newLogger(c, e)
	if err != nil {
		return err
	}
	// No garbage collection until the first answer or warmDelay: the
	// start allocates a few megabytes, most of which it keeps, and a
	// collection in the middle of it only delays the first answer.
	gcPercent := debug.SetGCPercent(-1)
	if e.getenv("GOGC") == "" {
		gcPercent = defaultGCPercent
	}
	restoreGC := sync.OnceFunc(func() { debug.SetGCPercent(gcPercent) })
	defer restoreGC()
	// The page templates are parsed while the catalog loads, so that
	// a broken template fails here, not on a request.
	rnd, err := render.NewParsed(web.FS(), func() (*catalog.Catalog, error) { return loadCatalog(c.content) })
	if err != nil {
		return err
	}
	opts := server.Options{
		Logger: log, Version: buildVersion(), SeparateMetrics: c.metricsAddr != "", BaseURL: c.baseURL,
		MaxSleep: c.maxSleep, MaxSlow: c.maxSlow, MaxBody: c.maxBody, SeqTTL: c.seqTTL, SeqMaxKeys: c.seqMaxKeys,
	}
	if err := limitOptions(&opts, c.limits); err != nil {
		return err
	}
	if c.seqStore != "" {
		store, err := openSeqStore(ctx, c.seqStore, log)
		if err != nil {
			return err
		}
		defer store.Close()
		opts.SeqStore = store
	}
	if c.limitStore != "" {
		store, err := openLimitStore(ctx, c.limitStore, log)
		if err != nil {
			return err
		}
		defer store.Close()
		opts.LimitStore = store
	}
	srv := server.New(rnd, opts)
	lns, err := listen(c, srv, log)
	if err != nil {
		return err
	}
	logLimits(log, c.limits)
	go warm(ctx, srv, log, restoreGC)
	errc := make(chan error, len(lns))
	for _, l := range lns {
		go func() { errc <- l.srv.Serve(l.ln) }()
	}
	select {
	case err := <-errc:
		for _, l := range lns {
			l.srv.Close()
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return shutdown(lns, errc, srv, log, c.maxSleep+shutdownMargin)
}

// openSeqStore opens the shared sequence store at rawURL (checked by
// parseServe) and logs whether it answers: one that does not is not an
// error at start, since it may come up later; /readyz says when it does.
func openSeqStore(ctx context.Context, rawURL string, log *slog.Logger) (*redisstore.Store, error) {
	store, err := redisstore.New(rawURL)
	if err != nil {
		return nil, usagef("serve: --seq-store: %v", err)
	}
	pingStore(ctx, log, "sequence store", store)
	return store, nil
}

// openLimitStore opens the shared store of the per-client limits at
// rawURL (checked by parseServe) and logs whether it answers: while it
// does not, each replica limits its clients on its own, and /readyz does
// not depend on it.
func openLimitStore(ctx context.Context, rawURL string, log *slog.Logger) (*redisstore.Limits, error) {
	store, err := redisstore.NewLimits(rawURL)
	if err != nil {
		return nil, usagef("serve: --limit-store: %v", err)
	}
	pingStore(ctx, log, "limit store", store)
	return store, nil
}

// pingStore logs whether the store called what answers, within a
// second.
func pingStore(ctx context.Context, log *slog.Logger, what string, store interface {
	Ping(context.Context) error
	Addr() string
}) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := store.Ping(ctx); err != nil {
		log.Warn(what+" does not answer", "store", store.Addr(), "err", err)
	} else {
		log.Info(what, "store", store.Addr())
	}
}

// listen listens on the site's address, and on the live and the metrics
// addresses when they are set, each with the server that will serve it,
// the metrics listener last. The site is served through the fast path,
// unless it is off or TLS is on: it answers plain HTTP/1.1 GET and HEAD
// requests itself and hands every other connection to net/http, an h2c
// one (which opens with "PRI * HTTP/2.0") included. TLS and h2c apply to
// the site and the live listener; /metrics stays plain HTTP/1.1.
func listen(c serveConfig, srv *server.Server, log *slog.Logger) ([]listener, error) {
	tc, err := loadTLS(c)
	if err != nil {
		return nil, err
	}
	scheme := "http://"
	if tc != nil {
		scheme = "https://"
	}
	var lns []listener
	bind := func(flag, addr string) (net.Listener, error) {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range lns {
				l.ln.Close()
			}
			return nil, fmt.Errorf("listen on %s %s: %w", flag, addr, err)
		}
		return ln, nil
	}
	ln, err := bind("--addr", c.addr)
	if err != nil {
		return nil, err
	}
	hs := newHTTPServer(srv, log, c.maxSleep)
	site := listener{ln: ln, srv: withProtocols(hs, c, tc)}
	fast := c.fastPath && tc == nil
	if fast {
		site.srv = &fastpath.Server{HTTP: hs, Query: srv.Buffered}
	}
	lns = append(lns, site)
	if c.liveAddr != "" {
		lln, err := bind("--live-addr", c.liveAddr)
		if err != nil {
			return nil, err
		}
		lns = append(lns, listener{ln: lln, srv: withProtocols(newHTTPServer(srv.Compat(), log, c.maxSleep), c, tc)})
		log.Info("live endpoint", "addr", scheme+lln.Addr().String())
	}
	if c.metricsAddr != "" {
		mln, err := bind("--metrics-addr", c.metricsAddr)
		if err != nil {
			return nil, err
		}
		lns = append(lns, listener{ln: mln, srv: newHTTPServer(srv.Metrics(), log, c.maxSleep), metrics: true})
		log.Info("metrics", "addr", "http://"+mln.Addr().String()+"/metrics")
	}
	log.Info("listening", "addr", scheme+ln.Addr().String(), "fastpath", fast, "http2", tc != nil || c.h2c)
	return lns, nil
}

// loadTLS returns the TLS configuration of --tls-cert and --tls-key, or
// nil without them. An error names the file that could not be used.
func loadTLS(c serveConfig) (*tls.Config, error) {
	if c.tlsCert == "" {
		return nil, nil
	}
	certPEM, err := os.ReadFile(c.tlsCert)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert: %w", err)
	}
	keyPEM, err := os.ReadFile(c.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("--tls-key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s with --tls-key %s: %w", c.tlsCert, c.tlsKey, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// withProtocols returns what serves hs with the protocols of c: HTTPS
// with HTTP/2 (ALPN "h2") and HTTP/1.1 when tc is set; HTTP/1.1 and h2c
// with prior knowledge with --h2c; HTTP/1.1 alone otherwise.
func withProtocols(hs *http.Server, c serveConfig, tc *tls.Config) httpServer {
	if tc != nil {
		// A copy per server: ServeTLS adds the ALPN protocols to the
		// server's TLSConfig, and two servers must not write one config.
		hs.TLSConfig = tc.Clone()
		return tlsServer{hs}
	}
	if c.h2c {
		hs.Protocols = new(http.Protocols)
		hs.Protocols.SetHTTP1(true)
		hs.Protocols.SetUnencryptedHTTP2(true)
	}
	return hs
}

// tlsServer serves a listener with TLS, by its Server's TLSConfig, which
// ServeTLS completes with the ALPN protocols "h2" and "http/1.1".
type tlsServer struct{ *http.Server }

func (s tlsServer) Serve(l net.Listener) error { return s.ServeTLS(l, "", "") }

// warm fills the page cache after the first answer (often a health
// check, or a person's first page), or after warmDelay: it takes a core
// for a while, and the first request should not wait for it. It restores
// the garbage collector first.
func warm(ctx context.Context, srv *server.Server, log *slog.Logger, restoreGC func()) {
	select {
	case <-srv.Served():
	case <-time.After(warmDelay):
	case <-ctx.Done():
		return
	}
	restoreGC()
	start := time.Now()
	if err := srv.Warm(); err != nil {
		log.Error("warm page cache", "err", err)
		return
	}
	log.Info("ready", "dur", time.Since(start).Round(time.Millisecond))
}

// shutdown stops serving lns, whose Serve calls report to errc: /readyz
// turns 503, the listeners close, and in-flight requests get grace to
// finish (the longest may be sleeping). The site and the live listener
// stop together; the metrics listener stays up until their requests are
// done.
func shutdown(lns []listener, errc <-chan error, srv *server.Server, log *slog.Logger, grace time.Duration) error {
	log.Info("shutting down", "grace", grace)
	srv.Drain()
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var (
		mu   sync.Mutex
		errs []error
	)
	stop := func(l listener) {
		if err := l.srv.Shutdown(ctx); err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
			mu.Unlock()
			l.srv.Close()
		}
	}
	var wg sync.WaitGroup
	for _, l := range lns {
		if !l.metrics {
			wg.Go(func() { stop(l) })
		}
	}
	wg.Wait()
	for _, l := range lns {
		if l.metrics {
			stop(l)
		}
	}
	for range lns {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
	}
	if len(errs) == 0 {
		log.Info("stopped")
	}
	return errors.Join(errs...)
}
