// Package export writes the whole guide as static files, for any web
// server, CDN or object store to serve.
//
// The tree holds every documentation page in HTML, JSON and text, the
// hashed static assets, sitemap.xml, robots.txt, openapi.json (with the
// live endpoint's default limits) and 404.html, with a precompressed .gz
// and .br copy of each file. Its bytes are the bytes the server sends for
// the same paths: both render with the same Renderer and compress with
// package compress.
//
// HTML pages are written as NAME.html for the clean URL /NAME ("/503" is
// 503.html, "/" is index.html, "/guides/redirects" is
// guides/redirects.html), except the page about status 404, which is
// 404/index.html because 404.html is the site's not-found page. JSON and
// text forms keep their URL's name (503.json, 5xx.txt, codes.json).
//
// The output is deterministic: the same catalog and options give the same
// files with the same bytes. It is written to a temporary directory beside
// the target and renamed into place, so the target never holds half an
// export.
package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/httpstatus/httpstatus/internal/compress"
	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/render"
)

// Names of the special files of an export.
const (
	// NotFoundFile is the page a static host serves, with status 404, for
	// a path that names nothing.
	NotFoundFile = "404.html"
	// MarkerFile marks a directory as written by Export, which may then
	// replace it without being forced.
	MarkerFile = ".httpstatus-export"
)

const markerText = "This directory was written by httpstatus export.\nThe next export into it replaces it whole.\n"

// ErrNotEmpty is returned for a target directory that has files and no
// MarkerFile, when Options.Force is not set.
var ErrNotEmpty = errors.New("directory is not empty and holds no earlier export")

// Options are the settings of an export.
type Options struct {
	// BaseURL is the absolute URL the site will be served at
	// ("https://example.org"), named by sitemap.xml and robots.txt. Empty
	// means render.DefaultBaseURL.
	BaseURL string
	// Force allows replacing a non-empty directory that holds no earlier
	// export. Its files are deleted.
	Force bool
	// Workers is how many files are rendered and compressed at once; zero
	// means GOMAXPROCS.
	Workers int
	// Progress, when set, is called after each source file is written
	// (with its compressed copies) with the count done so far and the
	// total. Calls never overlap.
	Progress func(done, total int)
}

// Stats describes a finished export.
type Stats struct {
	Files int   // files written, compressed copies and MarkerFile included
	Bytes int64 // their total size
}

// source is one file of the export before compression.
type source struct {
	name     string // slash-separated, relative to the export's root
	compress bool
	body     func() ([]byte, error)
}

// PageFile returns the file, relative to the export's root, that holds
// page p.
func PageFile(p render.Page) string {
	name := strings.TrimPrefix(p.Path(), "/")
	if p.Format != render.HTML {
		return name
	}
	switch name {
	case "":
		return "index.html"
	case strings.TrimSuffix(NotFoundFile, ".html"):
		return name + "/index.html"
	}
	return name + ".html"
}

// sources lists every file of the export in a fixed order.
func sources(rnd *render.Renderer, base string) []source {
	var out []source
	for _, p := range rnd.Pages() {
		out = append(out, source{name: PageFile(p), compress: true, body: func() ([]byte, error) { return rnd.Render(p) }})
	}
	for _, a := range rnd.Assets() {
		out = append(out, source{name: strings.TrimPrefix(a.Path, "/"), compress: true, body: func() ([]byte, error) { return a.Body, nil }})
	}
	out = append(out,
		source{name: NotFoundFile, compress: true, body: func() ([]byte, error) { return rnd.NotFound("/", render.HTML) }},
		source{name: "sitemap.xml", compress: true, body: func() ([]byte, error) { return rnd.Sitemap(base), nil }},
		source{name: "robots.txt", compress: true, body: func() ([]byte, error) { return rnd.Robots(base), nil }},
		source{name: strings.TrimPrefix(openapi.Path, "/"), compress: true, body: func() ([]byte, error) { return openapi.Document(rnd), nil }},
		source{name: MarkerFile, body: func() ([]byte, error) { return []byte(markerText), nil }},
	)
	return out
}

