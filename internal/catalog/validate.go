package catalog

import (
	"fmt"
	"strconv"
	"strings"
)

// Sections are the Markdown headings every registered meaning's body must
// have, in this order.
var Sections = []string{"In practice", "When to use it", "Common causes and fixes"}

// validate checks every rule that spans fields or files and returns one
// error per problem, each naming the file and the field.
func (c *Catalog) validate() []error {
	var errs []error
	add := func(file, field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s: %s", file, field, fmt.Sprintf(format, args...)))
	}
	seen := map[int]string{}
	for _, k := range c.codes {
		file := k.Entries[0].File
		want, err := strconv.Atoi(strings.TrimSuffix(file, ".md"))
		if err != nil || strconv.Itoa(want)+".md" != file {
			add(file, "file", "name must be the code, such as 503.md")
		}
		if prev, ok := seen[k.Code]; ok {
			add(file, "code", "%d is also defined in %s", k.Code, prev)
		}
		seen[k.Code] = file
		registered := 0
		for i, e := range k.Entries {
			field := func(name string) string {
				if len(k.Entries) > 1 {
					return fmt.Sprintf("meaning %d: %s", i+1, name)
				}
				return name
			}
			if e.Code != want {
				add(file, field("code"), "%d does not match the file name", e.Code)
			}
			if e.Code < 100 || e.Code > 999 || (!InRange(e.Code) && e.Status != Unofficial) {
				add(file, field("code"), "%d is out of range (100-599, or up to 999 for unofficial codes)", e.Code)
			}
			if strings.TrimSpace(e.Name) == "" {
				add(file, field("name"), "required")
			}
			if !e.Status.valid() {
				add(file, field("status"), "%q is not one of standard, temporary, obsoleted, unused, unofficial", e.Status)
			}
			if e.Status.Registered() {
				registered++
				if i != 0 {
					add(file, field("status"), "the registered meaning must come first")
				}
				if e.Vendor != "" {
					add(file, field("vendor"), "a registered meaning has no vendor")
				}
			} else if strings.TrimSpace(e.Vendor) == "" {
				add(file, field("vendor"), "required for an unofficial meaning")
			}
			if strings.TrimSpace(e.Summary) == "" {
				add(file, field("summary"), "required")
			} else if strings.Contains(strings.TrimSpace(e.Summary), "\n") {
				add(file, field("summary"), "must be one line")
			}
			if e.Spec == (Link{}) {
				add(file, field("spec"), "required: the defining document, or the vendor's documentation")
			} else {
				checkLink(add, file, field("spec"), e.Spec)
			}
			for j, s := range e.Sources {
				checkLink(add, file, field(fmt.Sprintf("sources[%d]", j)), s)
			}
			if e.Cacheable != HeuristicallyCacheable(e.Code) {
				add(file, field("cacheable"), "%v contradicts RFC 9110 §15.1 (heuristically cacheable: %v)", e.Cacheable, HeuristicallyCacheable(e.Code))
			}
			for j, h := range e.Headers {
				if strings.TrimSpace(h.Name) == "" {
					add(file, field(fmt.Sprintf("headers[%d].name", j)), "required")
				}
			}
			if e.Status.Registered() {
				if strings.TrimSpace(e.Retry) == "" {
					add(file, field("retry"), "required for a registered meaning")
				}
				if strings.TrimSpace(e.Example) == "" {
					add(file, field("example"), "required for a registered meaning")
				}
				if len(e.Related) == 0 {
					add(file, field("related"), "required for a registered meaning")
				}
				if len(linkedCodes(section(e.Body, "When to use it"))) == 0 {
					add(file, field("body"), "%q links to no other code: name the codes it is confused with, as [504 Gateway Timeout](/504)", "## When to use it")
				}
			}
			if e.Example != "" {
				if problem := checkExample(e.Code, e.Example); problem != "" {
					add(file, field("example"), "%s", problem)
				}
			}
			for _, p := range checkConstants(e) {
				add(file, field("constants"), "%s", p)
			}
			for _, m := range missingSections(e.Body) {
				add(file, field("body"), "missing section %q", "## "+m)
			}
			for _, r := range linkedCodes(e.Body) {
				if _, ok := c.byCode[r]; !ok && InRange(r) {
					add(file, field("body"), "link to /%d: %d has no content file", r, r)
				}
			}
			for _, r := range e.Related {
				if r == e.Code {
					add(file, field("related"), "%d links to itself", r)
				} else if _, ok := c.byCode[r]; !ok {
					add(file, field("related"), "%d has no content file", r)
				}
			}
		}
		if registered > 1 {
			add(file, "status", "more than one registered meaning")
		}
	}
	names := map[string]bool{}
	for _, k := range c.classes {
		want := strings.TrimSuffix(k.File, ".md")
		if k.Name != want {
			add(k.File, "class", "%q does not match the file name", k.Name)
		}
		names[k.Name] = true
		for field, v := range map[string]string{"title": k.Title, "lead": k.Lead, "means": k.Means} {
			if strings.TrimSpace(v) == "" {
				add(k.File, field, "required")
			}
		}
		if len(k.Appears) == 0 {
			add(k.File, "appears", "required")
		}
		if len(k.Notes) == 0 {
			add(k.File, "notes", "required")
		}
	}
	for i := 1; i <= 5; i++ {
		if name := strconv.Itoa(i) + "xx"; !names[name] {
			add(name+".md", "file", "missing: every class needs a file")
		}
	}
	return errs
}

func checkLink(add func(file, field, format string, args ...any), file, field string, l Link) {
	if strings.TrimSpace(l.Title) == "" {
		add(file, field+".title", "required")
	}
	if !strings.HasPrefix(l.URL, "https://") {
		add(file, field+".url", "%q must be an https URL", l.URL)
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

// constantPrefixes is how each library's constant is spelt.
var constantPrefixes = []struct{ field, prefix string }{
	{"go", "http.Status"}, {"python", "HTTPStatus."}, {"java", "HttpStatus."},
	{"dotnet", "HttpStatusCode."}, {"rust", "StatusCode::"},
}

// checkConstants returns the problems with a meaning's constants. A standard
// or obsoleted code has a constant in Go's net/http and Python's
// http.HTTPStatus and in at least one more library; the constants test
// compares every name with the libraries themselves.
func checkConstants(e Entry) []string {
	c := e.Constants
	values := map[string]string{"go": c.Go, "python": c.Python, "java": c.Java, "dotnet": c.DotNet, "rust": c.Rust}
	var out []string
	for _, p := range constantPrefixes {
		v := values[p.field]
		if v == "" {
			continue
		}
		name, ok := strings.CutPrefix(v, p.prefix)
		if !ok || name == "" || strings.ContainsAny(name, " .:()") {
			out = append(out, fmt.Sprintf("%s: %q must look like %sName", p.field, v, p.prefix))
		}
	}
	if e.Status != Standard && e.Status != Obsoleted {
		return out
	}
	if c.Go == "" {
		out = append(out, "go: required for a registered code (net/http names every one)")
	}
	if c.Python == "" {
		out = append(out, "python: required for a registered code (http.HTTPStatus names every one)")
	}
	if c.Java == "" && c.DotNet == "" && c.Rust == "" {
		out = append(out, "need at least one of java, dotnet, rust")
	}
	return out
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
