//go:build integration

package main

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// shellOut runs a shell command line and returns its output lines.
func shellOut(t *testing.T, name string, args ...string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	var lines []string
	for l := range strings.Lines(string(out)) {
		lines = append(lines, strings.TrimRight(l, "\n"))
	}
	return lines
}

// TestCompletionFishIntegration asks fish itself ("complete -C") what it
// completes with the script loaded (fish from scripts/deps.sh).
func TestCompletionFishIntegration(t *testing.T) {
	script := completionScript(t, "fish")
	shellOut(t, "fish", "--no-execute", script)
	tests := []struct {
		line string
		want []string
	}{
		{"httpstatus show 50", []string{"503\tService Unavailable", "504\tGateway Timeout"}},
		{"httpstatus 49", []string{"499\tClient Closed Request"}},
		{"httpstatus list 5", []string{"5xx"}},
		{"httpstatus serve --a", []string{"--addr"}},
		{"httpstatus ann", []string{"annotate\tcount and explain the status codes of access logs"}},
		{"httpstatus completion ", []string{"bash", "fish", "zsh"}},
	}
	for _, tt := range tests {
		got := shellOut(t, "fish", "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tt.line)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("fish: complete -C %q = %q, want %q among them", tt.line, got, w)
			}
		}
	}
}

// TestCompletionZshIntegration loads the script into zsh's completion
// system (zsh from scripts/deps.sh), then calls its function with the
// words of a command line and compadd, _describe and _files replaced by
// functions that print what they are given: what the script offers, not
// how zsh filters it.
func TestCompletionZshIntegration(t *testing.T) {
	script := completionScript(t, "zsh")
	shellOut(t, "zsh", "-n", script)
	// Loaded after compinit, the script registers its function.
	shellOut(t, "zsh", "-f", "-c", `autoload -U compinit && compinit -u -D && source $1 && [[ ${_comps[httpstatus]} == _httpstatus ]]`, "zsh", script)
	// compinit takes seconds: the cases below stand in for its compdef.
	const driver = `
compdef() { : }
source $1 || exit 1
compadd() { if [[ $1 == -a ]]; then shift; for a; do print -l -- ${(P)a}; done; else print -l -- "$@"; fi }
_describe() { print -l -- ${${(P)4}%%:*} }
_files() { print -- "_files $*" }
shift
words=("$@")
CURRENT=$#
_httpstatus
`
	tests := []struct {
		words []string
		want  []string
	}{
		{[]string{"httpstatus", ""}, []string{"show", "annotate", "completion", "503"}},
		{[]string{"httpstatus", "show", "50"}, []string{"503", "418"}},
		{[]string{"httpstatus", "show", "--json", "5"}, []string{"503"}},
		{[]string{"httpstatus", "list", ""}, []string{"1xx", "5xx"}},
		{[]string{"httpstatus", "serve", "--a"}, []string{"--addr", "--max-sleep"}},
		{[]string{"httpstatus", "serve", "--content", ""}, []string{"_files "}},
		{[]string{"httpstatus", "export", ""}, []string{"_files -/"}},
		{[]string{"httpstatus", "completion", ""}, []string{"bash", "zsh", "fish"}},
	}
	for _, tt := range tests {
		got := shellOut(t, "zsh", append([]string{"-f", "-c", driver, "zsh", script}, tt.words...)...)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("zsh: %q offers %q, want %q among them", tt.words, got, w)
			}
		}
	}
}
