package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Sections are the Markdown headings every registered meaning's body must
// have, in this order.
var Sections = []string{"In practice", "When to use it", "Common causes and fixes"}

// validate checks every rule that spans fields or files and returns one
// error per problem, each naming the file and the field.
func (c *Catalog) validate() []error {
	var p problems
	files := map[int]string{} // the file each code came from
	for _, k := range c.codes {
		file := k.Entries[0].File
		checkFileName(&p, file)
		if prev, ok := files[k.Code]; ok {
			p.add(file, "code", "%d is also defined in %s", k.Code, prev)
		}
		files[k.Code] = file
		for i := range k.Entries {
			m := meaning{e: &k.Entries[i], file: file, index: i, of: len(k.Entries)}
			for _, check := range meaningChecks {
				check(c, &p, m)
			}
		}
	}
	for _, k := range c.classes {
		checkClass(&p, k)
	}
	checkEveryClass(&p, c.classes)
	c.checkGuides(&p)
	c.checkClients(&p)
	return p
}

// problems collects what validate finds.
type problems []error

func (p *problems) add(file, field, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s: %s", file, field, fmt.Sprintf(format, args...)))
}

// meaning is one meaning of a code being checked, and where it is.
type meaning struct {
	e         *Entry
	file      string
	index, of int // its index among the of meanings of its file
}

// add reports a problem with a field of the meaning, named by its number
// when its file holds several.
func (m meaning) add(p *problems, field, format string, args ...any) {
	if m.of > 1 {
		field = fmt.Sprintf("meaning %d: %s", m.index+1, field)
	}
	p.add(m.file, field, format, args...)
}

// meaningChecks are the rules for each meaning of a code, one concern each.
var meaningChecks = []func(c *Catalog, p *problems, m meaning){
	checkCode,
	checkName,
	checkStatus,
	checkSummary,
	checkSources,
	checkCacheable,
	checkHeaders,
	checkRegistered,
	checkExampleLine,
	checkConstantNames,
	checkSections,
	checkBodyLinks,
	checkGuideLinks,
	checkRelated,
}

// checkFileName requires a code's file to be named for the code: 503.md.
func checkFileName(p *problems, file string) {
	n, err := strconv.Atoi(strings.TrimSuffix(file, ".md"))
	if err != nil || strconv.Itoa(n)+".md" != file {
		p.add(file, "file", "name must be the code, such as 503.md")
	}
}

// checkCode requires the code to be the file's and in range.
func checkCode(_ *Catalog, p *problems, m meaning) {
	e := m.e
	if strconv.Itoa(e.Code)+".md" != m.file {
		m.add(p, "code", "%d does not match the file name", e.Code)
	}
	if e.Code < 100 || e.Code > 999 || (!InRange(e.Code) && e.Status != Unofficial) {
		m.add(p, "code", "%d is out of range (100-599, or up to 999 for unofficial codes)", e.Code)
	}
}

func checkName(_ *Catalog, p *problems, m meaning) {
	if strings.TrimSpace(m.e.Name) == "" {
		m.add(p, "name", "required")
	}
}

// checkStatus requires a known status, at most one registered meaning per
// code, the first, and a vendor exactly when the meaning is unofficial.
func checkStatus(_ *Catalog, p *problems, m meaning) {
	e := m.e
	if !e.Status.valid() {
		m.add(p, "status", "%q is not one of standard, temporary, obsoleted, unused, unofficial", e.Status)
	}
	if !e.Status.Registered() {
		if strings.TrimSpace(e.Vendor) == "" {
			m.add(p, "vendor", "required for an unofficial meaning")
		}
		return
	}
	if m.index != 0 {
		m.add(p, "status", "only the first meaning may be registered: a code has one registered meaning at most, and it comes first")
	}
	if e.Vendor != "" {
		m.add(p, "vendor", "a registered meaning has no vendor")
	}
}

func checkSummary(_ *Catalog, p *problems, m meaning) {
	switch s := strings.TrimSpace(m.e.Summary); {
	case s == "":
		m.add(p, "summary", "required")
	case strings.Contains(s, "\n"):
		m.add(p, "summary", "must be one line")
	}
}

// checkSources requires the defining document (spec) and checks every
// cited link.
func checkSources(_ *Catalog, p *problems, m meaning) {
	if m.e.Spec == (Link{}) {
		m.add(p, "spec", "required: the defining document, or the vendor's documentation")
	} else {
		checkLink(p, m, "spec", m.e.Spec)
	}
	for j, s := range m.e.Sources {
		checkLink(p, m, fmt.Sprintf("sources[%d]", j), s)
	}
}

func checkLink(p *problems, m meaning, field string, l Link) {
	if strings.TrimSpace(l.Title) == "" {
		m.add(p, field+".title", "required")
	}
	if !strings.HasPrefix(l.URL, "https://") {
		m.add(p, field+".url", "%q must be an https URL", l.URL)
	}
}

