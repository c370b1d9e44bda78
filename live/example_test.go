package live_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/httpstatus/httpstatus/live"
)

// A Go test serves the live endpoint in-process, the way
// "httpstatus serve" does, and points the client under test at it.
func Example() {
	srv := httptest.NewServer(live.New())
	defer srv.Close()

	res, err := http.Get(srv.URL + "/status/503")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Retry-After"))
	fmt.Print(string(body))
	// Output:
	// 503 5
	// 503 Service Unavailable
}

// Options set the handler's limits; requested headers replace the
// catalog's.
func ExampleNew() {
	srv := httptest.NewServer(live.New(live.WithMaxSleep(time.Second), live.WithMaxSlow(8)))
	defer srv.Close()

	req, _ := http.NewRequest("PUT", srv.URL+"/status/429?sleep=10", nil)
	req.Header.Set(live.ResponseHeaderPrefix+"Retry-After", "7")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Retry-After"))

	res, err = http.Get(srv.URL + "/status/200?sleep=5000")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Print(res.StatusCode, " ", string(body))
	// Output:
	// 429 7
	// 400 A sleep of 5000 ms is over the cap of 1000 ms.
}

// A retry test asks for a sequence: with its own key, the endpoint fails
// twice, then succeeds, whatever else is asking at the same time.
func Example_sequence() {
	srv := httptest.NewServer(live.New())
	defer srv.Close()

	for range 4 {
		res, err := http.Get(srv.URL + "/status/503,503,200?seq=example-1")
		if err != nil {
			fmt.Println(err)
			return
		}
		res.Body.Close()
		fmt.Print(res.StatusCode, " ")
	}
	fmt.Println()
	// Output:
	// 503 503 200 200
}
