package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/web"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// commands is the command table: "httpstatus help" lists it, dispatch
// runs from it and "httpstatus completion" completes from it. Each command
// parses its flags (newFlagSet, parseFlags) before it does anything else,
// which is how completion learns them from the same flag sets.
func commands() []command {
	return []command{
		{"show", "[--json] CODE", "explain a status code: 503, 418, 999", argCode, func(_ context.Context, args []string, e env) error { return runShow(args, e) }, endAtOnce},
		{"list", "[--json] [CLASS]", "list every code, or one class: 5xx", argClass, func(_ context.Context, args []string, e env) error { return runList(args, e) }, endAtOnce},
		{"search", "[--json] QUERY", `find codes by number, name or words: "gateway timeout"`, argNone, func(_ context.Context, args []string, e env) error { return runSearch(args, e) }, endAtOnce},
		{"annotate", "[--json] [FILE...]", "count and explain the status codes of access logs", argFile, runAnnotate, withSignals},
		{"serve", "[flags]", `run the web site and live endpoint (see "serve --help")`, argNone, runServe, withSignals},
		{"export", "[flags] DIR", `write the site as static files into DIR (see "export --help")`, argDir, runExport, withSignals},
		{"completion", "bash|zsh|fish", "print a shell completion script", argShell, runCompletion, endAtOnce},
		{"version", "", "print the version, the commit and the Go version", argNone, runVersion, endAtOnce},
	}
}

// command is one subcommand of httpstatus.
type command struct {
	name     string
	synopsis string // its arguments, as "httpstatus help" shows them
	summary  string
	args     argKind // what its positional arguments are, for completion
	run      func(ctx context.Context, args []string, e env) error
	// signals is withSignals for a command that SIGINT and SIGTERM must
	// not end at once: they cancel its context instead, so that serve
	// drains its connections and export removes the files it began, and
	// annotate goes on to the end of its input (in a pipeline, Ctrl-C
	// ends the command feeding it too) and reports what it read. The
	// others end at once, as without a handler, and start sooner
	// without one.
	signals bool
}

const (
	endAtOnce   = false
	withSignals = true
)

// argKind is what a command's positional arguments are.
type argKind int

const (
	argNone argKind = iota
	argCode
	argClass
	argFile
	argDir
	argShell
)

// usage is the text of "httpstatus help".
func usage() string {
	var b strings.Builder
	b.WriteString("httpstatus: a reference of HTTP status codes.\n\nUsage:\n")
	line := func(cmd, summary string) { fmt.Fprintf(&b, "  httpstatus %-28s %s\n", cmd, summary) }
	line("CODE", `explain a status code (same as "show CODE")`)
	for _, c := range commands() {
		line(strings.TrimSpace(c.name+" "+c.synopsis), c.summary)
	}
	line("help", "print this help")
	b.WriteString(`
Colour is used only when standard output is a terminal and NO_COLOR is not
set. Exit status: 0 success, 1 failure, 2 bad usage or unknown code.
`)
	return b.String()
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// env is what a subcommand gets from the process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// flagSets, when set, makes parseFlags hand it the command's flag set
	// and stop the command with errFlagsOnly (for completion).
	flagSets func(*flag.FlagSet)
}

// run runs the command line args (args[0] is the program name) and returns
// the exit status. Errors are printed to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	err := dispatch(ctx, args[1:], e)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "httpstatus: %s\n", ue.msg)
		fmt.Fprintln(stderr, `Run "httpstatus help" for usage.`)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "httpstatus: %v\n", err)
		return exitFailure
	}
}

