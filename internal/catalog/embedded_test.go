package catalog_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

func loadEmbedded(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatalf("Load(content.FS()):\n%v", err)
	}
	return cat
}

// TestEmbeddedContent loads the real content and requires zero problems.
func TestEmbeddedContent(t *testing.T) {
	loadEmbedded(t)
}

// iana is the IANA HTTP Status Code Registry as of its 2025-09-15 update,
// with the name and status the guide shows: the registry's name, except
// that 418 keeps its RFC 2324 name and 510 drops the "(OBSOLETED)" mark,
// which its status carries.
var iana = []struct {
	code   int
	name   string
	status catalog.Status
}{
	{100, "Continue", catalog.Standard}, {101, "Switching Protocols", catalog.Standard},
	{102, "Processing", catalog.Standard}, {103, "Early Hints", catalog.Standard},
	{104, "Upload Resumption Supported", catalog.Temporary},
	{200, "OK", catalog.Standard}, {201, "Created", catalog.Standard}, {202, "Accepted", catalog.Standard},
	{203, "Non-Authoritative Information", catalog.Standard}, {204, "No Content", catalog.Standard},
	{205, "Reset Content", catalog.Standard}, {206, "Partial Content", catalog.Standard},
	{207, "Multi-Status", catalog.Standard}, {208, "Already Reported", catalog.Standard},
	{226, "IM Used", catalog.Standard},
	{300, "Multiple Choices", catalog.Standard}, {301, "Moved Permanently", catalog.Standard},
	{302, "Found", catalog.Standard}, {303, "See Other", catalog.Standard},
	{304, "Not Modified", catalog.Standard}, {305, "Use Proxy", catalog.Standard},
	{306, "(Unused)", catalog.Unused}, {307, "Temporary Redirect", catalog.Standard},
	{308, "Permanent Redirect", catalog.Standard},
	{400, "Bad Request", catalog.Standard}, {401, "Unauthorized", catalog.Standard},
	{402, "Payment Required", catalog.Standard}, {403, "Forbidden", catalog.Standard},
	{404, "Not Found", catalog.Standard}, {405, "Method Not Allowed", catalog.Standard},
	{406, "Not Acceptable", catalog.Standard}, {407, "Proxy Authentication Required", catalog.Standard},
	{408, "Request Timeout", catalog.Standard}, {409, "Conflict", catalog.Standard},
	{410, "Gone", catalog.Standard}, {411, "Length Required", catalog.Standard},
	{412, "Precondition Failed", catalog.Standard}, {413, "Content Too Large", catalog.Standard},
	{414, "URI Too Long", catalog.Standard}, {415, "Unsupported Media Type", catalog.Standard},
	{416, "Range Not Satisfiable", catalog.Standard}, {417, "Expectation Failed", catalog.Standard},
	{418, "I'm a teapot", catalog.Unused},
	{421, "Misdirected Request", catalog.Standard}, {422, "Unprocessable Content", catalog.Standard},
	{423, "Locked", catalog.Standard}, {424, "Failed Dependency", catalog.Standard},
	{425, "Too Early", catalog.Standard}, {426, "Upgrade Required", catalog.Standard},
	{428, "Precondition Required", catalog.Standard}, {429, "Too Many Requests", catalog.Standard},
	{431, "Request Header Fields Too Large", catalog.Standard},
	{451, "Unavailable For Legal Reasons", catalog.Standard},
	{500, "Internal Server Error", catalog.Standard}, {501, "Not Implemented", catalog.Standard},
	{502, "Bad Gateway", catalog.Standard}, {503, "Service Unavailable", catalog.Standard},
	{504, "Gateway Timeout", catalog.Standard}, {505, "HTTP Version Not Supported", catalog.Standard},
	{506, "Variant Also Negotiates", catalog.Standard}, {507, "Insufficient Storage", catalog.Standard},
	{508, "Loop Detected", catalog.Standard}, {510, "Not Extended", catalog.Obsoleted},
	{511, "Network Authentication Required", catalog.Standard},
}

