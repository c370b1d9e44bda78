package fastpath

import (
	"bufio"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseHead requires parseHead to accept only heads net/http reads
// too, and to give the handler what net/http would: the same method,
// target, URL, host, headers and Close.
func FuzzParseHead(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"HEAD /503 HTTP/1.1\r\nHost: example.org:80\r\nAccept: text/html\r\nAccept-Encoding: gzip, br\r\n\r\n",
		"GET /status/503,200 HTTP/1.1\r\nhost: a\r\nconnection: keep-alive, Close\r\nX: 1\r\nx:\t2 \r\n\r\n",
		"GET //a/../b HTTP/1.1\r\nHost: [::1]:8080\r\nPragma: no-cache\r\nIf-None-Match: \"x\"\r\n\r\n",
		"GET /a;b=c@d:e HTTP/1.1\r\nHost: a\r\nEmpty:\r\nUser-Agent: Mozilla/5.0 (X11) \xc3\xa9\r\n\r\n",
		"GET /?q HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /status/200?sleep=8000&x=a+b HTTP/1.1\r\nHost: a\r\n\r\n",
		"HEAD /a?b?c=/d:e@f HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /a? HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /a?b;c HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /a?b=%20 HTTP/1.1\r\nHost: a\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, head string) {
		var r http.Request
		var u url.URL
		if !parseHead(head, &r, &u, make([]string, 2), http.Header{}) {
			return
		}
		want, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head)))
		if err != nil {
			t.Fatalf("parseHead accepted %q, net/http refuses it: %v", head, err)
		}
		// ReadRequest moves Host from the header map to want.Host, as
		// the server does (which also refuses two Hosts: parseHead
		// hands those over).
		for k, vs := range want.Header {
			for _, v := range vs {
				if strings.ContainsAny(v, "\x00\r\n") || !validName(k) {
					t.Fatalf("%q: net/http's server would refuse header %q: %q", head, k, v)
				}
			}
		}
		if want.ContentLength != 0 || want.TransferEncoding != nil || want.Body != http.NoBody {
			t.Fatalf("%q: net/http reads a body (Content-Length %d, Transfer-Encoding %q)", head, want.ContentLength, want.TransferEncoding)
		}
		got := fields{r.Method, *r.URL, r.Proto, r.ProtoMajor, r.ProtoMinor, r.Header, r.Host, r.Close, r.RequestURI}
		exp := fields{want.Method, *want.URL, want.Proto, want.ProtoMajor, want.ProtoMinor, want.Header, want.Host, want.Close, want.RequestURI}
		if len(got.Header) == 0 {
			got.Header = nil
		}
		if len(exp.Header) == 0 {
			exp.Header = nil
		}
		if !reflect.DeepEqual(got, exp) {
			t.Fatalf("%q:\nparseHead %+v\nnet/http  %+v", head, got, exp)
		}
	})
}

type fields struct {
	Method                 string
	URL                    url.URL
	Proto                  string
	ProtoMajor, ProtoMinor int
	Header                 http.Header
	Host                   string
	Close                  bool
	RequestURI             string
}

// TestFastRequestLine is the table of first lines served here, and of
// some that go to net/http.
func TestFastRequestLine(t *testing.T) {
	for line, want := range map[string]bool{
		"GET / HTTP/1.1":                            true,
		"HEAD /503 HTTP/1.1":                        true,
		"GET /status/503,200:3 HTTP/1.1":            true,
		"GET /a-b_c.d~e$f&g+h,i;j=k@l HTTP/1.1":     true,
		"POST / HTTP/1.1":                           false,
		"GET / HTTP/1.0":                            false,
		"GET / HTTP/2.0":                            false,
		"GET /?q HTTP/1.1":                          true,
		"GET /status/200?sleep=8000&a=b+c HTTP/1.1": true,
		"GET /a?b?c=/d:e@f,g$h HTTP/1.1":            true,
		"GET /a? HTTP/1.1":                          false,
		"GET /a?b;c HTTP/1.1":                       false,
		"GET /a?b=%20 HTTP/1.1":                     false,
		"GET /a?b#c HTTP/1.1":                       false,
		"GET /a?b c HTTP/1.1":                       false,
		"GET /%41 HTTP/1.1":                         false,
		"GET /a b HTTP/1.1":                         false,
		"GET /#x HTTP/1.1":                          false,
		"GET /a\\b HTTP/1.1":                        false,
		"GET * HTTP/1.1":                            false,
		"GET http://a/ HTTP/1.1":                    false,
		"GET  / HTTP/1.1":                           false,
		"GET / HTTP/1.1 ":                           false,
		"GET HTTP/1.1":                              false,
		"get / HTTP/1.1":                            false,
		"":                                          false,
	} {
		if got := fastRequestLine(line); got != want {
			t.Errorf("fastRequestLine(%q) = %v, want %v", line, got, want)
		}
		if got := fastRequestLine([]byte(line)); got != want {
			t.Errorf("fastRequestLine([]byte(%q)) = %v, want %v", line, got, want)
		}
	}
}
