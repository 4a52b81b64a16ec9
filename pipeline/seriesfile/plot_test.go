package seriesfile

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"jobs":         "jobs",
		"exports q":    "exports_q",
		"a/b\\c":       "a_b_c",
		"..":           "series",
		".":            "series",
		"Filière CRM":  "Fili_re_CRM",
		"s-1.2_x":      "s-1.2_x",
		"../../etc/pw": ".._.._etc_pw",
	} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlot: one PNG per series forecast, none for a series that was not,
// and a cancelled context stops it.
func TestPlot(t *testing.T) {
	target := 45000.0
	res := forecastTwo(t, &target)
	dir := filepath.Join(t.TempDir(), "plots")
	if err := Plot(context.Background(), dir, res); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "exports_q.png" || names[1] != "jobs.png" {
		t.Errorf("plots %v, want exports_q.png and jobs.png", names)
	}
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG: %v", n, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Plot(ctx, t.TempDir(), res); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}
