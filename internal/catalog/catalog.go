// Package catalog loads, validates and answers questions about the guide's
// content: every status code, each of its meanings, and the five classes.
//
// It is the only source of truth for names, classes, meanings and references.
// A Catalog is read-only after Load and safe for concurrent use.
package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"
)

// ErrNotFound reports that a code or class has no entry in the catalog.
var ErrNotFound = errors.New("not found")

// License is the licence of the guide's content, the files content/LICENSE
// describes: every output made from them carries it.
var License = Link{Title: "CC BY-SA 4.0", URL: "https://creativecommons.org/licenses/by-sa/4.0/"}

// Wikipedia is the article some summaries are the wording of, which the
// licence asks the guide to credit.
var Wikipedia = Link{Title: "Wikipedia's List of HTTP status codes", URL: "https://en.wikipedia.org/wiki/List_of_HTTP_status_codes"}

// Attribution is the credit the licence asks for, as one sentence of plain
// text.
func Attribution() string {
	return "The httpstatus guide and its contributors; some summaries are the wording of " + Wikipedia.Title + " <" + Wikipedia.URL + ">, by its contributors."
}

// Status says how a meaning of a code is standardised.
type Status string

// The statuses a meaning can have.
const (
	Standard   Status = "standard"   // registered with IANA, defined by an RFC
	Temporary  Status = "temporary"  // a temporary IANA registration
	Obsoleted  Status = "obsoleted"  // registered, but its defining document is obsolete
	Unused     Status = "unused"     // reserved by IANA, not to be used
	Unofficial Status = "unofficial" // used by a vendor, not registered
)

// Registered reports whether the status is one the IANA registry lists.
func (s Status) Registered() bool { return s != Unofficial }

func (s Status) valid() bool {
	switch s {
	case Standard, Temporary, Obsoleted, Unused, Unofficial:
		return true
	}
	return false
}

// Link is a cited document.
type Link struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// Header is a response header that goes with a status. When Value is set, the
// live endpoint sends the header with that value.
type Header struct {
	Name  string `yaml:"name" json:"name"`
	Value string `yaml:"value,omitempty" json:"value,omitempty"`
	Note  string `yaml:"note" json:"note"`
}

// Constant is one library's name for a status, with the releases that
// have it. Name is bare, as the library declares it ("CONTENT_TOO_LARGE");
// Library.Prefix gives the form code writes ("HttpStatus.CONTENT_TOO_LARGE").
// Versions are the library's releases ("7.0", "1.13"): Since is the first
// that has the name, empty when every release the guide tracks has it
// (Library.Tracked); Deprecated the first that marks it deprecated, naming
// Replacement when the library names one; Removed the first without it.
type Constant struct {
	Name        string `yaml:"name" json:"name"`
	Since       string `yaml:"since,omitempty" json:"since,omitempty"`
	Deprecated  string `yaml:"deprecated,omitempty" json:"deprecated,omitempty"`
	Replacement string `yaml:"replacement,omitempty" json:"replacement,omitempty"`
	Removed     string `yaml:"removed,omitempty" json:"removed,omitempty"`
}

// UnmarshalYAML reads a constant as a mapping of its fields, or as a plain
// name, the short form of a constant that every tracked release has:
// "go: [StatusOK]".
func (c *Constant) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = Constant{Name: n.Value}
		return nil
	}
	type plain Constant // without this method
	return n.Decode((*plain)(c))
}

// State is where a constant stands in the newest release.
type State string

// The states of a constant.
const (
	StateCurrent    State = "current"
	StateDeprecated State = "deprecated"
	StateRemoved    State = "removed"
)

// State says whether the constant is current, deprecated or removed.
func (c Constant) State() State {
	switch {
	case c.Removed != "":
		return StateRemoved
	case c.Deprecated != "":
		return StateDeprecated
	}
	return StateCurrent
}

// Constants names a status in common libraries, one list per library:
// the current names first, then the deprecated, then the removed. An empty
// list means the library has no constant for it.
type Constants struct {
	Go     []Constant `yaml:"go,omitempty" json:"go,omitempty"`         // net/http
	Python []Constant `yaml:"python,omitempty" json:"python,omitempty"` // http.HTTPStatus
	Java   []Constant `yaml:"java,omitempty" json:"java,omitempty"`     // Spring HttpStatus
	DotNet []Constant `yaml:"dotnet,omitempty" json:"dotnet,omitempty"` // System.Net.HttpStatusCode
	Rust   []Constant `yaml:"rust,omitempty" json:"rust,omitempty"`     // http::StatusCode
}

