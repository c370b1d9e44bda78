// Command bare is the benchmark's baseline: a bare net/http server with no
// middleware, no logging and no negotiation, that writes from memory the
// bytes httpstatus answered for the same requests, with Content-Type,
// Content-Length and ETag set. The harness fetches those bytes from
// httpstatus and writes them, with a manifest, into a directory:
//
//	bare -addr 127.0.0.1:9000 -dir /tmp/bench/bare
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/httpstatus/httpstatus/tools/bench"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	dir := flag.String("dir", ".", "directory holding "+bench.ManifestName+" and the bodies")
	flag.Parse()
	mux, err := load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
	if err := http.ListenAndServe(*addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
}

func load(dir string) (*http.ServeMux, error) {
	data, err := os.ReadFile(filepath.Join(dir, bench.ManifestName))
	if err != nil {
		return nil, err
	}
	var routes []bench.Route
	if err := json.Unmarshal(data, &routes); err != nil {
		return nil, fmt.Errorf("%s: %w", bench.ManifestName, err)
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		plain, err := os.ReadFile(filepath.Join(dir, rt.Body))
		if err != nil {
			return nil, err
		}
		var gz []byte
		if rt.Gzip != "" {
			if gz, err = os.ReadFile(filepath.Join(dir, rt.Gzip)); err != nil {
				return nil, err
			}
		}
		mux.HandleFunc("GET "+rt.Path, bench.BareHandler(rt, plain, gz))
	}
	return mux, nil
}
