#!/usr/bin/env bash
# Runs govulncheck against a Go vulnerability database built locally, for
# machines that reach the Go module proxy but not vuln.go.dev.
#
# The golang.org/x/vulndb module ships every report as an OSV file
# (data/osv/GO-*.json). This script fetches the newest version of that
# module from the proxy, indexes it into the layout govulncheck reads
# (golang.org/x/vulndb/cmd/indexdb), caches it by version, and runs
# govulncheck -db file://... on the module.
#
# Exit status:
#   0  no known vulnerability reached; or only standard-library ones
#      (fixed in a newer Go than the one installed, which the project
#      cannot change here: upgrade Go), reported as a WARNING; or the
#      module proxy could not be reached, reported as SKIPPED.
#   1  a vulnerability in a required module is reached (fix: upgrade it in
#      go.mod), or standard-library ones with VULNCHECK_STRICT=1, or the
#      check itself failed.
set -uo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
cache=${VULNCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/httpstatus-vulncheck}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

skip() {
	echo "vulncheck: SKIPPED: $1"
	echo "vulncheck: the Go vulnerability database could not be fetched, so nothing was checked."
	exit 0
}

# Outside the module, so that nothing here touches go.mod or go.sum.
ver=$(cd "$work" && GOFLAGS=-mod=mod "$GO" list -m -f '{{.Version}}' golang.org/x/vulndb@latest 2>"$work/err") ||
	skip "golang.org/x/vulndb@latest: $(tail -1 "$work/err")"
src=$(cd "$work" && "$GO" mod download -json "golang.org/x/vulndb@$ver" 2>"$work/err" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -n "$src" ] && [ -d "$src/data/osv" ] || skip "golang.org/x/vulndb@$ver: $(tail -1 "$work/err")"

db="$cache/db-$ver"
if [ ! -f "$db/index/modules.json" ]; then
	echo "vulncheck: indexing golang.org/x/vulndb@$ver ($(ls "$src/data/osv" | wc -l) reports)"
	rm -rf "$db.tmp"
	mkdir -p "$cache"
	(cd "$work" && "$GO" run "golang.org/x/vulndb/cmd/indexdb@$ver" -vulns "$src/data/osv" -out "$db.tmp") || {
		echo "vulncheck: FAILED to index the database" >&2
		exit 1
	}
	mv "$db.tmp" "$db"
	# Keep only this version.
	find "$cache" -maxdepth 1 -name 'db-*' ! -name "db-$ver" -exec rm -rf {} +
fi

# Installed, not "go run", so that its exit status (3: vulnerabilities
# found) comes through.
GOBIN="$cache/bin" "$GO" install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" || {
	echo "vulncheck: FAILED to build govulncheck" >&2
	exit 1
}
echo "vulncheck: govulncheck $GOVULNCHECK_VERSION, database golang.org/x/vulndb@$ver, $("$GO" env GOVERSION)"
"$cache/bin/govulncheck" -db "file://$db" ./... >"$work/out" 2>&1
rc=$?
# The full report, with call traces, is long: show each finding's lines
# and the summary, and keep the whole report.
cp "$work/out" "$cache/report.txt"
grep -E '^(Vulnerability #|    [A-Z]|  More info|  Standard library|  Module: |    (Found|Fixed) in|Your code|No vulnerabilities)' "$work/out" |
	grep -v '^    Example traces found:$' || cat "$work/out"
echo "vulncheck: full report: $cache/report.txt"
case $rc in
0) exit 0 ;;
3) ;;
*)
	echo "vulncheck: FAILED: govulncheck exited $rc" >&2
	exit 1
	;;
esac

modules=$(grep -c '^  Module: ' "$work/out")
stdlib=$(grep -c '^  Standard library$' "$work/out")
if [ "$modules" -gt 0 ]; then
	echo "vulncheck: FAILED: $modules vulnerabilities in required modules are reached; upgrade them in go.mod" >&2
	exit 1
fi
fixed=$(sed -n 's/^ *Fixed in: [^@]*@\(go[0-9.]*\)$/\1/p' "$work/out" | sort -uV | tail -1)
echo "vulncheck: WARNING: $stdlib vulnerabilities of the Go standard library in $("$GO" env GOVERSION) are reached;"
echo "vulncheck: WARNING: build and run httpstatus with ${fixed:-a newer Go} or later (upgrade Go; no module update fixes these)."
if [ "${VULNCHECK_STRICT:-0}" = 1 ]; then
	exit 1
fi
exit 0
