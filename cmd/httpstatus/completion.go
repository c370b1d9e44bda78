package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/template"
)

// The completion scripts, one per shell, filled in from the command table,
// the commands' flag sets and the catalog when they are printed.
//
//go:embed completion/*.tmpl
var completionFS embed.FS

// shells are the shells "httpstatus completion" prints a script for.
var shells = []string{"bash", "zsh", "fish"}

// errFlagsOnly stops a command once parseFlags has handed its flag set to
// env.flagSets.
var errFlagsOnly = errors.New("flags only")

// completionData is what a completion script is made from.
type completionData struct {
	Commands []completionCommand
	Codes    []completionCode
	Classes  []string
	Shells   []string
}

type completionCommand struct {
	Name, Summary  string
	Flags          []string // every flag, as "--name"
	ValueFlags     []string // the flags that take a value, as "--name"
	BoolFlags      []string // names of the flags that take none
	ValueFlagNames []string // names of the flags that take a value
	Args           string   // code, class, file, dir, shell, or ""
}

type completionCode struct {
	Code int
	Name string
}

var argKindNames = map[argKind]string{argCode: "code", argClass: "class", argFile: "file", argDir: "dir", argShell: "shell"}

func runCompletion(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("completion", strings.Join(shells, "|"), e)
	args, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("completion: want one shell: %s", strings.Join(shells, ", "))
	}
	if !slices.Contains(shells, args[0]) {
		return usagef("completion: unknown shell %q: want %s", args[0], strings.Join(shells, ", "))
	}
	data, err := completionInfo(ctx)
	if err != nil {
		return err
	}
	return writeCompletion(e.stdout, args[0], data)
}

// completionInfo gathers the commands and their flags from the command
// table, and the codes and classes from the catalog.
func completionInfo(ctx context.Context) (completionData, error) {
	d := completionData{Shells: shells}
	for _, c := range commands() {
		cc, err := completionFlags(ctx, c)
		if err != nil {
			return d, err
		}
		d.Commands = append(d.Commands, cc)
	}
	cat, err := loadCatalog("")
	if err != nil {
		return d, err
	}
	for _, k := range cat.Codes() {
		d.Codes = append(d.Codes, completionCode{Code: k.Code, Name: k.Primary().Name})
	}
	for _, k := range cat.Classes() {
		d.Classes = append(d.Classes, k.Name)
	}
	return d, nil
}

// completionFlags runs c with env.flagSets set, which stops it as soon as
// it has defined its flags, and describes them.
func completionFlags(ctx context.Context, c command) (completionCommand, error) {
	cc := completionCommand{Name: c.name, Summary: c.summary, Args: argKindNames[c.args]}
	var fs *flag.FlagSet
	e := env{
		getenv:   func(string) string { return "" },
		stdin:    strings.NewReader(""),
		stdout:   io.Discard,
		stderr:   io.Discard,
		flagSets: func(f *flag.FlagSet) { fs = f },
	}
	if err := c.run(ctx, nil, e); !errors.Is(err, errFlagsOnly) || fs == nil {
		return cc, fmt.Errorf("completion: command %s does not parse its flags first (%v)", c.name, err)
	}
	fs.VisitAll(func(f *flag.Flag) {
		cc.Flags = append(cc.Flags, "--"+f.Name)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			cc.BoolFlags = append(cc.BoolFlags, f.Name)
			return
		}
		cc.ValueFlags = append(cc.ValueFlags, "--"+f.Name)
		cc.ValueFlagNames = append(cc.ValueFlagNames, f.Name)
	})
	return cc, nil
}

func writeCompletion(w io.Writer, shell string, d completionData) error {
	t, err := template.New("").Funcs(template.FuncMap{
		"join": strings.Join,
		"zq":   zshQuote,
		"fq":   fishQuote,
	}).ParseFS(completionFS, "completion/"+shell+".tmpl")
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, shell+".tmpl", d)
}

// zshQuote quotes s for a zsh array of _describe's "value:description"
// items: single quotes, and the colons of the description escaped.
func zshQuote(s string) string {
	s = strings.ReplaceAll(s, ":", `\:`)
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes s as one fish word.
func fishQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}