// Of returns the constants of the library with the given key ("java").
func (c Constants) Of(key string) []Constant {
	switch key {
	case "go":
		return c.Go
	case "python":
		return c.Python
	case "java":
		return c.Java
	case "dotnet":
		return c.DotNet
	case "rust":
		return c.Rust
	}
	return nil
}

// Library is a library whose constants the catalog records.
type Library struct {
	Key     string // the field of Constants: "java"
	Name    string // "Java (Spring HttpStatus)"
	Prefix  string // what code writes before a name: "HttpStatus."
	Release string // what a version is of: "Spring Framework"
	// Tracked is the first release the guide tracks: a constant without
	// Since is in every release from it on.
	Tracked string
	// Source is the newest source the constants were checked against.
	Source Link
}

// Libraries are the libraries of Constants, in the order pages show them.
var Libraries = []Library{
	{"go", "Go (net/http)", "http.", "Go", "1.0", Link{
		"Go go1.26.0 src/net/http/status.go",
		"https://github.com/golang/go/blob/go1.26.0/src/net/http/status.go"}},
	{"python", "Python (http.HTTPStatus)", "HTTPStatus.", "Python", "3.5", Link{
		"CPython v3.13.0 Lib/http/__init__.py",
		"https://github.com/python/cpython/blob/v3.13.0/Lib/http/__init__.py"}},
	{"java", "Java (Spring HttpStatus)", "HttpStatus.", "Spring Framework", "3.0", Link{
		"Spring Framework v7.0.9 HttpStatus.java",
		"https://github.com/spring-projects/spring-framework/blob/v7.0.9/spring-web/src/main/java/org/springframework/http/HttpStatus.java"}},
	{"dotnet", ".NET (System.Net.HttpStatusCode)", "HttpStatusCode.", ".NET", "5.0", Link{
		".NET v8.0.0 HttpStatusCode.cs",
		"https://github.com/dotnet/runtime/blob/v8.0.0/src/libraries/System.Net.Primitives/src/System/Net/HttpStatusCode.cs"}},
	{"rust", "Rust (http::StatusCode)", "StatusCode::", "http", "0.1.0", Link{
		"http v1.4.2 src/status.rs",
		"https://github.com/hyperium/http/blob/v1.4.2/src/status.rs"}},
}

// CompareVersions compares two release versions such as "6.0.5" and "7.0"
// number by number, a missing number counting as 0: -1 when a is older, 0
// when they are the same release, +1 when a is newer.
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Entry is one meaning of a status code: a registered one, or a vendor's.
type Entry struct {
	Code      int       `yaml:"code" json:"code"`
	Name      string    `yaml:"name" json:"name"`
	Aliases   []string  `yaml:"aliases" json:"aliases,omitempty"`
	Status    Status    `yaml:"status" json:"status"`
	Vendor    string    `yaml:"vendor" json:"vendor,omitempty"`
	Summary   string    `yaml:"summary" json:"summary"`
	Spec      Link      `yaml:"spec" json:"spec"`
	Sources   []Link    `yaml:"sources" json:"sources,omitempty"`
	Headers   []Header  `yaml:"headers" json:"headers,omitempty"`
	Cacheable bool      `yaml:"cacheable" json:"cacheable"`
	Retry     string    `yaml:"retry" json:"retry,omitempty"`
	Constants Constants `yaml:"constants" json:"constants"`
	Related   []int     `yaml:"related" json:"related,omitempty"`
	Keywords  []string  `yaml:"keywords" json:"keywords,omitempty"`
	Example   string    `yaml:"example" json:"example,omitempty"`

	// Body is the Markdown prose that follows the front matter.
	Body string `yaml:"-" json:"-"`
	// File is the content file the entry came from.
	File string `yaml:"-" json:"file"`
}

// Code is a status code number with its meanings, the registered or seed
// meaning first.
type Code struct {
	Code    int     `json:"code"`
	Entries []Entry `json:"entries"`
}

