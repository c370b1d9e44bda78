#!/usr/bin/env bash
# Builds the release files into DIR (default dist/), from the checked-out
# commit:
#   httpstatus-OS-ARCH[.exe]      static binaries (CGO_ENABLED=0, -trimpath)
#                                 for linux, darwin and windows on amd64 and
#                                 arm64
#   httpstatus-OS-ARCH.cdx.json   the CycloneDX SBOM of each binary, made by
#                                 cyclonedx-gomod, the tool pinned in go.mod
#   SHA256SUMS                    their checksums: cd DIR && sha256sum -c SHA256SUMS
#
# "httpstatus version" of these binaries prints the version (the nearest git
# tag, "git describe --tags --dirty", when there is one; otherwise Go's
# pseudo-version of the commit, v0.0.0-TIME-HASH, with +dirty for
# uncommitted changes), the commit and its time. The script stamps them
# with -ldflags -X rather than letting Go record the VCS: Go records nothing
# in a linked git worktree, and this machine's GOFLAGS has -buildvcs=false.
# A DIR that holds anything but an earlier build is refused.
#
#   scripts/dist.sh [DIR]        (make dist)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-dist}
GO=${GO:-go}
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
targets="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"

if [ -d "$out" ]; then
  for f in "$out"/* "$out"/.[!.]*; do
    [ -e "$f" ] || continue
    case $(basename "$f") in
      httpstatus-* | SHA256SUMS) ;;
      *) echo "dist: $out holds $(basename "$f"), which is not from an earlier build: choose another directory" >&2; exit 1 ;;
    esac
  done
  rm -f "$out"/httpstatus-* "$out"/SHA256SUMS
fi
mkdir -p "$out"

version="" ldflags="-s -w"
if commit=$(git rev-parse --verify HEAD 2>/dev/null); then
  time=$(TZ=UTC git show -s --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ HEAD)
  modified=false
  [ -z "$(git status --porcelain)" ] || modified=true
  if ! version=$(git describe --tags --dirty 2>/dev/null); then
    version=v0.0.0-$(TZ=UTC git show -s --format=%cd --date=format-local:%Y%m%d%H%M%S HEAD)-${commit:0:12}
    [ "$modified" = false ] || version=$version+dirty
  fi
  ldflags="$ldflags -X main.version=$version -X main.commit=$commit -X main.commitTime=$time -X main.modified=$modified"
fi
echo "dist: version ${version:-(devel): not a git checkout}, into $out"

for t in $targets; do
  os=${t%/*} arch=${t#*/}
  ext=""
  [ "$os" = windows ] && ext=.exe
  name=httpstatus-$os-$arch
  echo "dist: $name$ext"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$GO" build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/$name$ext" ./cmd/httpstatus
  # The SBOM of that binary, from the modules Go recorded in it.
  "$GO" tool cyclonedx-gomod bin -json -std -noserial -notimestamp ${version:+-version "$version"} \
    -output "$out/$name.cdx.json" "$out/$name$ext"
done

(cd "$out" && sha256sum httpstatus-* >SHA256SUMS)
echo "dist: $(ls "$out" | wc -l) files in $out"