func TestIANARegistry(t *testing.T) {
	if len(iana) != 64 {
		t.Fatalf("the reference table has %d codes, want the registry's 64", len(iana))
	}
	cat := loadEmbedded(t)
	for _, want := range iana {
		k, err := cat.Lookup(want.code)
		if err != nil {
			t.Errorf("Lookup(%d): %v", want.code, err)
			continue
		}
		e := k.Primary()
		if e.Name != want.name || e.Status != want.status {
			t.Errorf("%d: first meaning = %q (%s), want %q (%s)", want.code, e.Name, e.Status, want.name, want.status)
		}
		if !strings.Contains(e.Spec.URL, "rfc-editor.org") && !strings.Contains(e.Spec.URL, "ietf.org") {
			t.Errorf("%d: spec %s is not an RFC or IETF document", want.code, e.Spec.URL)
		}
	}
	registered := map[int]bool{}
	for _, w := range iana {
		registered[w.code] = true
	}
	for _, k := range cat.Codes() {
		if k.Primary().Status.Registered() && !registered[k.Code] {
			t.Errorf("%d is marked %s but is not in the IANA registry", k.Code, k.Primary().Status)
		}
	}
}

type seedRow struct {
	code          int
	name, meaning string
}

// seedRows reads the table of the seed's 5xx page.
func seedRows(t *testing.T) []seedRow {
	t.Helper()
	data, err := os.ReadFile("testdata/seed-5xx.txt")
	if err != nil {
		t.Fatal(err)
	}
	var rows []seedRow
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) != 3 || !strings.HasPrefix(line, "| 5") {
			continue
		}
		code, err := strconv.Atoi(strings.TrimPrefix(cells[0], "| "))
		if err != nil {
			t.Fatalf("seed row %q: %v", line, err)
		}
		rows = append(rows, seedRow{code, cells[1], strings.TrimSuffix(cells[2], " |")})
	}
	if len(rows) != 16 {
		t.Fatalf("seed has %d rows, want 16", len(rows))
	}
	return rows
}

// TestSeedRows requires the 16 rows of the seed's 5xx table word for word,
// as the first meaning of each code.
func TestSeedRows(t *testing.T) {
	cat := loadEmbedded(t)
	for _, row := range seedRows(t) {
		k, err := cat.Lookup(row.code)
		if err != nil {
			t.Errorf("Lookup(%d): %v", row.code, err)
			continue
		}
		e := k.Primary()
		if e.Name != row.name {
			t.Errorf("%d: name = %q, want the seed's %q", row.code, e.Name, row.name)
		}
		if e.Summary != row.meaning {
			t.Errorf("%d: summary = %q,\nwant the seed's %q", row.code, e.Summary, row.meaning)
		}
	}
	k, err := cat.Class("5xx")
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := os.ReadFile("testdata/seed-5xx.txt")
	for _, s := range append(append([]string{k.Lead, k.Means}, k.Appears...), k.Notes...) {
		if !strings.Contains(string(seed), s) {
			t.Errorf("5xx.md: %q is not in the seed", s)
		}
	}
}

// unofficial lists the vendor codes the guide must cover, by vendor.
var unofficial = []struct {
	code   int
	vendor string
}{
	{444, "nginx"}, {494, "nginx"}, {495, "nginx"}, {496, "nginx"}, {497, "nginx"}, {499, "nginx"},
	{520, "Cloudflare"}, {521, "Cloudflare"}, {522, "Cloudflare"}, {523, "Cloudflare"}, {524, "Cloudflare"},
	{525, "Cloudflare"}, {526, "Cloudflare"}, {527, "Cloudflare"}, {530, "Cloudflare"},
	{460, "AWS Elastic Load Balancing"}, {463, "AWS Elastic Load Balancing"}, {464, "AWS Elastic Load Balancing"},
	{561, "AWS Elastic Load Balancing"},
	{440, "Microsoft IIS"}, {449, "Microsoft IIS"}, {451, "Microsoft IIS"},
	{419, "Laravel"}, {420, "Twitter"}, {420, "Spring Framework"}, {498, "Esri"}, {499, "Esri"},
	{218, "Apache HTTP Server"}, {509, "Apache HTTP Server"}, {430, "Shopify"}, {508, "cPanel"},
	{999, "LinkedIn"}, {529, "Qualys"}, {530, "Pantheon"},
	{526, "Cloud Foundry"}, {463, "Alibaba Cloud"},
}

func TestUnofficialCodes(t *testing.T) {
	cat := loadEmbedded(t)
	for _, want := range unofficial {
		k, err := cat.Lookup(want.code)
		if err != nil {
			t.Errorf("Lookup(%d): %v", want.code, err)
			continue
		}
		found := false
		for _, e := range k.Entries {
			if e.Status == catalog.Unofficial && e.Vendor == want.vendor {
				found = true
			}
		}
		if !found {
			t.Errorf("%d: no unofficial meaning from %s", want.code, want.vendor)
		}
	}
}