// Primary returns the first meaning of the code.
func (c *Code) Primary() *Entry { return &c.Entries[0] }

// Class returns the class of the code, such as "5xx".
func (c *Code) Class() string { return ClassOf(c.Code) }

// ClassOf returns the class name of a code: "5xx" for 503.
func ClassOf(code int) string { return strconv.Itoa(code/100) + "xx" }

// Class is one of the five classes of status codes.
type Class struct {
	Name    string   `yaml:"class" json:"class"`     // "5xx"
	Title   string   `yaml:"title" json:"title"`     // "Server error"
	Lead    string   `yaml:"lead" json:"lead"`       // one-line meaning
	Means   string   `yaml:"means" json:"means"`     // "What 5xx means"
	Appears []string `yaml:"appears" json:"appears"` // "Where 5xx responses appear"
	Notes   []string `yaml:"notes" json:"notes"`     // "Implementation notes"

	// Body is optional Markdown prose after the front matter.
	Body string `yaml:"-" json:"-"`
	File string `yaml:"-" json:"file"`
}

// Catalog holds every code, class and guide. It is read-only after Load
// and safe for concurrent use (the search indexes are built once, by the
// first Search and the first Find).
type Catalog struct {
	codes   []*Code // sorted by number
	byCode  map[int]*Code
	classes []*Class // 1xx..5xx in order
	guides  []*Guide // in the order of Guides
	// What real clients did: the clients, and the scenarios in the order
	// of Scenarios.
	clients   []Client
	scenarios []*ScenarioFile
	// The search index is built on the first Search: showing or listing
	// codes, and a server's start, never pay for it.
	searchOnce sync.Once
	search     *searchIndex
	// The guides' index, built on the first Find.
	guideOnce   sync.Once
	guideSearch *searchIndex
}

// Codes returns every code with at least one meaning, in numeric order.
// The caller must not modify the result.
func (c *Catalog) Codes() []*Code { return c.codes }

// Lookup returns the code with the given number, or ErrNotFound when the
// number has no meaning in the catalog.
func (c *Catalog) Lookup(code int) (*Code, error) {
	if k, ok := c.byCode[code]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("code %d: %w", code, ErrNotFound)
}

// Beyond returns, in numeric order, the codes above 599 that the catalog
// has: vendors' codes outside the range RFC 9110 §15 defines.
func (c *Catalog) Beyond() []int {
	var out []int
	for _, k := range c.codes {
		if k.Code > 599 {
			out = append(out, k.Code)
		}
	}
	return out
}