// target is the state of the directory an export goes to.
type target int

const (
	targetMissing  target = iota
	targetEmpty           // an empty directory: replaced
	targetExport          // an earlier export: replaced
	targetReplaced        // a non-empty directory, with Force: replaced
)

func inspect(dir string, force bool) (target, error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return targetMissing, nil
	}
	if err != nil {
		return 0, err
	}
	if !fi.IsDir() {
		return 0, fmt.Errorf("%s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	if len(entries) == 0 {
		return targetEmpty, nil
	}
	if fi, err := os.Lstat(filepath.Join(dir, MarkerFile)); err == nil && fi.Mode().IsRegular() {
		return targetExport, nil
	}
	if force {
		return targetReplaced, nil
	}
	return 0, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
}

// Export writes the site into dir, which must be missing, empty, an earlier
// export, or (with opts.Force) any directory. The files are written into a
// temporary directory beside dir, then renamed to dir; on an error or when
// ctx is done, the temporary directory is removed and dir is left as it
// was.
func Export(ctx context.Context, dir string, rnd *render.Renderer, opts Options) (Stats, error) {
	if dir == "" {
		return Stats{}, errors.New("no directory given")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Stats{}, err
	}
	parent := filepath.Dir(dir)
	if parent == dir {
		return Stats{}, fmt.Errorf("cannot export into %s", dir)
	}
	state, err := inspect(dir, opts.Force)
	if err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return Stats{}, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return Stats{}, err
	}
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	// MkdirTemp makes a private directory; a web server's workers must be
	// able to read the export.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return Stats{}, err
	}
	base := opts.BaseURL
	if base == "" {
		base = render.DefaultBaseURL
	}
	stats, err := write(ctx, tmp, sources(rnd, base), opts)
	if err != nil {
		return Stats{}, err
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	if err := swap(tmp, dir, state); err != nil {
		return Stats{}, err
	}
	tmp = ""
	return stats, nil
}

// swap puts the finished export tmp in place of dir.
func swap(tmp, dir string, state target) error {
	switch state {
	case targetEmpty:
		if err := os.Remove(dir); err != nil {
			return err
		}
	case targetExport, targetReplaced:
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			os.Rename(old, dir)
			return err
		}
		return os.RemoveAll(old)
	}
	return os.Rename(tmp, dir)
}

// write renders, compresses and writes every source into root, with
// opts.Workers at once.
func write(ctx context.Context, root string, srcs []source, opts Options) (Stats, error) {
	dirs := map[string]bool{}
	for _, s := range srcs {
		if d := path.Dir(s.name); d != "." && !dirs[d] {
			dirs[d] = true
			if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
				return Stats{}, err
			}
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu    sync.Mutex
		stats Stats
		done  int
		next  = make(chan source)
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for s := range next {
				st, err := writeOne(root, s)
				if err != nil {
					cancel(fmt.Errorf("%s: %w", s.name, err))
					continue
				}
				mu.Lock()
				stats.Files += st.Files
				stats.Bytes += st.Bytes
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(srcs))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, s := range srcs {
		select {
		case next <- s:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return Stats{}, err
	}
	return stats, nil
}

// variant is one file written for a source: the body, or a compressed
// form with its extension.
type variant struct {
	ext  string
	data []byte
}

// writeOne writes one source and its compressed forms.
func writeOne(root string, s source) (Stats, error) {
	body, err := s.body()
	if err != nil {
		return Stats{}, err
	}
	files := []variant{{"", body}}
	if s.compress {
		gz, br, err := compress.Forms(body)
		if err != nil {
			return Stats{}, err
		}
		files = append(files, variant{".gz", gz}, variant{".br", br})
	}
	var st Stats
	name := filepath.Join(root, filepath.FromSlash(s.name))
	for _, f := range files {
		if err := os.WriteFile(name+f.ext, f.data, 0o644); err != nil {
			return Stats{}, err
		}
		st.Files++
		st.Bytes += int64(len(f.data))
	}
	return st, nil
}