// checkCacheable requires cacheable to be what RFC 9110 §15.1 (or the
// code's own definition, CacheableRule) says.
func checkCacheable(_ *Catalog, p *problems, m meaning) {
	if want := HeuristicallyCacheable(m.e.Code); m.e.Cacheable != want {
		m.add(p, "cacheable", "%v contradicts %s (heuristically cacheable: %v)", m.e.Cacheable, CacheableRule(m.e.Code).Title, want)
	}
}

func checkHeaders(_ *Catalog, p *problems, m meaning) {
	for j, h := range m.e.Headers {
		if strings.TrimSpace(h.Name) == "" {
			m.add(p, fmt.Sprintf("headers[%d].name", j), "required")
		}
	}
}

// checkRegistered requires what a registered meaning's page shows: retry
// advice, an example, related codes, and the codes it is confused with.
func checkRegistered(_ *Catalog, p *problems, m meaning) {
	e := m.e
	if !e.Status.Registered() {
		return
	}
	if strings.TrimSpace(e.Retry) == "" {
		m.add(p, "retry", "required for a registered meaning")
	}
	if strings.TrimSpace(e.Example) == "" {
		m.add(p, "example", "required for a registered meaning")
	}
	if len(e.Related) == 0 {
		m.add(p, "related", "required for a registered meaning")
	}
	if len(linkedCodes(section(e.Body, "When to use it"))) == 0 {
		m.add(p, "body", "%q links to no other code: name the codes it is confused with, as [504 Gateway Timeout](/504)", "## When to use it")
	}
}

func checkExampleLine(_ *Catalog, p *problems, m meaning) {
	if m.e.Example == "" {
		return
	}
	if problem := checkExample(m.e.Code, m.e.Example); problem != "" {
		m.add(p, "example", "%s", problem)
	}
}

func checkConstantNames(_ *Catalog, p *problems, m meaning) {
	for _, problem := range checkConstants(*m.e) {
		m.add(p, "constants", "%s", problem)
	}
}

func checkSections(_ *Catalog, p *problems, m meaning) {
	for _, s := range missingSections(m.e.Body) {
		m.add(p, "body", "missing section %q", "## "+s)
	}
}

// checkBodyLinks requires every link of the body to a code in range to
// lead to a content file.
func checkBodyLinks(c *Catalog, p *problems, m meaning) {
	for _, r := range linkedCodes(m.e.Body) {
		if _, ok := c.byCode[r]; !ok && InRange(r) {
			m.add(p, "body", "link to /%d: %d has no content file", r, r)
		}
	}
}

// checkRelated requires every related code to be another code with a
// content file.
func checkRelated(c *Catalog, p *problems, m meaning) {
	for _, r := range m.e.Related {
		if r == m.e.Code {
			m.add(p, "related", "%d links to itself", r)
		} else if _, ok := c.byCode[r]; !ok {
			m.add(p, "related", "%d has no content file", r)
		}
	}
}

// checkClass requires a class file to be named for its class and to have
// every field its page shows.
func checkClass(p *problems, k *Class) {
	if want := strings.TrimSuffix(k.File, ".md"); k.Name != want {
		p.add(k.File, "class", "%q does not match the file name", k.Name)
	}
	for _, f := range []struct{ name, value string }{{"title", k.Title}, {"lead", k.Lead}, {"means", k.Means}} {
		if strings.TrimSpace(f.value) == "" {
			p.add(k.File, f.name, "required")
		}
	}
	if len(k.Appears) == 0 {
		p.add(k.File, "appears", "required")
	}
	if len(k.Notes) == 0 {
		p.add(k.File, "notes", "required")
	}
}

// checkEveryClass requires a file for each of the five classes.
func checkEveryClass(p *problems, classes []*Class) {
	for i := 1; i <= 5; i++ {
		name := strconv.Itoa(i) + "xx"
		if !slices.ContainsFunc(classes, func(k *Class) bool { return k.Name == name }) {
			p.add(name+".md", "file", "missing: every class needs a file")
		}
	}
}

// checkExample reports what is wrong with an example response, or "". Its
// first line must be the status line "HTTP/1.1 NNN Reason" of the code. A
// code that only travels inside a 207 Multi-Status body (208 Already
// Reported) may show that 207 instead, when its body carries the code's own
// status line.
func checkExample(code int, example string) string {
	first, rest, _ := strings.Cut(example, "\n")
	first = strings.TrimSuffix(first, "\r")
	got, ok := statusLineCode(first)
	if !ok {
		return fmt.Sprintf("first line %q is not a status line such as \"HTTP/1.1 %d Reason\"", first, code)
	}
	if got == code {
		return ""
	}
	if got == 207 && strings.Contains(rest, ":status>HTTP/1.1 "+strconv.Itoa(code)+" ") {
		return ""
	}
	return fmt.Sprintf("status line %q does not match the code %d", first, code)
}

