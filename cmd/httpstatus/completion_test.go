package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

// completionScript prints the completion script for shell into a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, out, errs := runArgs(t, nil, "completion", shell)
	if code != 0 {
		t.Fatalf("completion %s: exit %d: %s", shell, code, errs)
	}
	name := filepath.Join(t.TempDir(), "httpstatus."+shell)
	if err := os.WriteFile(name, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// bashComplete runs bash's completion for the command line words (the
// last is the word being completed) with the script loaded, as bash does
// on TAB: the function "complete -p httpstatus" names, called with
// COMP_WORDS, COMP_CWORD and COMP_LINE set. It returns COMPREPLY.
func bashComplete(t *testing.T, script string, words ...string) []string {
	t.Helper()
	const driver = `
source "$1"; shift
spec=$(complete -p httpstatus) || exit 1
fn=${spec#*-F }; fn=${fn%% *}
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$fn" httpstatus "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
`
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	args := append([]string{"--norc", "--noprofile", "-c", driver, "bash", script}, words...)
	out, err := exec.CommandContext(ctx, "bash", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
	}
	return strings.Fields(string(out))
}

func TestCompletionBash(t *testing.T) {
	t.Parallel()
	script := completionScript(t, "bash")
	info, err := completionInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var codes50, all []string
	for _, k := range info.Codes {
		s := strconv.Itoa(k.Code)
		all = append(all, s)
		if strings.HasPrefix(s, "50") {
			codes50 = append(codes50, s)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "access.log"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		words   []string
		want    []string // exactly, when exact
		exact   bool
		notWant []string
	}{
		{"commands", []string{"httpstatus", ""}, append([]string{"show", "list", "search", "annotate", "serve", "export", "completion", "version", "help"}, all...), true, nil},
		{"command prefix", []string{"httpstatus", "se"}, []string{"search", "serve"}, true, nil},
		{"code at the top", []string{"httpstatus", "50"}, codes50, true, nil},
		{"serve flag", []string{"httpstatus", "serve", "--a"}, []string{"--addr"}, true, nil},
		{"show code prefix", []string{"httpstatus", "show", "50"}, codes50, true, nil},
		{"show code after a flag", []string{"httpstatus", "show", "--json", "50"}, codes50, true, nil},
		{"show flag", []string{"httpstatus", "show", "-"}, []string{"--json"}, true, nil},
		{"list class", []string{"httpstatus", "list", "5x"}, []string{"5xx"}, true, nil},
		{"list classes", []string{"httpstatus", "list", ""}, []string{"1xx", "2xx", "3xx", "4xx", "5xx"}, true, nil},
		{"completion shells", []string{"httpstatus", "completion", ""}, []string{"bash", "fish", "zsh"}, true, nil},
		{"annotate file", []string{"httpstatus", "annotate", filepath.Join(dir, "acc")}, []string{filepath.Join(dir, "access.log")}, true, nil},
		{"value of a flag", []string{"httpstatus", "serve", "--content", filepath.Join(dir, "a")}, []string{filepath.Join(dir, "access.log")}, true, nil},
		{"export dir", []string{"httpstatus", "export", dir + "/"}, nil, true, nil},
		{"search words", []string{"httpstatus", "search", "gate"}, nil, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := bashComplete(t, script, tt.words...)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("complete %q = %q, want %q", tt.words, got, want)
			}
		})
	}
	// Every flag of every command, from its own flag set.
	for _, c := range info.Commands {
		got := bashComplete(t, script, "httpstatus", c.Name, "--")
		if !slices.Equal(got, c.Flags) {
			t.Errorf("complete httpstatus %s -- = %q, want %q", c.Name, got, c.Flags)
		}
	}
}

// TestCompletionFlags checks that completion learns the flags from the
// commands' own flag sets: flags they are known to have, in the set's
// (sorted) order, and none for commands that have none.
func TestCompletionFlags(t *testing.T) {
	t.Parallel()
	info, err := completionInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"show":       {"--json"},
		"annotate":   {"--json"},
		"serve":      {"--addr", "--base-url", "--content", "--log-level", "--max-sleep", "--metrics-addr"},
		"export":     {"--base-url", "--content", "--force"},
		"completion": nil,
		"version":    nil,
	}
	for _, c := range info.Commands {
		w, ok := want[c.Name]
		if !ok {
			continue
		}
		if len(w) == 0 && len(c.Flags) > 0 || !slices.IsSorted(c.Flags) {
			t.Errorf("%s: flags %q, want %q", c.Name, c.Flags, w)
		}
		for _, f := range w {
			if !slices.Contains(c.Flags, f) {
				t.Errorf("%s: flags %q, want %s among them", c.Name, c.Flags, f)
			}
		}
	}
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Classes) != len(cat.Classes()) || len(info.Codes) != len(cat.Codes()) {
		t.Errorf("%d classes, %d codes; want the catalog's %d and %d", len(info.Classes), len(info.Codes), len(cat.Classes()), len(cat.Codes()))
	}
}

func TestCompletionUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"completion"}, "completion: want one shell: bash, zsh, fish"},
		{[]string{"completion", "powershell"}, `completion: unknown shell "powershell": want bash, zsh, fish`},
		{[]string{"completion", "bash", "zsh"}, "completion: want one shell"},
	}
	for _, tt := range tests {
		code, out, errs := runArgs(t, nil, tt.args...)
		first, _, _ := strings.Cut(errs, "\n")
		if code != 2 || out != "" || !strings.Contains(first, tt.wantErr) {
			t.Errorf("httpstatus %v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errs, tt.wantErr)
		}
	}
	for _, shell := range shells {
		code, out, _ := runArgs(t, nil, "completion", shell)
		if code != 0 || !strings.Contains(out, "httpstatus") || !strings.Contains(out, " 503") {
			t.Errorf("completion %s: exit %d, %d bytes", shell, code, len(out))
		}
	}
}
