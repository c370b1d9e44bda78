package bench

import (
	"net/http"
	"strconv"
	"strings"
)

// BareHandler is the benchmark's baseline handler: what a Go programmer
// writes to serve bytes from memory, with Content-Type, Content-Length
// and ETag (and rt.Headers), and the gzip form (when there is one) to a
// client that mentions gzip. The bare server serves one per route, and the server's
// Go benchmarks compare httpstatus with it.
func BareHandler(rt Route, plain, gz []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range rt.Headers {
			h.Set(kv[0], kv[1])
		}
		body, etag := plain, rt.ETag
		if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body, etag = gz, rt.GzipETag
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Type", rt.ContentType)
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if etag != "" {
			h.Set("ETag", etag)
		}
		w.WriteHeader(rt.Status)
		w.Write(body)
	}
}
