package catalog_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// goConstants parses $GOROOT/src/net/http/status.go and returns every
// exported constant, by its bare name ("StatusOK"), with its value. Parsing
// the source of the toolchain that builds this test, rather than listing
// names here, proves each identifier exists.
func goConstants(t *testing.T) map[string]int {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "src", "net", "http", "status.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	consts := map[string]int{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !name.IsExported() || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.INT {
					continue
				}
				v, err := strconv.Atoi(lit.Value)
				if err != nil {
					t.Fatalf("%s: %s = %s: %v", file, name.Name, lit.Value, err)
				}
				consts[name.Name] = v
			}
		}
	}
	if len(consts) < 60 {
		t.Fatalf("%s: found %d status constants, want the full list", file, len(consts))
	}
	// The parsed file is the one this binary links: net/http knows each value.
	for name, v := range consts {
		if http.StatusText(v) == "" {
			t.Fatalf("%s = %d, but net/http has no text for %d", name, v, v)
		}
	}
	return consts
}

// python is what python3 says of http.HTTPStatus: its version and every
// member, aliases included, by bare name.
type python struct {
	Version string         `json:"version"`
	Members map[string]int `json:"members"`
}

// pythonConstants asks python3 for every http.HTTPStatus member. Without
// python3 the test fails: the content names Python constants that nothing
// else can check.
func pythonConstants(t *testing.T) python {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to check the Python constants of the content: install it (Debian: apt-get install python3; scripts/deps.sh does): %v", err)
	}
	const script = `import json, sys
from http import HTTPStatus
print(json.dumps({"version": "%d.%d" % sys.version_info[:2], "members": {n: int(m) for n, m in HTTPStatus.__members__.items()}}))`
	out, err := exec.Command(py, "-c", script).Output()
	if err != nil {
		t.Fatalf("python3 -c: %v", err)
	}
	var got python
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python3 output %q: %v", out, err)
	}
	t.Logf("checking Python constants against http.HTTPStatus of Python %s", got.Version)
	return got
}

// extract is one library's constants at some of its release tags, kept in
// testdata/constants/<library>.json: the first release the guide tracks,
// every release where the list (or which names are deprecated) changed, and
// the newest, each with the URL of the source file at that tag.
type extract struct {
	Library string       `json:"library"`
	Type    string       `json:"type"`
	How     string       `json:"how"`
	Tags    []extractTag `json:"tags"`
}

type extractTag struct {
	Tag     string `json:"tag"`
	Version string `json:"version"`
	URL     string `json:"url"`
	// Deprecated maps each deprecated name to the name the library gives
	// in its place, or "".
	Deprecated map[string]string `json:"deprecated"`
	Constants  map[string]int    `json:"constants"`
}

