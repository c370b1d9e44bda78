package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/server"
)

// The work a command does in the process, without exec and the loading
// of the binary: "make bench" measures those, end to end.

// BenchmarkShow is "httpstatus 503": load the catalog, render one code
// for a terminal.
func BenchmarkShow(b *testing.B) {
	getenv := func(string) string { return "" }
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), []string{"httpstatus", "503"}, getenv, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("httpstatus 503: exit status %d", code)
		}
	}
}

// BenchmarkLoadCatalog is the part of every command that reads content:
// parsing and validating every embedded file.
func BenchmarkLoadCatalog(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadCatalog(""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeStart is "httpstatus serve" up to its first answer, less
// exec and listen: load, build the handler, serve the doc page once.
func BenchmarkServeStart(b *testing.B) {
	log := slog.New(slog.DiscardHandler)
	b.ReportAllocs()
	for b.Loop() {
		rnd, err := loadRenderer("")
		if err != nil {
			b.Fatal(err)
		}
		srv := server.New(rnd, server.Options{Logger: log})
		req := httptest.NewRequest("GET", "/503", nil)
		req.Header.Set("Accept", "text/html")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET /503: status %d", rec.Code)
		}
	}
}