// TestContentYAMLMistake breaks the front matter of real content files
// and requires Load to name the file and the line of the mistake, in the
// first meaning of a file and in a later one.
func TestContentYAMLMistake(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, line, broken, want string
	}{
		{"503.md", "name: Service Unavailable", "name: Service: Unavailable", "mapping values are not allowed in this context"},
		{"499.md", "name: Token Required", "name: [Token Required", "did not find expected ',' or ']'"},
		{"418.md", "code: 418", "code: 418\ncode: 418", `mapping key "code" already defined`},
		{"5xx.md", "class: 5xx", "class: 5xx\n\ttitle: T", "found a tab character that violates indentation"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{}
			names, err := fs.Glob(content.FS(), "*.md")
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range names {
				data, err := fs.ReadFile(content.FS(), name)
				if err != nil {
					t.Fatal(err)
				}
				fsys[name] = &fstest.MapFile{Data: data}
			}
			lines := strings.Split(string(fsys[tt.file].Data), "\n")
			at := slices.Index(lines, tt.line)
			if at < 0 {
				t.Fatalf("%s has no line %q to break", tt.file, tt.line)
			}
			lines[at] = tt.broken
			fsys[tt.file].Data = []byte(strings.Join(lines, "\n"))
			// The mistake is on the line replaced, or on the one added
			// after it.
			line := at + 1 + strings.Count(tt.broken, "\n")
			want := fmt.Sprintf("%s: line %d: %s", tt.file, line, tt.want)
			_, err = catalog.Load(fsys)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Load with %s line %d broken = %v\nwant it to contain %q", tt.file, at+1, err, want)
			}
		})
	}
}

// BenchmarkLoad is what --content DIR and "make content" pay to read the
// content: parsing (the YAML front matter is most of it) and validating
// every file. Run it with -cpu 1,2 to see the parallel parse.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.Load(content.FS()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCatalogJSON checks content/catalog.jsonl and
// content/catalog-clients.jsonl, what commands read at start: they must be
// the content files decoded now, and read back with the Markdown files to
// the same catalog as Load's.
func TestCatalogJSON(t *testing.T) {
	t.Parallel()
	want := loadEmbedded(t)
	var index, clients bytes.Buffer
	if err := want.WriteJSON(&index, &clients); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	if !bytes.Equal(index.Bytes(), content.CatalogJSON()) || !bytes.Equal(clients.Bytes(), content.ClientsJSON()) {
		t.Fatalf("content/catalog.jsonl or content/catalog-clients.jsonl is stale: run make content")
	}
	cat, err := catalog.LoadJSON(content.CatalogJSON(), content.ClientsJSON(), content.FS())
	if err != nil {
		t.Fatalf("LoadJSON: %v", err)
	}
	if !reflect.DeepEqual(cat.Codes(), want.Codes()) || !reflect.DeepEqual(cat.Classes(), want.Classes()) ||
		!reflect.DeepEqual(cat.Guides(), want.Guides()) || !reflect.DeepEqual(cat.Scenarios(), want.Scenarios()) ||
		!reflect.DeepEqual(cat.Clients(), want.Clients()) {
		t.Errorf("LoadJSON of the embedded content differs from Load(content.FS())")
	}
}

// TestLoadCodeEmbedded requires LoadCode, for every code of the embedded
// content and for numbers without a file, to hold what Load holds for
// that code's page: the code and its class with their bodies; the x00
// code of its class, the codes it relates to and the guides without
// theirs; the scenarios that concern the code, and no other scenario.
func TestLoadCodeEmbedded(t *testing.T) {
	t.Parallel()
	full := loadEmbedded(t)
	var guides []catalog.Guide
	for _, g := range full.Guides() {
		g := *g
		g.Body = ""
		guides = append(guides, g)
	}
	codes := []int{299, 499, 999}
	for _, k := range full.Codes() {
		codes = append(codes, k.Code)
	}
	for _, code := range codes {
		cat, err := catalog.LoadCode(content.CatalogJSON(), content.ClientsJSON(), content.FS(), code)
		if err != nil {
			t.Fatalf("LoadCode(%d): %v", code, err)
		}
		if got, want := lookup(cat, code), lookup(full, code); !reflect.DeepEqual(got, want) {
			t.Errorf("LoadCode(%d).Lookup(%d) = %+v, want %+v", code, code, got, want)
		}
		others := []int{code / 100 * 100}
		if k, err := full.Lookup(code); err == nil {
			for _, e := range k.Entries {
				others = append(others, e.Related...)
			}
		}
		for _, n := range others {
			if n == code {
				continue
			}
			want := lookup(full, n)
			if want != nil {
				want.Entries = slices.Clone(want.Entries)
				for i := range want.Entries {
					want.Entries[i].Body = ""
				}
			}
			if got := lookup(cat, n); !reflect.DeepEqual(got, want) {
				t.Errorf("LoadCode(%d).Lookup(%d) = %+v, want %+v, without its body", code, n, got, want)
			}
		}
		wc, _ := full.Class(catalog.ClassOf(code))
		if gc, _ := cat.Class(catalog.ClassOf(code)); !reflect.DeepEqual(gc, wc) {
			t.Errorf("LoadCode(%d).Class = %+v, want %+v", code, gc, wc)
		}
		var got []catalog.Guide
		for _, g := range cat.Guides() {
			got = append(got, *g)
		}
		if !reflect.DeepEqual(got, guides) {
			t.Errorf("LoadCode(%d).Guides() differ from Load's without their bodies", code)
		}
		if got, w := cat.Scenarios(), full.ScenariosFor(code); !reflect.DeepEqual(got, w) && len(got)+len(w) > 0 {
			t.Errorf("LoadCode(%d).Scenarios() = %d scenarios, want the %d that concern it", code, len(got), len(w))
		}
		if !reflect.DeepEqual(cat.Clients(), full.Clients()) {
			t.Errorf("LoadCode(%d).Clients() differ from Load's", code)
		}
	}
}

