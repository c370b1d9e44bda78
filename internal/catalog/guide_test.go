package catalog

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// guideFixture is a valid catalog with 500 and 503 and two guides: a
// comparison and a decision guide.
func guideFixture() fstest.MapFS {
	fs := classFiles()
	body := strings.Replace(goodBody, "## When to use it\n\nText.", "## When to use it\n\nNot [500](/500), see [the guide](/guides/500-vs-503).", 1)
	fs["503.md"] = &fstest.MapFile{Data: []byte("---\n" + good503 + "\nrelated: [500]\n---\n" + body)}
	good500 := strings.NewReplacer("503", "500", "Service Unavailable", "Internal Server Error", "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "StatusServiceUnavailable", "StatusInternalServerError").Replace(good503)
	fs["500.md"] = &fstest.MapFile{Data: []byte("---\n" + good500 + "\nrelated: [503]\n---\n" + strings.Replace(goodBody, "## When to use it\n\nText.", "## When to use it\n\nNot [503](/503).", 1))}
	fs["guides/500-vs-503.md"] = guideFile(goodComparison)
	fs["guides/choosing.md"] = guideFile(goodDecision)
	return fs
}

const goodComparison = `title: 500 vs 503
summary: Broken or busy.
codes: [500, 503]
table_on_codes: true
table: |
  | Code | Temporary |
  |---|---|
  | [500](/500) | no |
  | [503](/503) | yes |`

const goodDecision = `title: Choosing
summary: Question by question.
decision:
  question: Is it busy?
  answers:
    - answer: "Yes"
      code: 503
      why: Overload.
    - answer: "No"
      next:
        question: Is it broken?
        answers:
          - {answer: "Yes", code: 500, why: A bug.}
          - {answer: "Not sure", code: 500, why: Still a 500.}`

func guideFile(front string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\n" + front + "\n---\n## Prose\n\nText, and [the other guide](/guides/choosing).\n")}
}

func TestGuidesValid(t *testing.T) {
	t.Parallel()
	cat, err := Load(guideFixture())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var names []string
	for _, g := range cat.Guides() {
		names = append(names, g.Name)
	}
	if want := []string{"choosing", "500-vs-503"}; !slices.Equal(names, want) {
		t.Errorf("Guides() = %v, want %v (decision guides first)", names, want)
	}
	g, err := cat.Guide("choosing")
	if err != nil {
		t.Fatalf("Guide(choosing): %v", err)
	}
	if want := []int{503, 500}; !slices.Equal(g.Codes, want) {
		t.Errorf("choosing: Codes = %v, want the codes its answers lead to, %v", g.Codes, want)
	}
	if g.URL() != "/guides/choosing" || g.File != "guides/choosing.md" {
		t.Errorf("choosing: URL %q, File %q", g.URL(), g.File)
	}
	if _, err := cat.Guide("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Guide(nope) error = %v, want ErrNotFound", err)
	}
	if got := cat.GuidesFor(503); len(got) != 2 || got[0].Name != "choosing" || got[1].Name != "500-vs-503" {
		t.Errorf("GuidesFor(503) = %v, want choosing, 500-vs-503", got)
	}
	if got := cat.GuidesFor(404); len(got) != 0 {
		t.Errorf("GuidesFor(404) = %v, want none", got)
	}
	var buf, clients bytes.Buffer
	if err := cat.WriteJSON(&buf, &clients); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	back, err := LoadJSON(buf.Bytes(), clients.Bytes(), guideFixture())
	if err != nil {
		t.Fatalf("LoadJSON: %v", err)
	}
	if !reflect.DeepEqual(back.Guides(), cat.Guides()) {
		t.Errorf("LoadJSON(WriteJSON(c)).Guides() = %+v, want %+v", back.Guides(), cat.Guides())
	}
}

