package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/httpstatus/httpstatus/internal/export"
	"github.com/httpstatus/httpstatus/internal/render"
)

// exportConfig is the configuration of "httpstatus export".
type exportConfig struct {
	dir     string
	baseURL string
	force   bool
	content string
}

func parseExport(args []string, e env) (exportConfig, error) {
	var c exportConfig
	fs := newFlagSet("export", "[flags] DIR", e)
	fs.StringVar(&c.baseURL, "base-url", render.DefaultBaseURL, "absolute URL the site is served at, for sitemap.xml and robots.txt (env HTTPSTATUS_BASE_URL)")
	fs.BoolVar(&c.force, "force", false, "replace DIR even if it holds files that are not an earlier export (they are deleted)")
	fs.StringVar(&c.content, "content", "", "export content files from this directory instead of the embedded ones")
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return c, err
	}
	if len(rest) != 1 {
		return c, usagef("export: want one directory, such as ./out/site")
	}
	c.dir = rest[0]
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["base-url"] {
		if v := e.getenv("HTTPSTATUS_BASE_URL"); v != "" {
			c.baseURL = v
		}
	}
	if c.baseURL, err = parseBaseURL(c.baseURL); err != nil {
		return c, usagef("export: %v", err)
	}
	return c, nil
}

// parseBaseURL checks a --base-url value and returns it without a trailing
// slash. The site's links are absolute paths ("/503"), so it must be served
// at the root of its host: the URL has no path.
func parseBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("--base-url %q: want the site's root URL, such as https://httpstatus.example.org", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

func runExport(ctx context.Context, args []string, e env) error {
	c, err := parseExport(args, e)
	if err != nil {
		return err
	}
	rnd, err := loadRenderer(c.content)
	if err != nil {
		return err
	}
	opts := export.Options{BaseURL: c.baseURL, Force: c.force}
	progress := isTerminal(e.stderr)
	if progress {
		var last time.Time
		opts.Progress = func(done, total int) {
			if now := time.Now(); done == total || now.Sub(last) >= 50*time.Millisecond {
				last = now
				fmt.Fprintf(e.stderr, "\rexporting: %d/%d sources (each with its .gz and .br copies)", done, total)
			}
		}
	}
	start := time.Now()
	st, err := export.Export(ctx, c.dir, rnd, opts)
	if progress {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if errors.Is(err, export.ErrNotEmpty) {
		return fmt.Errorf("export: %w; use --force to replace it (its files will be deleted)", err)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stdout, "exported %d files, %s, to %s in %s\n", st.Files, formatBytes(st.Bytes), c.dir, time.Since(start).Round(time.Millisecond))
	return nil
}

// formatBytes writes a size for people: "812 B", "3.4 MB".
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