// lookup returns a copy of the code n of cat, or nil.
func lookup(cat *catalog.Catalog, n int) *catalog.Code {
	k, err := cat.Lookup(n)
	if err != nil {
		return nil
	}
	c := *k
	return &c
}

// BenchmarkLoadJSON is what serve and export pay to read the embedded
// content: content/catalog.jsonl decoded, the bodies and the clients'
// data read, all validated.
func BenchmarkLoadJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.LoadJSON(content.CatalogJSON(), content.ClientsJSON(), content.FS()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCode is what "httpstatus 503" pays to read its page.
func BenchmarkLoadCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.LoadCode(content.CatalogJSON(), content.ClientsJSON(), content.FS(), 503); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadIndex is what list and search pay: content/catalog.jsonl
// decoded, nothing else.
func BenchmarkLoadIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.LoadIndex(content.CatalogJSON()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBeyond requires Beyond to list every code of the content above 599,
// in order: the numbers the messages about the range name.
func TestBeyond(t *testing.T) {
	cat := loadEmbedded(t)
	var want []int
	for _, k := range cat.Codes() {
		if !catalog.InRange(k.Code) {
			want = append(want, k.Code)
		}
	}
	if got := cat.Beyond(); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("Beyond() = %v, want %v (the guide documents 999)", got, want)
	}
}

// TestExampleContentLength requires every example response that sends
// Content-Length to give its body's length in bytes: the text after the
// first blank line, with or without the final newline of the content
// file's block. A body that is a single placeholder line in parentheses,
// "(the first 1024 bytes of the file)", stands for bytes it does not show.
func TestExampleContentLength(t *testing.T) {
	cat := loadEmbedded(t)
	checked := 0
	for _, k := range cat.Codes() {
		for i, e := range k.Entries {
			head, body, _ := strings.Cut(e.Example, "\n\n")
			var length string
			for _, line := range strings.Split(head, "\n") {
				if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Content-Length") {
					length = strings.TrimSpace(value)
				}
			}
			if length == "" {
				continue
			}
			if p := strings.TrimSpace(body); strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") && !strings.Contains(p, "\n") {
				continue
			}
			checked++
			n, err := strconv.Atoi(length)
			if err != nil || (n != len(body) && n != len(strings.TrimSuffix(body, "\n"))) {
				t.Errorf("%s: meaning %d: example: Content-Length %s, but the body is %d bytes", e.File, i+1, length, len(strings.TrimSuffix(body, "\n")))
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked %d examples with Content-Length, want the content's", checked)
	}
}

// TestEmbeddedClients requires what real clients did on the pages the
// issue names, with at least eight clients and their versions.
func TestEmbeddedClients(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	if n := len(cat.Clients()); n < 8 {
		t.Fatalf("Clients() = %d clients, want at least 8", n)
	}
	for _, code := range []int{100, 101, 103, 301, 302, 303, 307, 308, 429, 503} {
		scns := cat.ScenariosFor(code)
		if len(scns) == 0 {
			t.Errorf("ScenariosFor(%d) = none, want at least one", code)
		}
		for _, s := range scns {
			if len(s.Observations) < 8 {
				t.Errorf("%s: %d observations, want at least 8", s.Scenario.ID, len(s.Observations))
			}
		}
	}
}
