# make release: static binaries for linux/amd64 and linux/arm64 in dist/,
# with SHA256SUMS (scripts/release.sh; VERSION=v1.2.3 make release).
.PHONY: release build
release:
	scripts/release.sh
# make build: ./offshore for this machine, static as the release's.
build:
	CGO_ENABLED=0 go build -trimpath -o offshore ./cmd/offshore
