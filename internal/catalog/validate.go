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
			checkLink(add, file, field("spec"), e.Spec)
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
