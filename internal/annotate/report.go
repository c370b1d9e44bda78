package annotate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// ServerErrorShare is the share of requests answered with a 5xx status
// above which Summarize flags the 5xx class.
const ServerErrorShare = 0.05

// The kinds of flag Summarize sets on an unusual code or class.
const (
	FlagVendor       = "vendor"        // every meaning of the code is a vendor's, none registered
	FlagUnused       = "unused"        // registered as unused (306) or obsoleted (510)
	FlagUnassigned   = "unassigned"    // 100 to 599, but no meaning is known
	FlagOutOfRange   = "out-of-range"  // above 599, not a valid HTTP status
	FlagServerErrors = "server-errors" // more than ServerErrorShare of requests are 5xx
)

// Report is the summary of Counts, explained from the catalog.
type Report struct {
	Requests         int64      `json:"requests"`
	Unreadable       int64      `json:"unreadable"`
	FirstUnreadable  []Location `json:"first_unreadable"`
	ServerErrorShare float64    `json:"server_error_share_flagged_above"`
	Classes          []Class    `json:"classes"`
}

// Class is the requests of one class ("5xx"), or of numbers above 599
// ("9xx"), in numeric order.
type Class struct {
	Class string  `json:"class"`
	Title string  `json:"title"`
	Count int64   `json:"count"`
	Share float64 `json:"share"`
	Flags []Flag  `json:"flags"`
	Codes []Code  `json:"codes"`
}

// Code is the requests of one status code and what the catalog says of it.
// Name, Status, Vendor and Summary are those of its first meaning; an
// unassigned number has Status "unassigned" and no name.
type Code struct {
	Code     int     `json:"code"`
	Count    int64   `json:"count"`
	Share    float64 `json:"share"`
	Name     string  `json:"name"`
	Status   string  `json:"status"`
	Vendor   string  `json:"vendor,omitempty"`
	Summary  string  `json:"summary"`
	Meanings int     `json:"meanings"`
	Flags    []Flag  `json:"flags"`
}

// Flag marks something unusual: its kind (FlagVendor ...) and why, for
// people.
type Flag struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// Summarize explains c from cat, which must hold every code (catalog.Load,
// not catalog.LoadCode).
func Summarize(c *Counts, cat *catalog.Catalog) Report {
	r := Report{
		Requests:         c.requests,
		Unreadable:       c.unreadable,
		FirstUnreadable:  append([]Location{}, c.examples...),
		ServerErrorShare: ServerErrorShare,
		Classes:          []Class{},
	}
	for first := 1; first <= 9; first++ {
		cl := Class{Class: catalog.ClassOf(first * 100), Flags: []Flag{}}
		if k, err := cat.Class(cl.Class); err == nil {
			cl.Title = k.Title
		} else {
			cl.Title = "Outside 100 to 599"
		}
		for code := first * 100; code < first*100+100; code++ {
			if n := c.byCode[code]; n > 0 {
				cl.Count += n
				cl.Codes = append(cl.Codes, explain(cat, code, n, share(n, c.requests)))
			}
		}
		if cl.Count == 0 {
			continue
		}
		cl.Share = share(cl.Count, c.requests)
		if cl.Class == "5xx" && cl.Share > ServerErrorShare {
			cl.Flags = append(cl.Flags, Flag{FlagServerErrors, fmt.Sprintf("more than %g%% of requests failed on the server's side", ServerErrorShare*100)})
		}
		r.Classes = append(r.Classes, cl)
	}
	return r
}

func share(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

// explain describes one code from the catalog and flags it if unusual.
func explain(cat *catalog.Catalog, code int, n int64, sh float64) Code {
	out := Code{Code: code, Count: n, Share: sh, Flags: []Flag{}}
	k, err := cat.Lookup(code)
	if err != nil {
		out.Status = "unassigned"
		if !catalog.InRange(code) {
			out.Summary = fmt.Sprintf("%d is not an HTTP status code: they run from 100 to 599.", code)
			out.Flags = append(out.Flags, Flag{FlagOutOfRange, "not a valid HTTP status"})
			return out
		}
		treatAs := code / 100 * 100
		out.Summary = fmt.Sprintf("No meaning is assigned to %d. Clients treat it as %d.", code, treatAs)
		if x, err := cat.Lookup(treatAs); err == nil {
			out.Summary = fmt.Sprintf("No meaning is assigned to %d. Clients treat it as %d %s.", code, treatAs, x.Primary().Name)
		}
		out.Flags = append(out.Flags, Flag{FlagUnassigned, "no meaning is assigned to this number"})
		return out
	}
	p := k.Primary()
	out.Name, out.Status, out.Vendor, out.Summary, out.Meanings = p.Name, string(p.Status), p.Vendor, p.Summary, len(k.Entries)
	switch p.Status {
	case catalog.Unofficial:
		var vendors []string
		for _, e := range k.Entries {
			if e.Vendor != "" && !slices.Contains(vendors, e.Vendor) {
				vendors = append(vendors, e.Vendor)
			}
		}
		out.Flags = append(out.Flags, Flag{FlagVendor, "not registered; used by " + strings.Join(vendors, ", ")})
	case catalog.Unused, catalog.Obsoleted:
		out.Flags = append(out.Flags, Flag{FlagUnused, string(p.Status) + " in the IANA registry"})
	}
	if !catalog.InRange(code) {
		out.Flags = append(out.Flags, Flag{FlagOutOfRange, "not a valid HTTP status"})
	}
	return out
}