// JoinCodes writes codes as a reader would: "999", "783 and 999", "600,
// 783 and 999", each with prefix ("/" makes them paths).
func JoinCodes(prefix string, codes []int) string {
	s := make([]string, len(codes))
	for i, n := range codes {
		s[i] = prefix + strconv.Itoa(n)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// Classes returns the five classes in order.
func (c *Catalog) Classes() []*Class { return c.classes }

// Class returns the class with the given name ("5xx"), or ErrNotFound.
func (c *Catalog) Class(name string) (*Class, error) {
	for _, k := range c.classes {
		if k.Name == name {
			return k, nil
		}
	}
	return nil, fmt.Errorf("class %q: %w", name, ErrNotFound)
}

// InClass returns the codes of a class ("5xx") in numeric order.
func (c *Catalog) InClass(name string) []*Code {
	var out []*Code
	for _, k := range c.codes {
		if k.Class() == name {
			out = append(out, k)
		}
	}
	return out
}

// ParseCode parses a status code as written in a URL or on a command line:
// exactly three ASCII digits, 100 to 999.
func ParseCode(s string) (int, error) {
	if len(s) != 3 || s[0] < '1' || s[0] > '9' {
		return 0, fmt.Errorf("%q is not a three-digit status code", s)
	}
	n := 0
	for i := 0; i < 3; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a three-digit status code", s)
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, nil
}

// ParseClass parses a class name such as "5xx" (or "5XX").
func ParseClass(s string) (string, bool) {
	if len(s) == 3 && s[0] >= '1' && s[0] <= '5' && (s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X') {
		return s[:1] + "xx", true
	}
	return "", false
}

// InRange reports whether code is within the range RFC 9110 §15 defines
// for status codes, 100 to 599.
func InRange(code int) bool { return code >= 100 && code <= 599 }

// HeuristicallyCacheable reports whether a response with the code is
// cacheable by default: the codes RFC 9110 §15.1 lists, and 451, which
// RFC 7725 §3 makes so.
func HeuristicallyCacheable(code int) bool {
	switch code {
	case 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501:
		return true
	}
	return false
}

// CacheableRule returns the document that says whether a response with the
// code is cacheable by default: RFC 7725 §3 for 451, RFC 9110 §15.1 for
// every other code.
func CacheableRule(code int) Link {
	if code == 451 {
		return Link{"RFC 7725 §3", "https://www.rfc-editor.org/rfc/rfc7725.html#section-3"}
	}
	return Link{"RFC 9110 §15.1", "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.1"}
}

// parsedFile is a content file parsed: a code, a class or a guide, or why
// not.
type parsedFile struct {
	code  *Code
	class *Class
	guide *Guide
	err   error
}

// parseFiles reads and parses the named files on every core: decoding the
// YAML front matter is most of the time Load takes. The results are in the
// order of names, so errors come out the same way on every run.
func parseFiles(fsys fs.FS, names []string) []parsedFile {
	out := make([]parsedFile, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Go(func() {
			buf := make([]byte, 4096)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(names) {
					return
				}
				out[i] = parseFile(fsys, names[i], buf)
			}
		})
	}
	wg.Wait()
	return out
}

func parseFile(fsys fs.FS, name string, buf []byte) parsedFile {
	data, err := readText(fsys, name, buf)
	if err != nil {
		return parsedFile{err: fmt.Errorf("%s: %w", name, err)}
	}
	if path.Dir(name) == GuideDir {
		g, err := parseGuide(name, data)
		return parsedFile{guide: g, err: err}
	}
	base := strings.TrimSuffix(path.Base(name), ".md")
	if _, ok := ParseClass(base); ok {
		k, err := parseClass(name, data)
		return parsedFile{class: k, err: err}
	}
	k, err := parseCode(name, data)
	return parsedFile{code: k, err: err}
}

// readText reads a file into a string with one copy of its bytes, where
// fs.ReadFile and a conversion to string make two: the catalog's strings
// are slices of it, and a start-up that touches less memory is faster.
// buf is scratch space for the copy, reused from file to file.
func readText(fsys fs.FS, name string, buf []byte) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 && fi.Size() < 1<<30 {
		b.Grow(int(fi.Size()))
	}
	if _, err := io.CopyBuffer(&b, f, buf); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Load parses and validates every content file in fsys: files named
// NNN.md hold a code, files named Nxx.md a class, the files in the
// guides folder (guides/NAME.md) a guide each, and the clients folder
// what real clients did (LoadClients). It reports every problem
// at once, each prefixed with its file name: the files that do not parse,
// or else every rule broken.
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, fmt.Errorf("list content: %w", err)
	}
	sort.Strings(names)
	guides, err := guideFiles(fsys)
	if err != nil {
		return nil, err
	}
	names = append(names, guides...)
	c := &Catalog{byCode: map[int]*Code{}}
	var errs []error
	if c.clients, c.scenarios, err = loadClientDir(fsys); err != nil {
		errs = append(errs, err)
	}
	for _, f := range parseFiles(fsys, names) {
		if f.err != nil {
			errs = append(errs, f.err)
			continue
		}
		c.add(f)
	}
	// A file that does not parse is not in the catalog: the rules across
	// files would report every link to it, so they wait for the fix.
	if len(errs) == 0 {
		errs = c.validate()
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.sort()
	return c, nil
}

// add puts the code, class or guide of a parsed file into the catalog.
func (c *Catalog) add(f parsedFile) {
	if f.class != nil {
		c.classes = append(c.classes, f.class)
		return
	}
	if f.guide != nil {
		c.guides = append(c.guides, f.guide)
		return
	}
	c.codes = append(c.codes, f.code)
	c.byCode[f.code.Code] = f.code
}

// sort puts the codes in numeric order, the classes in name order and the
// guides in the order of Guides.
func (c *Catalog) sort() {
	slices.SortFunc(c.codes, func(a, b *Code) int { return a.Code - b.Code })
	slices.SortFunc(c.classes, func(a, b *Class) int { return strings.Compare(a.Name, b.Name) })
	sortGuides(c.guides)
}
