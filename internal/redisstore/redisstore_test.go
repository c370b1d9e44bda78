package redisstore

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/limit"
)

func TestNewBadURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "http://127.0.0.1:6379", "redis://127.0.0.1:6379/x", "127.0.0.1:6379"} {
		if _, err := New(u); err == nil || !strings.Contains(err.Error(), "want redis://HOST:PORT/DB") {
			t.Errorf("New(%q): %v, want an error that shows the form", u, err)
		}
	}
	s, err := New("redis://user:secret@127.0.0.1:6390/3")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Addr() != "127.0.0.1:6390/3" || s.String() != "redis" {
		t.Errorf("Addr %q, String %q: want the address without the password, and the kind", s.Addr(), s.String())
	}
}

// TestStoreDown checks that a store that refuses connections, and one
// that accepts them and never answers, both fail within the timeouts,
// with errors that name the store: the sequence store and the limit
// store alike.
func TestStoreDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()

	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		var held []net.Conn // accepted, never answered
		for {
			c, err := silent.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()

	for _, addr := range []string{refused, silent.Addr().String()} {
		s, err := New("redis://" + addr + "/0")
		if err != nil {
			t.Fatal(err)
		}
		l, err := NewLimits("redis://" + addr + "/0")
		if err != nil {
			t.Fatal(err)
		}
		bucket := l.Buckets(limit.ClientRate, limit.Rate{PerSecond: 1, Burst: 1})
		for name, call := range map[string]func(context.Context) error{
			"Next": func(ctx context.Context) error { _, err := s.Next(ctx, "k", time.Minute); return err },
			"Ping": s.Ping,
			"Take": func(ctx context.Context) error { _, err := bucket.Take(ctx, "k", 1); return err },
		} {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			start := time.Now()
			err := call(ctx)
			d := time.Since(start)
			cancel()
			if err == nil || !strings.Contains(err.Error(), "redis "+addr+"/0") {
				t.Errorf("%s on %s: %v after %v, want an error naming the store", name, addr, err, d)
			}
			// Two tries of the store's timeout, and a busy machine's
			// delays, well short of the caller's own 5 s.
			if d > 3*time.Second {
				t.Errorf("%s on %s: failed after %v, want within the store's own timeouts", name, addr, d)
			}
		}
		s.Close()
		l.Close()
	}
}
