#!/usr/bin/env bash
# Release binaries of offshore: static (CGO_ENABLED=0, no libc needed, no
# start-up failure under a small address-space limit), for linux/amd64 and
# linux/arm64, stamped with the version, commit and build date that
# `offshore --version` prints, with their SHA-256 checksums in SHA256SUMS.
#
#   scripts/release.sh                      # dist/offshore_<version>_linux_{amd64,arm64}
#   VERSION=v1.4.0 scripts/release.sh       # the version to stamp (default: git describe)
#   PLATFORMS=linux/amd64 OUT=/tmp/r scripts/release.sh
#
# Check a binary: `go version -m dist/offshore_*_linux_amd64` shows
# CGO_ENABLED=0; `file` says "statically linked".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
commit=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
date=${BUILD_DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
out=${OUT:-dist}
pkg=github.com/offshore-ma/offshore/pipeline # holds the stamp: workbooks, run records and /metrics carry it too
platforms=${PLATFORMS:-"linux/amd64 linux/arm64"}
mkdir -p "$out"
built=()
for p in $platforms; do
  os=${p%/*} arch=${p#*/}
  name="offshore_${version}_${os}_${arch}"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=false \
    -ldflags "-s -w -X $pkg.releaseVersion=$version -X $pkg.releaseCommit=$commit -X $pkg.releaseDate=$date" \
    -o "$out/$name" ./cmd/offshore
  built+=("$name")
  echo "built $out/$name"
done
(cd "$out" && sha256sum "${built[@]}" > SHA256SUMS && cat SHA256SUMS)
