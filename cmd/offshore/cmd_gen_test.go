package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gen --scale makes the benchmark workloads, small here, and refuses
// nonsense with exit 2.
func TestGenScale(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "gen", "--scale", "series", "--series", "25", "--out", dir); code != exitOK {
		t.Fatalf("gen --scale series: %d %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		ids[strings.SplitN(line, ",", 2)[0]] = true
	}
	if len(ids) != 25 {
		t.Errorf("series.csv has %d series, want 25", len(ids))
	}
	nat := t.TempDir()
	if code, _, stderr := offshore(t, "gen", "--scale", "national", "--operators", "3", "--from", "2020Q1", "--to", "2020Q4", "--federation-rows", "50", "--out", nat); code != exitOK {
		t.Fatalf("gen --scale national: %d %s", code, stderr)
	}
	returns, _ := filepath.Glob(filepath.Join(nat, "returns", "*.xlsx"))
	if len(returns) != 12 {
		t.Errorf("%d returns, want 3 operators × 4 quarters", len(returns))
	}
	if code, _, stderr := offshore(t, "validate", filepath.Join(nat, "federation.xlsx")); code != exitOK {
		t.Errorf("validate federation.xlsx: %d %s", code, stderr)
	}
	for _, args := range [][]string{{"--scale", "regional"}, {"--scale", "series", "--series", "0"}, {"--scale", "national", "--federation-rows", "-1"}} {
		if code, _, _ := offshore(t, append([]string{"gen", "--out", t.TempDir()}, args...)...); code != exitUsage {
			t.Errorf("gen %v: exit %d, want 2", args, code)
		}
	}
}