// TestLoadCode checks that LoadCode reads from the JSON the code's page
// and nothing more, and refuses an index line it cannot place.
func TestLoadCode(t *testing.T) {
	t.Parallel()
	fs := guideFixture()
	fs["599.md"] = codeFile("code: 599\nname: N\nstatus: unofficial\nvendor: V\nsummary: S.\nspec: {title: T, url: \"https://a.example/\"}")
	cat, err := Load(fs)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var index, clients bytes.Buffer
	if err := cat.WriteJSON(&index, &clients); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	got, err := LoadCode(index.Bytes(), clients.Bytes(), fs, 503)
	if err != nil {
		t.Fatalf("LoadCode: %v", err)
	}
	var codes []int
	for _, k := range got.Codes() {
		codes = append(codes, k.Code)
	}
	if !slices.Equal(codes, []int{500, 503}) {
		t.Errorf("LoadCode(503) read codes %v, want 500 and 503 (its class's x00 and the code it relates to), not 599", codes)
	}
	if cs := got.Classes(); len(cs) != 1 || cs[0].Name != "5xx" {
		t.Errorf("LoadCode(503) read classes %+v, want 5xx alone", cs)
	}
	if k, _ := got.Lookup(503); k == nil || k.Primary().Body == "" {
		t.Errorf("LoadCode(503): 503 has no body, want the one of 503.md")
	}
	if k, _ := got.Lookup(500); k == nil || k.Primary().Body != "" {
		t.Errorf("LoadCode(503): 500 = %+v, want its front matter alone", k)
	}
	var guides, want []Guide
	for _, g := range got.Guides() {
		guides = append(guides, *g)
	}
	for _, g := range cat.Guides() {
		g := *g
		g.Body = ""
		want = append(want, g)
	}
	if !reflect.DeepEqual(guides, want) {
		t.Errorf("LoadCode(503).Guides() = %+v, want %+v, without their bodies", guides, want)
	}
	for _, tt := range []struct{ name, index, want string }{
		{"not JSON", "---\n", `catalog JSON: line 1: want {"file":"NAME", first`},
		{"no file first", `{"code":{"code":503}}` + "\n", `catalog JSON: line 1: want {"file":"NAME", first`},
		{"a file name not a string", `{"file":503}` + "\n", `catalog JSON: line 1: want {"file":"NAME", first`},
		{"a file name with an escape", `{"file":"5\"03.md"}` + "\n", "catalog JSON: line 1: want a file name with no escape in it"},
		{"the code's line broken", strings.Replace(index.String(), `"code":503,`, `"code":"503",`, 1), "catalog JSON: line 2: json: cannot unmarshal string"},
	} {
		if _, err := LoadCode([]byte(tt.index), clients.Bytes(), fs, 503); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: LoadCode error = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
	head := `{"clients":null}` + "\n"
	for _, tt := range []struct{ name, clients, want string }{
		{"no codes first", head + `{"scenario":{"codes":[503]}}` + "\n", `clients JSON: line 2: want {"codes":[...], first`},
		{"codes not numbers", head + `{"codes":["503"],"scenario":{}}` + "\n", "clients JSON: line 2: codes: json: cannot unmarshal string"},
		{"the scenario broken", head + `{"codes":[503],"scenario":[]}` + "\n", "clients JSON: line 2: json: cannot unmarshal array"},
	} {
		if _, err := LoadCode(index.Bytes(), []byte(tt.clients), fs, 503); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: LoadCode error = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
	// A scenario of another code is not decoded at all.
	other := head + `{"codes":[500],"scenario":"not a scenario"}` + "\n"
	if got, err := LoadCode(index.Bytes(), []byte(other), fs, 503); err != nil || len(got.Scenarios()) != 0 {
		t.Errorf("LoadCode with a broken scenario of 500 = %v, %v; want no scenario and no error", got, err)
	}
}

// TestGuideValidation has one row per rule of a guide: a broken file and
// the problem it must be reported as, with file and field.
func TestGuideValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, front, want string
	}{
		{"file name", "guides/500_vs_503.md", goodComparison, "guides/500_vs_503.md: file: name must be lower-case letters"},
		{"title required", "guides/500-vs-503.md", strings.Replace(goodComparison, "title: 500 vs 503", "title: ''", 1), "guides/500-vs-503.md: title: required"},
		{"summary one line", "guides/500-vs-503.md", strings.Replace(goodComparison, "summary: Broken or busy.", "summary: \"a\\nb\"", 1), "guides/500-vs-503.md: summary: must be one line"},
		{"unknown field", "guides/500-vs-503.md", goodComparison + "\ncodez: [1]", "guides/500-vs-503.md: line 11: field codez not found in type catalog.Guide"},
		{"code without a file", "guides/500-vs-503.md", strings.Replace(goodComparison, "codes: [500, 503]", "codes: [500, 503, 504]", 1), "guides/500-vs-503.md: codes: 504 has no content file"},
		{"code twice", "guides/500-vs-503.md", strings.Replace(goodComparison, "codes: [500, 503]", "codes: [500, 503, 500]", 1), "guides/500-vs-503.md: codes: 500 is listed twice"},
		{"comparison of one", "guides/500-vs-503.md", strings.Replace(goodComparison, "codes: [500, 503]", "codes: [500]", 1), "guides/500-vs-503.md: codes: a comparison names two codes or more"},
		{"table for codes without a table", "guides/500-vs-503.md", goodComparison[:strings.Index(goodComparison, "table: |")], "guides/500-vs-503.md: table_on_codes: set, but the guide has no table"},
		{"table not a table", "guides/500-vs-503.md", strings.Replace(goodComparison, "  | [503](/503) | yes |", "  503 yes", 1), `guides/500-vs-503.md: table: line 4: "503 yes" is not a row`},
		{"table links a missing code", "guides/500-vs-503.md", strings.Replace(goodComparison, "[503](/503)", "[504](/504)", 1), "guides/500-vs-503.md: table: link to /504: 504 has no content file"},
		{"leaf without why", "guides/choosing.md", strings.Replace(goodDecision, "      why: Overload.\n", "", 1), "guides/choosing.md: decision.answers[0].why: required"},
		{"answer leads nowhere", "guides/choosing.md", strings.Replace(goodDecision, "      code: 503\n", "", 1), "guides/choosing.md: decision.answers[0]: leads nowhere"},
		{"code and next", "guides/choosing.md", strings.Replace(goodDecision, "    - answer: \"No\"\n", "    - answer: \"No\"\n      code: 500\n", 1), "guides/choosing.md: decision.answers[1]: leads to a code or to a next question, not both"},
		{"one answer", "guides/choosing.md", strings.Replace(goodDecision, "          - {answer: \"Not sure\", code: 500, why: Still a 500.}", "", 1), "guides/choosing.md: decision.answers[1].next.answers: a question needs two answers or more"},
		{"question required", "guides/choosing.md", strings.Replace(goodDecision, "question: Is it broken?", "question: ''", 1), "guides/choosing.md: decision.answers[1].next.question: required"},
		{"leaf code without a file", "guides/choosing.md", strings.Replace(goodDecision, "code: 503", "code: 504", 1), "guides/choosing.md: codes: 504 has no content file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := guideFixture()
			delete(fs, "guides/500-vs-503.md")
			if tt.file != "guides/choosing.md" {
				// The other guide's links go to the one under test.
				delete(fs, "guides/choosing.md")
				fs["guides/choosing.md"] = &fstest.MapFile{Data: []byte("---\n" + goodDecision + "\n---\nText.\n")}
			}
			fs[tt.file] = guideFile(tt.front)
			if tt.file != "guides/500-vs-503.md" {
				fs["guides/500-vs-503.md"] = guideFile(goodComparison)
			}
			_, err := Load(fs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestGuideLinks checks that a link to a guide that does not exist is
// reported, from a code's body and from a guide's.
func TestGuideLinks(t *testing.T) {
	t.Parallel()
	fs := guideFixture()
	delete(fs, "guides/500-vs-503.md")
	_, err := Load(fs)
	for _, want := range []string{
		"503.md: body: link to /guides/500-vs-503: no such guide",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load() error = %v\nwant it to contain %q", err, want)
		}
	}
	fs = guideFixture()
	fs["guides/choosing.md"] = &fstest.MapFile{Data: []byte("---\n" + goodDecision + "\n---\nSee [x](/guides/missing#a).\n")}
	if _, err := Load(fs); err == nil || !strings.Contains(err.Error(), "guides/choosing.md: body: link to /guides/missing: no such guide") {
		t.Errorf("Load() error = %v, want the link to /guides/missing reported", err)
	}
}
