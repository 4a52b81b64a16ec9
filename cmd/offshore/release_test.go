package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReleaseBinaryIsStatic builds a release binary with
// scripts/release.sh (linux/amd64 only, to save time) and checks that it
// is static (CGO_ENABLED=0: a cgo build died at start-up under a 1 GiB
// address-space limit), stamped with its version, and listed in
// SHA256SUMS with its checksum.
func TestReleaseBinaryIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release binary: not in -short")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "../../scripts/release.sh")
	cmd.Env = append(os.Environ(), "VERSION=v0.0.0-releasetest", "COMMIT=abc123", "BUILD_DATE=2026-01-02T03:04:05Z", "OUT="+out, "PLATFORMS=linux/amd64")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, b)
	}
	bin := filepath.Join(out, "offshore_v0.0.0-releasetest_linux_amd64")
	meta, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, meta)
	}
	if !strings.Contains(string(meta), "CGO_ENABLED=0") {
		t.Errorf("not a static build:\n%s", meta)
	}
	if f, err := exec.Command("file", bin).Output(); err == nil && !strings.Contains(string(f), "statically linked") {
		t.Errorf("file: %s", f)
	}
	v, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"offshore v0.0.0-releasetest", "commit:      abc123", "built:       2026-01-02T03:04:05Z", "CGO_ENABLED: 0"} {
		if !strings.Contains(string(v), want) {
			t.Errorf("--version lacks %q:\n%s", want, v)
		}
	}
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(bin)
	h := sha256.Sum256(b)
	if want := hex.EncodeToString(h[:]) + "  offshore_v0.0.0-releasetest_linux_amd64\n"; string(sums) != want {
		t.Errorf("SHA256SUMS:\n%s\nwant:\n%s", sums, want)
	}
}