func dispatch(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage())
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage())
		return nil
	case "--version", "-version":
		cmd = "version"
	}
	for _, c := range commands() {
		if c.name == cmd {
			if c.signals {
				var stop context.CancelFunc
				ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
				defer stop()
			}
			return c.run(ctx, rest, e)
		}
	}
	if _, err := catalog.ParseCode(cmd); err == nil {
		return runShow(args, e)
	}
	if strings.HasPrefix(cmd, "-") {
		return usagef("unknown flag %q: flags go after the command, such as httpstatus show --json 503", cmd)
	}
	return usagef("unknown command %q", cmd)
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its help to stdout when asked for it.
func newFlagSet(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: httpstatus %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a help request into a help text on stdout
// and any other problem into a usage error. Flags may follow arguments.
func parseFlags(fs *flag.FlagSet, args []string, e env) ([]string, error) {
	if e.flagSets != nil {
		e.flagSets(fs)
		return nil, errFlagsOnly
	}
	var positional []string
	for {
		out := io.Discard
		fs.SetOutput(out)
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return nil, flag.ErrHelp
		}
		if err != nil {
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// loadCatalog loads the embedded content, its front matter decoded at
// build time (make content), or decodes the content files in dir when dir
// is set (for editing content with a live preview).
func loadCatalog(dir string) (*catalog.Catalog, error) {
	var (
		cat *catalog.Catalog
		err error
	)
	if dir == "" {
		cat, err = catalog.LoadJSON(content.CatalogJSON(), content.ClientsJSON(), content.FS())
	} else {
		cat, err = catalog.Load(os.DirFS(dir))
	}
	if err != nil {
		return nil, fmt.Errorf("load content: %w", err)
	}
	return cat, nil
}

// loadCodeRenderer is loadRenderer for the text and JSON forms of one
// code: it decodes only the lines of the embedded JSON they show
// (catalog.LoadCode).
func loadCodeRenderer(code int) (*render.Renderer, error) {
	cat, err := catalog.LoadCode(content.CatalogJSON(), content.ClientsJSON(), content.FS(), code)
	if err != nil {
		return nil, fmt.Errorf("load content: %w", err)
	}
	return render.New(cat, web.FS())
}

// outOfRange is the usage error for a number above 599 that the guide
// does not document: RFC 9110 §15 defines 100 to 599, and above that the
// guide has only the vendors' codes it names.
func outOfRange(code int) error {
	msg := fmt.Sprintf("show: %d is not a status code: RFC 9110 §15 defines 100 to 599", code)
	if cat, err := catalog.LoadIndex(content.CatalogJSON()); err == nil && len(cat.Beyond()) > 0 {
		msg += ", and above 599 the guide has only vendors' codes " + catalog.JoinCodes("", cat.Beyond())
	}
	return usagef("%s", msg)
}

func loadRenderer(dir string) (*render.Renderer, error) {
	cat, err := loadCatalog(dir)
	if err != nil {
		return nil, err
	}
	return render.New(cat, web.FS())
}

// loadIndexRenderer is loadRenderer for what shows no prose and no
// client's data (the list of codes, search results): it reads only the
// embedded front matter (catalog.LoadIndex).
func loadIndexRenderer() (*render.Renderer, error) {
	cat, err := catalog.LoadIndex(content.CatalogJSON())
	if err != nil {
		return nil, fmt.Errorf("load content: %w", err)
	}
	return render.New(cat, web.FS())
}

// useColor reports whether output to w should be coloured: only a terminal,
// and only when NO_COLOR is unset or empty (no-color.org).
func useColor(w io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func runShow(args []string, e env) error {
	fs := newFlagSet("show", "[--json] CODE", e)
	asJSON := fs.Bool("json", false, "print the JSON form")
	args, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("show: want one status code, such as 503")
	}
	code, err := catalog.ParseCode(args[0])
	if err != nil {
		return usagef("show: %v", err)
	}
	// Both forms show the code, its class and the names of the codes it
	// relates to: only their files are read.
	rnd, err := loadCodeRenderer(code)
	if err != nil {
		return err
	}
	if _, err := rnd.Catalog().Lookup(code); err != nil && !catalog.InRange(code) {
		return outOfRange(code)
	}
	var out []byte
	if *asJSON {
		out, err = rnd.Code(code, render.JSON)
	} else {
		out, err = rnd.CodeTerminal(code, useColor(e.stdout, e.getenv))
	}
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(out)
	return err
}

func runList(args []string, e env) error {
	fs := newFlagSet("list", "[--json] [CLASS]", e)
	asJSON := fs.Bool("json", false, "print JSON")
	args, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	class := ""
	switch len(args) {
	case 0:
	case 1:
		c, ok := catalog.ParseClass(args[0])
		if !ok {
			return usagef("list: %q is not a class: want 1xx, 2xx, 3xx, 4xx or 5xx", args[0])
		}
		class = c
	default:
		return usagef("list: want at most one class")
	}
	return printRendered(e, func(r *render.Renderer) ([]byte, error) {
		if *asJSON {
			return r.List(class, render.JSON)
		}
		return r.ListTerminal(class, useColor(e.stdout, e.getenv)), nil
	})
}

func runSearch(args []string, e env) error {
	fs := newFlagSet("search", "[--json] QUERY", e)
	asJSON := fs.Bool("json", false, "print JSON")
	args, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(args, " "))
	if q == "" {
		return usagef("search: want a query, such as \"gateway timeout\"")
	}
	return printRendered(e, func(r *render.Renderer) ([]byte, error) {
		if *asJSON {
			return r.Search(q, render.JSON)
		}
		return r.SearchTerminal(q, useColor(e.stdout, e.getenv)), nil
	})
}

// printRendered loads the embedded front matter, renders with fn and
// writes the result to stdout.
func printRendered(e env, fn func(*render.Renderer) ([]byte, error)) error {
	rnd, err := loadIndexRenderer()
	if err != nil {
		return err
	}
	out, err := fn(rnd)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(out)
	return err
}