// statusLineCode returns the code of an HTTP/1.1 status line: "HTTP/1.1 "
// then three digits, then the end or a space and an optional reason.
func statusLineCode(line string) (int, bool) {
	rest, ok := strings.CutPrefix(line, "HTTP/1.1 ")
	if !ok || len(rest) < 3 || (len(rest) > 3 && rest[3] != ' ') {
		return 0, false
	}
	n, err := ParseCode(rest[:3])
	return n, err == nil
}

// checkConstants returns the problems with a meaning's constants: each
// name a bare identifier, once per library; versions that are versions, in
// order (since, then deprecated, then removed); a replacement only for a
// constant that is deprecated or removed; the current names listed first,
// then the deprecated, then the removed. A standard or obsoleted code has a
// current constant in Go's net/http and Python's http.HTTPStatus and a
// constant in at least one more library; the constants test compares every
// name and version with the libraries themselves.
func checkConstants(e Entry) []string {
	var out []string
	for _, lib := range Libraries {
		out = append(out, checkLibraryConstants(lib.Key, e.Constants.Of(lib.Key))...)
	}
	if e.Status != Standard && e.Status != Obsoleted {
		return out
	}
	c := e.Constants
	if !hasCurrent(c.Go) {
		out = append(out, "go: a current constant is required for a registered code (net/http names every one)")
	}
	if !hasCurrent(c.Python) {
		out = append(out, "python: a current constant is required for a registered code (http.HTTPStatus names every one)")
	}
	if len(c.Java) == 0 && len(c.DotNet) == 0 && len(c.Rust) == 0 {
		out = append(out, "need at least one of java, dotnet, rust")
	}
	return out
}

func hasCurrent(cs []Constant) bool {
	return slices.ContainsFunc(cs, func(c Constant) bool { return c.State() == StateCurrent })
}

// stateOrder is the order of the states in a library's list.
var stateOrder = map[State]int{StateCurrent: 0, StateDeprecated: 1, StateRemoved: 2}

func checkLibraryConstants(key string, cs []Constant) []string {
	var out []string
	bad := func(i int, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s[%d]: %s", key, i, fmt.Sprintf(format, args...)))
	}
	seen := map[string]bool{}
	for i, c := range cs {
		if !isIdentifier(c.Name) {
			bad(i, "name %q must be the bare identifier the library declares, such as OK", c.Name)
		}
		if seen[c.Name] {
			bad(i, "%s is listed twice", c.Name)
		}
		seen[c.Name] = true
		for _, v := range []struct{ field, value string }{{"since", c.Since}, {"deprecated", c.Deprecated}, {"removed", c.Removed}} {
			if v.value != "" && !isVersion(v.value) {
				bad(i, "%s: %q is not a version such as 7.0 or 6.0.5", v.field, v.value)
			}
		}
		if c.Since != "" && c.Deprecated != "" && CompareVersions(c.Since, c.Deprecated) > 0 {
			bad(i, "deprecated in %s, before it came in %s", c.Deprecated, c.Since)
		}
		if first := cmp.Or(c.Deprecated, c.Since); first != "" && c.Removed != "" && CompareVersions(first, c.Removed) >= 0 {
			bad(i, "removed in %s, not after %s", c.Removed, first)
		}
		if c.Replacement != "" && c.State() == StateCurrent {
			bad(i, "replacement: only a deprecated or removed constant has one")
		}
		if c.Replacement != "" && !isIdentifier(c.Replacement) {
			bad(i, "replacement %q must be a bare identifier", c.Replacement)
		}
		if i > 0 && stateOrder[c.State()] < stateOrder[cs[i-1].State()] {
			bad(i, "%s is %s, so it comes before the %s %s: current names first, then deprecated, then removed", c.Name, c.State(), cs[i-1].State(), cs[i-1].Name)
		}
	}
	return out
}

// isIdentifier reports whether s is an identifier of the libraries'
// languages: a letter or underscore, then letters, digits, underscores.
func isIdentifier(s string) bool {
	for i, r := range s {
		if r != '_' && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

// isVersion reports whether s is a release version: numbers joined by dots.
func isVersion(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

// missingSections returns the required sections the body lacks, or has out
// of order.
func missingSections(body string) []string {
	var missing []string
	at := 0
	for _, s := range Sections {
		i := strings.Index(body[at:], "## "+s+"\n")
		if i < 0 {
			missing = append(missing, s)
			continue
		}
		at += i
	}
	return missing
}

// section returns the text of the "## name" section of body, up to the
// next "## " heading, or "" when body has no such section.
func section(body, name string) string {
	_, rest, ok := strings.Cut(body, "## "+name+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// linkedCodes returns the codes that Markdown links of the form
// "](/503)" in body point to.
func linkedCodes(body string) []int {
	var out []int
	for rest := body; ; {
		i := strings.Index(rest, "](/")
		if i < 0 {
			return out
		}
		rest = rest[i+3:]
		if len(rest) >= 4 && rest[3] == ')' {
			if n, err := ParseCode(rest[:3]); err == nil {
				out = append(out, n)
			}
		}
	}
}
