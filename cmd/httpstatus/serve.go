package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/server"
)

// Defaults of "httpstatus serve".
const (
	defaultAddr      = "127.0.0.1:8080"
	defaultLogLevel  = "info"
	defaultLogFormat = "text"
	shutdownTimeout  = 10 * time.Second
)

// serveConfig is the configuration of "httpstatus serve".
type serveConfig struct {
	addr      string
	logLevel  string
	logFormat string
	content   string
}

func parseServe(args []string, e env) (serveConfig, error) {
	var c serveConfig
	fs := newFlagSet("serve", "[flags]", e)
	fs.StringVar(&c.addr, "addr", defaultAddr, "address to listen on, HOST:PORT (env HTTPSTATUS_ADDR; PORT=N listens on :N)")
	fs.StringVar(&c.logLevel, "log-level", defaultLogLevel, "log level: debug, info, warn, error (env HTTPSTATUS_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", defaultLogFormat, "log format: text or json (env HTTPSTATUS_LOG_FORMAT)")
	fs.StringVar(&c.content, "content", "", "serve content files from this directory instead of the embedded ones")
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
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return c, usagef("serve: --addr %q: want HOST:PORT, such as 127.0.0.1:8080", c.addr)
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

func runServe(ctx context.Context, args []string, e env) error {
	c, err := parseServe(args, e)
	if err != nil {
		return err
	}
	log, err := newLogger(c, e)
	if err != nil {
		return err
	}
	rnd, err := loadRenderer(c.content)
	if err != nil {
		return err
	}
	srv := server.New(rnd, server.Options{Logger: log})
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "addr", "http://"+ln.Addr().String())
	go func() {
		if err := srv.Warm(); err != nil {
			log.Error("warm page cache", "err", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
