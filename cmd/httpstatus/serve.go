package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/fastpath"
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
	// The widest --max-sleep and --max-slow: a sleeping request holds a
	// connection and a goroutine, and the write timeout grows with the
	// sleep.
	maxSleepLimit = time.Minute
	maxSlowLimit  = 100000
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
	maxSleep time.Duration // cap on ?sleep of /status
	maxSlow  int           // /status requests sleeping at once
}

func parseServe(args []string, e env) (serveConfig, error) {
	var c serveConfig
	fs := newFlagSet("serve", "[flags]", e)
	fs.StringVar(&c.addr, "addr", defaultAddr, "address to listen on, HOST:PORT (env HTTPSTATUS_ADDR; PORT=N listens on :N)")
	fs.StringVar(&c.logLevel, "log-level", defaultLogLevel, "log level: debug, info, warn, error (env HTTPSTATUS_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", defaultLogFormat, "log format: text or json (env HTTPSTATUS_LOG_FORMAT)")
	fs.StringVar(&c.content, "content", "", "serve content files from this directory instead of the embedded ones")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve /metrics on this HOST:PORT instead of on --addr (env HTTPSTATUS_METRICS_ADDR)")
	fs.DurationVar(&c.maxSleep, "max-sleep", server.DefaultMaxSleep, "cap on ?sleep=MS of /status, from 1ms to "+maxSleepLimit.String()+" (env HTTPSTATUS_MAX_SLEEP)")
	fs.IntVar(&c.maxSlow, "max-slow", server.DefaultMaxSlow, "how many /status requests may sleep at once; more get 503 with Retry-After (env HTTPSTATUS_MAX_SLOW)")
	fs.StringVar(&c.baseURL, "base-url", render.DefaultBaseURL, "public URL of the site, for sitemap.xml and robots.txt (env HTTPSTATUS_BASE_URL)")
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return c, err
	}
	if len(rest) > 0 {
		return c, usagef("serve: unexpected argument %q", rest[0])
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["addr"] {
		if v := e.getenv("HTTPSTATUS_ADDR"); v != "" {
			c.addr = v
		} else if p := e.getenv("PORT"); p != "" {
			c.addr = ":" + p
		}
	}
	if !set["log-level"] {
		if v := e.getenv("HTTPSTATUS_LOG_LEVEL"); v != "" {
			c.logLevel = v
		}
	}
	if !set["log-format"] {
		if v := e.getenv("HTTPSTATUS_LOG_FORMAT"); v != "" {
			c.logFormat = v
		}
	}
	if !set["metrics-addr"] {
		c.metricsAddr = e.getenv("HTTPSTATUS_METRICS_ADDR")
	}
	if !set["base-url"] {
		if v := e.getenv("HTTPSTATUS_BASE_URL"); v != "" {
			c.baseURL = v
		}
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
	if v := e.getenv("HTTPSTATUS_MAX_SLEEP"); v != "" && !set["max-sleep"] {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, usagef("serve: HTTPSTATUS_MAX_SLEEP %q: want a duration such as 10s", v)
		}
		c.maxSleep = d
	}
	if v := e.getenv("HTTPSTATUS_MAX_SLOW"); v != "" && !set["max-slow"] {
		n, err := strconv.Atoi(v)
		if err != nil {
			return c, usagef("serve: HTTPSTATUS_MAX_SLOW %q: want a number such as 256", v)
		}
		c.maxSlow = n
	}
	if c.maxSleep < time.Millisecond || c.maxSleep > maxSleepLimit {
		return c, usagef("serve: --max-sleep %v: want 1ms to %v", c.maxSleep, maxSleepLimit)
	}
	if c.maxSlow < 1 || c.maxSlow > maxSlowLimit {
		return c, usagef("serve: --max-slow %d: want 1 to %d", c.maxSlow, maxSlowLimit)
	}
	return c, nil
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

// httpServer is what serves a listener: an *http.Server, or an *fastpath.Server
// in front of one.
type httpServer interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
	Close() error
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
	restoreGC := sync.OnceFunc(func() { debug.SetGCPercent(gcPercent) })
	defer restoreGC()
	// The page templates are parsed while the catalog loads, so that
	// a broken template fails here, not on a request.
	rnd, err := render.NewParsed(web.FS(), func() (*catalog.Catalog, error) { return loadCatalog(c.content) })
	if err != nil {
		return err
	}
	opts := server.Options{Logger: log, Version: buildVersion(), SeparateMetrics: c.metricsAddr != "", BaseURL: c.baseURL, MaxSleep: c.maxSleep, MaxSlow: c.maxSlow}
	srv := server.New(rnd, opts)
	maxSleep := opts.MaxSleep
	if maxSleep <= 0 {
		maxSleep = server.DefaultMaxSleep
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The site's listener is served by the fast path, which answers plain GET and
	// HEAD requests itself and hands every other connection to net/http.
	servers := []httpServer{&fastpath.Server{HTTP: newHTTPServer(srv, log, maxSleep)}}
	lns := []net.Listener{ln}
	if c.metricsAddr != "" {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen: %w", err)
		}
		servers = append(servers, newHTTPServer(srv.Metrics(), log, maxSleep))
		lns = append(lns, mln)
		log.Info("metrics", "addr", "http://"+mln.Addr().String()+"/metrics")
	}
	log.Info("listening", "addr", "http://"+ln.Addr().String())
	go func() {
		// Warm after the first answer (often a health check, or a
		// person's first page), or after warmDelay: it takes a core for a
		// while, and the first request should not wait for it.
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
	}()
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { errc <- hs.Serve(lns[i]) }()
	}
	select {
	case err := <-errc:
		for _, hs := range servers {
			hs.Close()
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish (the longest may be
	// sleeping), then stop the metrics listener, which stays up meanwhile.
	grace := maxSleep + shutdownMargin
	log.Info("shutting down", "grace", grace)
	srv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var errs []error
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
			hs.Close()
		}
	}
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
	}
	if len(errs) == 0 {
		log.Info("stopped")
	}
	return errors.Join(errs...)
}