func readExtract(t *testing.T, lib string) extract {
	t.Helper()
	name := filepath.Join("testdata", "constants", lib+".json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var x extract
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if x.Library != lib || len(x.Tags) < 2 {
		t.Fatalf("%s: library %q with %d tags, want %q with two or more", name, x.Library, len(x.Tags), lib)
	}
	for i, tag := range x.Tags {
		if !strings.HasPrefix(tag.URL, "https://github.com/") || !strings.Contains(tag.URL, "/blob/"+tag.Tag+"/") {
			t.Errorf("%s: tag %s: url %q is not the source file at the tag", name, tag.Tag, tag.URL)
		}
		if i > 0 && catalog.CompareVersions(tag.Version, x.Tags[i-1].Version) <= 0 {
			t.Errorf("%s: tag %s (%s) does not come after %s", name, tag.Tag, tag.Version, x.Tags[i-1].Version)
		}
	}
	return x
}

func (x extract) newest() extractTag { return x.Tags[len(x.Tags)-1] }

// history returns what the tags say of a name, in the terms of a
// catalog.Constant: its code, the first tag that has it (Since, "" for the
// first tag of all), the first that deprecates it and the replacement the
// last of those names, and the first tag after those without it.
func (x extract) history(name string) (catalog.Constant, int, bool) {
	var c catalog.Constant
	code, seen := 0, false
	for i, tag := range x.Tags {
		v, ok := tag.Constants[name]
		switch {
		case ok && !seen:
			seen, code = true, v
			if i > 0 {
				c.Since = tag.Version
			}
		case !ok && seen && c.Removed == "":
			c.Removed = tag.Version
		}
		if r, dep := tag.Deprecated[name]; ok && dep {
			if c.Deprecated == "" {
				c.Deprecated = tag.Version
			}
			c.Replacement = r
		}
	}
	c.Name = name
	return c, code, seen
}

// recorded is a constant of the content, where it is.
type recorded struct {
	where string // "413.md: meaning 1 (Content Too Large)"
	code  int
	c     catalog.Constant
	entry *catalog.Entry
}

func recordedConstants(cat *catalog.Catalog, lib string) []recorded {
	var out []recorded
	for _, k := range cat.Codes() {
		for i := range k.Entries {
			e := &k.Entries[i]
			for _, c := range e.Constants.Of(lib) {
				out = append(out, recorded{fmt.Sprintf("%s: meaning %d (%s): constants.%s: %s", e.File, i+1, e.Name, lib, c.Name), k.Code, c, e})
			}
		}
	}
	return out
}

// sameVersion reports whether two versions name the same release, ""
// matching only "".
func sameVersion(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return catalog.CompareVersions(a, b) == 0
}

// TestConstantsAgainstExtracts checks every Go, Java (Spring), .NET and
// Rust constant of the content against the committed extract of its
// library: the name exists with the code, and since, deprecated (with the
// replacement) and removed are the releases where the tags show it come,
// be deprecated and go. Every name of the newest tag is in the content, on
// its code. Each library's source link and first tracked release are the
// extract's.
func TestConstantsAgainstExtracts(t *testing.T) {
	cat := loadEmbedded(t)
	for _, lib := range []string{"go", "java", "dotnet", "rust"} {
		t.Run(lib, func(t *testing.T) {
			x := readExtract(t, lib)
			info := library(t, lib)
			if info.Source.URL != x.newest().URL {
				t.Errorf("catalog.Libraries %s: Source %s, want the newest tag of the extract, %s", lib, info.Source.URL, x.newest().URL)
			}
			if !sameVersion(info.Tracked, x.Tags[0].Version) {
				t.Errorf("catalog.Libraries %s: Tracked %s, want the first tag of the extract, %s", lib, info.Tracked, x.Tags[0].Version)
			}
			named := map[string]bool{}
			for _, r := range recordedConstants(cat, lib) {
				named[r.c.Name] = true
				want, code, ok := x.history(r.c.Name)
				if !ok {
					t.Errorf("%s: no tag of %s has it (testdata/constants/%s.json)", r.where, x.Type, lib)
					continue
				}
				if code != r.code {
					t.Errorf("%s: is %d in %s, not %d", r.where, code, x.Type, r.code)
				}
				checkVersions(t, r, want)
			}
			for name, code := range x.newest().Constants {
				if !named[name] {
					t.Errorf("%d: constants.%s: %s is missing (%s has it: %s)", code, lib, name, x.newest().Tag, x.newest().URL)
				}
			}
		})
	}
}

func checkVersions(t *testing.T, r recorded, want catalog.Constant) {
	t.Helper()
	for _, f := range []struct{ field, got, want string }{
		{"since", r.c.Since, want.Since},
		{"deprecated", r.c.Deprecated, want.Deprecated},
		{"removed", r.c.Removed, want.Removed},
	} {
		if !sameVersion(f.got, f.want) {
			t.Errorf("%s: %s %q, but the tags say %q", r.where, f.field, f.got, f.want)
		}
	}
	if r.c.Replacement != want.Replacement {
		t.Errorf("%s: replacement %q, but the library names %q", r.where, r.c.Replacement, want.Replacement)
	}
}

func library(t *testing.T, key string) catalog.Library {
	t.Helper()
	i := slices.IndexFunc(catalog.Libraries, func(l catalog.Library) bool { return l.Key == key })
	if i < 0 {
		t.Fatalf("catalog.Libraries has no %q", key)
	}
	return catalog.Libraries[i]
}

// TestGoExtractIsTheToolchain requires the newest tag of the Go extract to
// list exactly the constants of the net/http this test is built with: a Go
// release that adds one fails here until the extract and the content have
// it.
func TestGoExtractIsTheToolchain(t *testing.T) {
	got := goConstants(t)
	want := readExtract(t, "go").newest()
	if !maps.Equal(got, want.Constants) {
		t.Errorf("net/http's status constants differ from testdata/constants/go.json's %s:\ntoolchain %v\nextract   %v", want.Tag, got, want.Constants)
	}
}

// TestPythonConstants checks the Python constants against the python3 on
// the machine: every member it has is in the content, on its code; every
// recorded name whose since is not after the running version exists with
// the code; and a name since a later version does not exist yet (3.13's
// are checked against CPython's source at the tag, the Python library's
// Source).
func TestPythonConstants(t *testing.T) {
	cat := loadEmbedded(t)
	py := pythonConstants(t)
	named := map[string]bool{}
	for _, r := range recordedConstants(cat, "python") {
		named[r.c.Name] = true
		if r.c.State() != catalog.StateCurrent {
			t.Errorf("%s: http.HTTPStatus deprecates and removes nothing; want no deprecated or removed", r.where)
		}
		v, ok := py.Members[r.c.Name]
		switch later := r.c.Since != "" && catalog.CompareVersions(r.c.Since, py.Version) > 0; {
		case later && ok:
			t.Errorf("%s: since %s, but Python %s already has it", r.where, r.c.Since, py.Version)
		case later:
		case !ok:
			t.Errorf("%s: Python %s has no such member", r.where, py.Version)
		case v != r.code:
			t.Errorf("%s: is %d in Python %s, not %d", r.where, v, py.Version, r.code)
		}
	}
	for name, code := range py.Members {
		if !named[name] {
			t.Errorf("%d: constants.python: %s is missing (Python %s has it)", code, name, py.Version)
		}
	}
}

// TestConstantsCoverage requires a registered meaning to name the Go and
// Python constants whenever the library has a current one for its code,
// and the Java, .NET and Rust constants of at least two of those libraries
// (or every one that has the code, if fewer).
func TestConstantsCoverage(t *testing.T) {
	cat := loadEmbedded(t)
	codesOf := func(consts map[string]int) map[int]bool {
		out := map[int]bool{}
		for _, v := range consts {
			out[v] = true
		}
		return out
	}
	has := map[string]map[int]bool{"python": codesOf(pythonConstants(t).Members)}
	for _, lib := range []string{"go", "java", "dotnet", "rust"} {
		has[lib] = codesOf(readExtract(t, lib).newest().Constants)
	}
	for _, k := range cat.Codes() {
		for i, e := range k.Entries {
			if !e.Status.Registered() {
				continue
			}
			where := fmt.Sprintf("%s: meaning %d (%s)", e.File, i+1, e.Name)
			for _, lib := range []string{"go", "python"} {
				if has[lib][k.Code] && len(e.Constants.Of(lib)) == 0 {
					t.Errorf("%s: constants.%s: missing, but the library has a constant for %d", where, lib, k.Code)
				}
			}
			available, named := 0, 0
			for _, lib := range []string{"java", "dotnet", "rust"} {
				if has[lib][k.Code] {
					available++
					if len(e.Constants.Of(lib)) > 0 {
						named++
					}
				}
			}
			if want := min(2, available); named < want {
				t.Errorf("%s: constants: names %d of java, dotnet, rust; %d of those libraries have %d, want at least %d", where, named, available, k.Code, want)
			}
		}
	}
}
