package preload

import (
	"reflect"
	"testing"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

func TestWanted(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"httpstatus", "serve"}, true},
		{[]string{"httpstatus", "serve", "--addr", ":8080", "--log-format", "json"}, true},
		{[]string{"httpstatus", "list", "--json", "5xx"}, true},
		{[]string{"httpstatus", "search", "gateway timeout"}, true},
		{[]string{"httpstatus", "export", "./out"}, true},
		{[]string{"httpstatus", "serve", "--", "--content"}, true},
		{[]string{"httpstatus", "serve", "--content", "./content"}, false},
		{[]string{"httpstatus", "serve", "-content=./content"}, false},
		{[]string{"httpstatus", "export", "--content=x", "./out"}, false},
		{[]string{"httpstatus", "503"}, false},
		{[]string{"httpstatus", "show", "503"}, false},
		{[]string{"httpstatus", "version"}, false},
		{[]string{"httpstatus"}, false},
		{nil, false},
	} {
		if got := Wanted(tc.args); got != tc.want {
			t.Errorf("Wanted(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// TestStart checks that nothing is loaded for a test binary's command
// line, and that what start loads is the catalog Load gives.
func TestStart(t *testing.T) {
	if _, ok, _ := Catalog(); ok {
		t.Fatal("a catalog was preloaded for the test binary's command line")
	}
	start([]string{"httpstatus", "serve"})
	got, ok, err := Catalog()
	if !ok || err != nil {
		t.Fatalf("Catalog after start = %v, %v", ok, err)
	}
	want, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Codes(), want.Codes()) {
		t.Error("the preloaded catalog differs from catalog.Load's")
	}
}
