package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const goodBody = "## In practice\n\nText.\n\n## When to use it\n\nText.\n\n## Common causes and fixes\n\nText.\n"

// classFiles are five valid class files, so a test can focus on codes.
func classFiles() fstest.MapFS {
	fs := fstest.MapFS{}
	for _, c := range []string{"1xx", "2xx", "3xx", "4xx", "5xx"} {
		fs[c+".md"] = &fstest.MapFile{Data: []byte("---\nclass: " + c + "\ntitle: T\nlead: L.\nmeans: M.\nappears: [a]\nnotes: [n]\n---\n")}
	}
	return fs
}

func codeFile(front string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\n" + front + "\n---\n" + goodBody)}
}

// good503 is a valid registered meaning except for related, which rows
// add when they need it (it must point to another file).
const good503 = `code: 503
name: Service Unavailable
status: standard
summary: Not now.
spec: {title: RFC 9110 §15.6.4, url: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4"}
retry: Later.
constants: {go: [StatusServiceUnavailable], python: [SERVICE_UNAVAILABLE], java: [SERVICE_UNAVAILABLE]}
example: "HTTP/1.1 503 Service Unavailable\nRetry-After: 5\n\n"`

func TestLoadValid(t *testing.T) {
	fs := classFiles()
	// Registered meanings link the codes they are confused with.
	body := strings.Replace(goodBody, "## When to use it\n\nText.", "## When to use it\n\nNot [500](/500), not [503](/503).", 1)
	fs["503.md"] = &fstest.MapFile{Data: []byte("---\n" + good503 + "\nrelated: [500]\n---\n" + body)}
	good500 := strings.NewReplacer("503", "500", "Service Unavailable", "Internal Server Error", "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "StatusServiceUnavailable", "StatusInternalServerError").Replace(good503)
	fs["500.md"] = &fstest.MapFile{Data: []byte("---\n" + good500 + "\nrelated: [503]\n---\n" + body)}
	fs["499.md"] = &fstest.MapFile{Data: []byte("---\n" + `code: 499
name: Client Closed Request
status: unofficial
vendor: nginx
summary: The client went away.
spec: {title: nginx, url: "https://nginx.org/"}` + "\n---\n" + goodBody + "---\n" + `code: 499
name: Token Required
status: unofficial
vendor: Esri
summary: A token is needed.
spec: {title: Esri, url: "https://developers.arcgis.com/"}` + "\n---\n" + goodBody)}
	cat, err := Load(fs)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := len(cat.Codes()); got != 3 {
		t.Errorf("len(Codes()) = %d, want 3", got)
	}
	k, err := cat.Lookup(499)
	if err != nil {
		t.Fatalf("Lookup(499): %v", err)
	}
	if len(k.Entries) != 2 || k.Entries[1].Vendor != "Esri" {
		t.Errorf("Lookup(499) entries = %+v, want nginx then Esri", k.Entries)
	}
	if _, err := cat.Lookup(299); !errors.Is(err, ErrNotFound) {
		t.Errorf("Lookup(299) error = %v, want ErrNotFound", err)
	}
	if got := cat.InClass("5xx"); len(got) != 2 || got[0].Code != 500 {
		t.Errorf("InClass(5xx) = %v, want 500, 503", got)
	}
}

// TestValidation has one row per rule: a broken file and the problem it
// must be reported as, with file and field.
func TestValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		file  string
		data  string // whole file; "" means codeFile(front)
		front string
		want  string
	}{
		{"unknown field", "503.md", "", good503 + "\nnmae: x", "503.md: line 10: field nmae not found"},
		{"wrong type", "503.md", "", good503 + "\nrelated: [five]", "503.md: line 10: cannot unmarshal !!str `five` into int"},
		{"yaml syntax", "503.md", "", good503 + "\nrelated: [500", "503.md: line 10: did not find expected ',' or ']'"},
		{"yaml mistake in a second meaning", "503.md", "---\n" + good503 + "\n---\n" + goodBody + "---\ncode: 503\nname: [\n---\n" + goodBody, "", "503.md: line 24: did not find expected node content"},
		{"empty front matter", "503.md", "---\n---\n" + goodBody, "", "503.md: line 1: front matter is empty"},
		{"text after the yaml document", "503.md", "", good503 + "\n...\nname: hidden", "503.md: line 11: did not find expected <document start>"},
		{"bad indentation", "503.md", "", good503 + "\nsources:\n  - title: T\n   url: \"https://a.example/\"\nretry: x", "503.md: line 12: did not find expected '-' indicator"},
		{"unclosed quote", "503.md", "", good503 + "\nretry: \"Later.\nrelated: [500]", "503.md: line 10: found unexpected end of stream"},
		{"class yaml mistake", "5xx.md", "---\nclass: 5xx\ntitle: T\nlead: L\nmeans: M\nappears: a: b\nnotes: [n]\n---\n", "", "5xx.md: line 6: mapping values are not allowed in this context"},
		{"code differs from file", "504.md", "", good503, "504.md: code: 503 does not match the file name"},
		{"bad file name", "0503.md", "", good503, "0503.md: file: name must be the code"},
		{"out of range", "099.md", "", strings.Replace(strings.ReplaceAll(good503, "503", "099"), "code: 099", "code: 99", 1), "code: 99 is out of range"},
		{"registered over 599", "600.md", "", strings.ReplaceAll(good503, "code: 503", "code: 600"), "600.md: code: 600 is out of range"},
		{"name required", "503.md", "", strings.Replace(good503, "name: Service Unavailable", "name: ''", 1), "503.md: name: required"},
		{"summary required", "503.md", "", strings.Replace(good503, "summary: Not now.", "summary: ''", 1), "503.md: summary: required"},
		{"summary one line", "503.md", "", strings.Replace(good503, "summary: Not now.", "summary: \"a\\nb\"", 1), "503.md: summary: must be one line"},
		{"bad status", "503.md", "", strings.Replace(good503, "status: standard", "status: official", 1), `503.md: status: "official" is not one of`},
		{"unofficial needs vendor", "503.md", "", strings.Replace(good503, "status: standard", "status: unofficial", 1), "503.md: vendor: required for an unofficial meaning"},
		{"registered has no vendor", "503.md", "", good503 + "\nvendor: nginx", "503.md: vendor: a registered meaning has no vendor"},
		{"spec url https", "503.md", "", strings.Replace(good503, "https://www", "http://www", 1), "503.md: spec.url"},
		{"spec title", "503.md", "", strings.Replace(good503, "title: RFC 9110 §15.6.4", "title: ''", 1), "503.md: spec.title: required"},
		{"cacheable contradicts 15.1", "503.md", "", good503 + "\ncacheable: true", "503.md: cacheable: true contradicts RFC 9110 §15.1"},
		{"related points nowhere", "503.md", "", good503 + "\nrelated: [504]", "503.md: related: 504 has no content file"},
		{"related to itself", "503.md", "", good503 + "\nrelated: [503]", "503.md: related: 503 links to itself"},
		{"header name", "503.md", "", good503 + "\nheaders: [{note: x}]", "503.md: headers[0].name: required"},
		{"body link points nowhere", "503.md", "---\n" + good503 + "\n---\n" + goodBody + "\nSee [504](/504).\n", "", "503.md: body: link to /504: 504 has no content file"},
		{"when to use it links no code", "503.md", "", good503, `503.md: body: "## When to use it" links to no other code`},
		{"missing section", "503.md", "---\n" + good503 + "\n---\n## In practice\n\nx\n", "", `503.md: body: missing section "## When to use it"`},
		{"no front matter", "503.md", "hello\n", "", `503.md: line 1: want "---"`},
		{"unclosed front matter", "503.md", "---\ncode: 503\n", "", "503.md: line 1: front matter is not closed"},
		{"registered second", "503.md", "---\n" + strings.Replace(good503, "status: standard", "status: unofficial\nvendor: x", 1) + "\n---\n" + goodBody + "---\n" + good503 + "\n---\n" + goodBody, "", "503.md: meaning 2: status: only the first meaning may be registered"},
		{"two registered meanings", "503.md", "---\n" + good503 + "\n---\n" + goodBody + "---\n" + strings.Replace(good503, "name: Service Unavailable", "name: Busy", 1) + "\n---\n" + goodBody, "", "503.md: meaning 2: status: only the first meaning may be registered"},
		{"spec required", "503.md", "", strings.Replace(good503, `spec: {title: RFC 9110 §15.6.4, url: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4"}`, "", 1), "503.md: spec: required"},
		{"unofficial spec required", "599.md", "", "code: 599\nname: N\nstatus: unofficial\nvendor: V\nsummary: S.", "599.md: spec: required"},
		{"retry required", "503.md", "", strings.Replace(good503, "retry: Later.", "", 1), "503.md: retry: required for a registered meaning"},
		{"example required", "503.md", "", good503[:strings.Index(good503, "example:")], "503.md: example: required for a registered meaning"},
		{"related required", "503.md", "", good503, "503.md: related: required for a registered meaning"},
		{"example status line", "503.md", "", strings.Replace(good503, "HTTP/1.1 503 Service", "HTTP/1.1 504 Service", 1), `503.md: example: status line "HTTP/1.1 504 Service Unavailable" does not match the code 503`},
		{"example not a status line", "503.md", "", strings.Replace(good503, "HTTP/1.1 503 Service", "HTTP/2 503 Service", 1), `503.md: example: first line "HTTP/2 503 Service Unavailable" is not a status line`},
		{"unofficial example status line", "499.md", "", "code: 499\nname: N\nstatus: unofficial\nvendor: nginx\nsummary: S.\nspec: {title: T, url: \"https://nginx.org/\"}\nexample: \"HTTP/1.1 400 Bad Request\\n\"", `499.md: example: status line "HTTP/1.1 400 Bad Request" does not match the code 499`},
		{"multi-status example needs the code inside", "208.md", "", strings.ReplaceAll(strings.Replace(good503, "HTTP/1.1 503 Service Unavailable", "HTTP/1.1 207 Multi-Status", 1), "503", "208"), `208.md: example: status line "HTTP/1.1 207 Multi-Status" does not match the code 208`},
		{"go constant required", "503.md", "", strings.Replace(good503, "go: [StatusServiceUnavailable], ", "", 1), "503.md: constants: go: a current constant is required for a registered code"},
		{"go constant current", "503.md", "", strings.Replace(good503, "go: [StatusServiceUnavailable]", `go: [{name: StatusServiceUnavailable, deprecated: "1.30"}]`, 1), "503.md: constants: go: a current constant is required"},
		{"python constant required", "503.md", "", strings.Replace(good503, "python: [SERVICE_UNAVAILABLE], ", "", 1), "503.md: constants: python: a current constant is required for a registered code"},
		{"another constant required", "503.md", "", strings.Replace(good503, ", java: [SERVICE_UNAVAILABLE]", "", 1), "503.md: constants: need at least one of java, dotnet, rust"},
		{"constant bare name", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", "java: [HttpStatus.SERVICE_UNAVAILABLE]", 1), `503.md: constants: java[0]: name "HttpStatus.SERVICE_UNAVAILABLE" must be the bare identifier`},
		{"constant listed twice", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", "java: [SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE]", 1), "503.md: constants: java[1]: SERVICE_UNAVAILABLE is listed twice"},
		{"constant version", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", "java: [{name: SERVICE_UNAVAILABLE, since: v7}]", 1), `503.md: constants: java[0]: since: "v7" is not a version`},
		{"constant deprecated before since", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", `java: [{name: SERVICE_UNAVAILABLE, since: "7.0", deprecated: "6.1"}]`, 1), "503.md: constants: java[0]: deprecated in 6.1, before it came in 7.0"},
		{"constant removed before deprecated", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", `java: [OK, {name: SERVICE_UNAVAILABLE, deprecated: "7.0", removed: "7.0"}]`, 1), "503.md: constants: java[1]: removed in 7.0, not after 7.0"},
		{"current constant has no replacement", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", "java: [{name: SERVICE_UNAVAILABLE, replacement: OK}]", 1), "503.md: constants: java[0]: replacement: only a deprecated or removed constant has one"},
		{"current constants first", "503.md", "", strings.Replace(good503, "java: [SERVICE_UNAVAILABLE]", `java: [{name: BUSY, deprecated: "6.0"}, SERVICE_UNAVAILABLE]`, 1), "503.md: constants: java[1]: SERVICE_UNAVAILABLE is current, so it comes before the deprecated BUSY"},
		{"class field", "5xx.md", "---\nclass: 5xx\ntitle: T\nlead: L\nmeans: ''\nappears: [a]\nnotes: [n]\n---\n", "", "5xx.md: means: required"},
		{"class name", "5xx.md", "---\nclass: 4xx\ntitle: T\nlead: L\nmeans: M\nappears: [a]\nnotes: [n]\n---\n", "", `5xx.md: class: "4xx" does not match`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := classFiles()
			if tt.data != "" {
				fs[tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			} else {
				fs[tt.file] = codeFile(tt.front)
			}
			_, err := Load(fs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCheckExample(t *testing.T) {
	const multi = "HTTP/1.1 207 Multi-Status\nContent-Type: application/xml\n\n<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/a</D:href>" +
		"<D:status>HTTP/1.1 208 Already Reported</D:status></D:response></D:multistatus>\n"
	tests := []struct {
		code    int
		example string
		ok      bool
	}{
		{503, "HTTP/1.1 503 Service Unavailable\nRetry-After: 5\n", true},
		{463, "HTTP/1.1 463\nServer: awselb/2.0\n", true},
		{503, "HTTP/1.1 503 Service Unavailable\r\n\r\n", true},
		{208, multi, true},
		{207, multi, true},
		{424, multi, false},
		{503, "HTTP/1.1 504 Gateway Timeout\n", false},
		{503, "HTTP/1.0 503 Service Unavailable\n", false},
		{503, "HTTP/1.1 5033\n", false},
		{503, "\nHTTP/1.1 503 Service Unavailable\n", false},
	}
	for _, tt := range tests {
		if got := checkExample(tt.code, tt.example); (got == "") != tt.ok {
			t.Errorf("checkExample(%d, %q) = %q, want ok=%v", tt.code, tt.example, got, tt.ok)
		}
	}
}

func TestMissingClass(t *testing.T) {
	fs := classFiles()
	delete(fs, "3xx.md")
	if _, err := Load(fs); err == nil || !strings.Contains(err.Error(), "3xx.md: file: missing") {
		t.Errorf("Load() error = %v, want 3xx.md missing", err)
	}
}

// TestCodeInTwoFiles checks the rule that a code has one file: 504.md
// that says it is 503 is reported as a second definition of 503, beside
// its name not matching its code.
func TestCodeInTwoFiles(t *testing.T) {
	fs := classFiles()
	fs["503.md"] = codeFile(good503)
	fs["504.md"] = codeFile(good503)
	_, err := Load(fs)
	for _, want := range []string{"504.md: code: 503 is also defined in 503.md", "504.md: code: 503 does not match the file name"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load() error = %v\nwant it to contain %q", err, want)
		}
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"503", 503, true}, {"100", 100, true}, {"999", 999, true},
		{"099", 0, false}, {"50", 0, false}, {"5033", 0, false}, {"abc", 0, false},
		{"5x3", 0, false}, {"+03", 0, false}, {"", 0, false}, {"٥٠٣", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseCode(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseCode(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"503", "099", "5xx", "", "1000", "\x00\x00\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCode(s)
		if err != nil {
			return
		}
		if n < 100 || n > 999 || len(s) != 3 {
			t.Errorf("ParseCode(%q) = %d, want a three-digit code", s, n)
		}
	})
}

func FuzzParseFrontMatter(f *testing.F) {
	f.Add([]byte("---\n" + good503 + "\n---\n" + goodBody))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\na: [\n---\nbody\n---\nb: 1\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Any input gives a Code or an error naming the file, never a panic.
		k, err := parseCode("503.md", string(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "503.md: ") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		if len(k.Entries) == 0 {
			t.Errorf("parseCode returned a code with no entries")
		}
		_, _ = parseClass("5xx.md", string(data))
	})
}

// TestLoadJSON checks that LoadJSON reads what WriteJSON wrote, with the
// bodies from the files, and refuses a catalog JSON that is malformed,
// breaks a rule, as Load would, or no longer fits the files.
func TestLoadJSON(t *testing.T) {
	t.Parallel()
	fs := classFiles()
	fs["599.md"] = codeFile("code: 599\nname: N\nstatus: unofficial\nvendor: V\nsummary: S.\nspec: {title: T, url: \"https://a.example/\"}")
	cat, err := Load(fs)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var buf, clients bytes.Buffer
	if err := cat.WriteJSON(&buf, &clients); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	good := buf.String()
	if strings.Contains(good, `"body"`) {
		t.Errorf("WriteJSON wrote a body; the bodies stay in their files:\n%s", good)
	}
	// One line a file: 599.md, then the five classes.
	if lines := strings.Split(strings.TrimSuffix(good, "\n"), "\n"); len(lines) != 6 || !strings.HasPrefix(lines[0], `{"file":"599.md","code":{"code":599,`) || !strings.HasPrefix(lines[5], `{"file":"5xx.md","class":{`) {
		t.Errorf("WriteJSON wrote %d lines, want 599.md then the five classes, one a line:\n%s", len(lines), good)
	}
	if got, want := clients.String(), "{\"clients\":null}\n"; got != want {
		t.Errorf("WriteJSON wrote %q for no clients, want %q", got, want)
	}
	back, err := LoadJSON([]byte(good), clients.Bytes(), fs)
	if err != nil {
		t.Fatalf("LoadJSON: %v", err)
	}
	if !reflect.DeepEqual(back.Codes(), cat.Codes()) || !reflect.DeepEqual(back.Classes(), cat.Classes()) {
		t.Errorf("LoadJSON(WriteJSON(c)) = %+v, want %+v", back.Codes(), cat.Codes())
	}
	if k, _ := back.Lookup(599); k == nil || k.Primary().Body == "" {
		t.Errorf("LoadJSON: 599 has no body, want the one of 599.md")
	}
	index, err := LoadIndex([]byte(good))
	if err != nil {
		t.Fatalf("LoadIndex: %v", err)
	}
	if k, _ := index.Lookup(599); k == nil || k.Primary().Name != "N" || k.Primary().Body != "" {
		t.Errorf("LoadIndex: 599 = %+v, want its front matter and no body", k)
	}
	twice := maps.Clone(fs)
	twice["599.md"] = &fstest.MapFile{Data: append(slices.Clone(fs["599.md"].Data), fs["599.md"].Data...)}
	gone := maps.Clone(fs)
	delete(gone, "599.md")
	line599, _, _ := strings.Cut(good, "\n")
	tests := []struct {
		name, data, want string
	}{
		{"not JSON", "---\n", "catalog JSON: line 1: invalid character"},
		{"wrong type", strings.Replace(good, `"code":599`, `"code":"599"`, 1), "catalog JSON: line 1: json: cannot unmarshal string"},
		{"a code twice", line599 + "\n" + good, "599.md: code: 599 is also defined in 599.md"},
		{"no meanings", `{"file":"599.md","code":{"code":599,"entries":[]}}`, "catalog JSON: line 1: 599.md: no meanings"},
		{"nothing in a line", good + `{"file":"6xx.md"}`, `catalog JSON: line 7: "6xx.md": want one of a code, a class or a guide`},
		{"a code and a class in a line", strings.Replace(good, `"code":{`, `"class":{"class":"5xx"},"code":{`, 1), `catalog JSON: line 1: "599.md": want one of a code, a class or a guide`},
		{"a line named for another file", strings.Replace(good, `{"file":"599.md"`, `{"file":"598.md"`, 1), "catalog JSON: line 1: named 598.md, holds the front matter of 599.md"},
		{"a rule broken", strings.Replace(good, `"vendor":"V",`, "", 1), "599.md: vendor: required for an unofficial meaning"},
		{"a class missing", strings.Replace(good, `"class":"3xx"`, `"class":"6xx"`, 1), "3xx.md: file: missing"},
	}
	for _, tt := range tests {
		if _, err := LoadJSON([]byte(tt.data), clients.Bytes(), fs); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: LoadJSON error = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
	// 599 with a second meaning said to come from another file.
	var f fileJSON
	if err := json.Unmarshal([]byte(line599), &f); err != nil || f.Code == nil {
		t.Fatalf("the catalog JSON's first line: %v, %+v, want 599", err, f)
	}
	second := f.Code.Entries[0]
	second.File = "598.md"
	f.Code.Entries = append(f.Code.Entries, second)
	twoFiles, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, data string
		files      fstest.MapFS
		want       string
	}{
		{"a meaning more in the file", good, twice, "599.md: 2 front matter blocks, the catalog JSON has 1: run make content"},
		{"the file gone", good, gone, "read body: open 599.md: file does not exist"},
		{"meanings from two files", strings.Replace(good, line599, string(twoFiles), 1), twice, "catalog JSON: code 599: meanings from 599.md and 598.md: a code's meanings are one file's"},
	} {
		if _, err := LoadJSON([]byte(tt.data), clients.Bytes(), tt.files); err == nil || err.Error() != tt.want {
			t.Errorf("%s: LoadJSON error = %v, want %q", tt.name, err, tt.want)
		}
	}
	for _, tt := range []struct{ name, data, want string }{
		{"not JSON", "---\n", "clients JSON: line 1: invalid character"},
		{"empty", "", "clients JSON: empty, want the clients on the first line"},
		{"a null scenario", "{\"clients\":null}\nnull\n", "clients JSON: line 2: no scenario"},
		{"codes alone", "{\"clients\":null}\n{\"codes\":[503]}\n", "clients JSON: line 2: no scenario"},
		{"a scenario not JSON", "{\"clients\":null}\n{\n", "clients JSON: line 2: unexpected end of JSON input"},
	} {
		if _, err := LoadJSON([]byte(good), []byte(tt.data), fs); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: LoadJSON error = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

// TestParseErrorsAlone checks that a file that does not parse is reported
// alone: not also as missing wherever another file links to it.
func TestParseErrorsAlone(t *testing.T) {
	fs := classFiles()
	body := strings.Replace(goodBody, "## When to use it\n\nText.", "## When to use it\n\nNot [503](/503).", 1)
	good500 := strings.NewReplacer("503", "500", "Service Unavailable", "Internal Server Error", "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "StatusServiceUnavailable", "StatusInternalServerError").Replace(good503)
	fs["500.md"] = &fstest.MapFile{Data: []byte("---\n" + good500 + "\nrelated: [503]\n---\n" + body)}
	fs["503.md"] = codeFile(strings.Replace(good503, "name: Service Unavailable", "name: Service: Unavailable", 1))
	_, err := Load(fs)
	if want := "503.md: line 3: mapping values are not allowed in this context"; err == nil || err.Error() != want {
		t.Errorf("Load() error = %v\nwant only %q", err, want)
	}
}

// TestHeuristicallyCacheable states which codes are cacheable by default
// and which document says so: RFC 9110 §15.1's list, and 451 by RFC 7725 §3.
func TestHeuristicallyCacheable(t *testing.T) {
	tests := []struct {
		code int
		want bool
		rule string
	}{
		{200, true, "RFC 9110 §15.1"}, {204, true, "RFC 9110 §15.1"}, {308, true, "RFC 9110 §15.1"},
		{404, true, "RFC 9110 §15.1"}, {414, true, "RFC 9110 §15.1"}, {501, true, "RFC 9110 §15.1"},
		{451, true, "RFC 7725 §3"},
		{201, false, "RFC 9110 §15.1"}, {302, false, "RFC 9110 §15.1"}, {403, false, "RFC 9110 §15.1"},
		{503, false, "RFC 9110 §15.1"}, {530, false, "RFC 9110 §15.1"},
	}
	for _, tt := range tests {
		if got := HeuristicallyCacheable(tt.code); got != tt.want {
			t.Errorf("HeuristicallyCacheable(%d) = %v, want %v", tt.code, got, tt.want)
		}
		if got := CacheableRule(tt.code).Title; got != tt.rule {
			t.Errorf("CacheableRule(%d) = %q, want %q", tt.code, got, tt.rule)
		}
	}
}

func TestJoinCodes(t *testing.T) {
	tests := []struct {
		prefix string
		codes  []int
		want   string
	}{
		{"", nil, ""},
		{"/", []int{999}, "/999"},
		{"", []int{783, 999}, "783 and 999"},
		{"/", []int{600, 783, 999}, "/600, /783 and /999"},
	}
	for _, tt := range tests {
		if got := JoinCodes(tt.prefix, tt.codes); got != tt.want {
			t.Errorf("JoinCodes(%q, %v) = %q, want %q", tt.prefix, tt.codes, got, tt.want)
		}
	}
}
