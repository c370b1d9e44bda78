package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at build time with -ldflags "-X main.version=v1.2.3 ..."
// (scripts/dist.sh sets them all, the Containerfile the version); one left
// empty falls back to what Go recorded in the binary.
var (
	version    = "" // v1.2.3, or a pseudo-version such as v0.0.0-20261201100000-0123456789ab
	commit     = "" // the commit's full hash
	commitTime = "" // the commit's time, RFC 3339
	modified   = "" // "true" when built from a work tree with uncommitted changes
)

// buildInfo is what "httpstatus version" prints: where the binary comes
// from and what built it.
type buildInfo struct {
	version  string // v1.2.3, a pseudo-version from the commit, or (devel)
	commit   string // the VCS revision, or "" when not recorded
	time     string // the commit's time (RFC 3339), or ""
	modified bool   // built from a work tree with uncommitted changes
	goVer    string
	platform string
}

// readBuildInfo reads the stamped values, or else what Go recorded in the
// binary. Go records the VCS only when built with -buildvcs (its default
// in a repository, unless GOFLAGS turns it off) and not in a linked git
// worktree.
func readBuildInfo() buildInfo {
	b := buildInfo{goVer: runtime.Version(), platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.commit = s.Value
			case "vcs.time":
				b.time = s.Value
			case "vcs.modified":
				b.modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		b.version = version
	}
	if commit != "" {
		b.commit, b.time, b.modified = commit, commitTime, modified == "true"
	}
	if b.version == "" {
		b.version = "(devel)"
	}
	return b
}

// buildVersion is the version alone, as "httpstatus version" prints it
// first and the server's httpstatus_build_info metric labels it.
func buildVersion() string { return readBuildInfo().version }

func runVersion(_ context.Context, args []string, e env) error {
	fs := newFlagSet("version", "", e)
	rest, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("version: unexpected argument %q", rest[0])
	}
	b := readBuildInfo()
	commit := b.commit
	switch {
	case commit == "":
		commit = "unknown (built without VCS information)"
	case b.modified:
		commit += " (modified)"
	}
	fmt.Fprintf(e.stdout, "httpstatus %s\n", b.version)
	fmt.Fprintf(e.stdout, "commit %s\n", commit)
	if b.time != "" {
		fmt.Fprintf(e.stdout, "committed %s\n", b.time)
	}
	fmt.Fprintf(e.stdout, "built with %s for %s\n", b.goVer, b.platform)
	return nil
}
