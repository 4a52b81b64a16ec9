package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestParseInterleaved: flags are read wherever they stand among the
// positional arguments, and "--" ends them (but not as a flag's value).
func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		args []string
		pos  []string
		b    bool
		s    string
		err  string
	}{
		{args: []string{"a", "-b", "c", "--s", "x"}, pos: []string{"a", "c"}, b: true, s: "x"},
		{args: []string{"-s", "x", "a", "b"}, pos: []string{"a", "b"}, s: "x"},
		{args: []string{"a", "--", "-b", "--s", "x"}, pos: []string{"a", "-b", "--s", "x"}},
		{args: []string{"-s", "--", "a", "-b"}, pos: []string{"a"}, b: true, s: "--"},
		{args: []string{"-s=--", "a", "--", "--"}, pos: []string{"a", "--"}, s: "--"},
		{args: []string{"-b", "--", "a"}, pos: []string{"a"}, b: true},
		{args: []string{"a", "-", "-b=false"}, pos: []string{"a", "-"}},
		{args: []string{"--"}, pos: nil},
		{args: nil, pos: nil},
		{args: []string{"a", "-nope"}, err: "not defined: -nope"},
		{args: []string{"a", "-s"}, err: "needs an argument: -s"},
		{args: []string{"a", "-h"}, err: "help requested"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			b := fs.Bool("b", false, "")
			s := fs.String("s", "", "")
			pos, err := parseInterleaved(fs, tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(pos, tt.pos) || *b != tt.b || *s != tt.s {
				t.Errorf("= %q, -b %v, -s %q, %v; want %q, -b %v, -s %q", pos, *b, *s, err, tt.pos, tt.b, tt.s)
			}
		})
	}
}

// TestFlagsAfterArguments runs commands through the entry point main calls,
// with their flags (their own and the global ones) after their arguments:
// `offshore ingest FILE --workdir D` used to take --workdir for a file.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	work, gen := filepath.Join(dir, "work"), filepath.Join(dir, "gen")
	if code, _, stderr := offshore(t, "init", "--dir", work); code != exitOK {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if code, _, stderr := offshore(t, "gen", "--out", gen, "--operators", "3", "--from", "2017Q1", "--to", "2018Q4", "--workdir", work); code != exitOK {
		t.Fatalf("gen: %d %s", code, stderr)
	}
	returns, _ := filepath.Glob(filepath.Join(gen, "*.xlsx"))
	if len(returns) < 24 { // 3 operators × 8 quarters, and the corrections gen adds
		t.Fatalf("%d returns, want 24 or more", len(returns))
	}
	one := returns[0]
	files := strconv.Itoa(len(returns)) + " files: " + strconv.Itoa(len(returns)) + " accepted"
	series := filepath.Join(dir, "series.csv")
	os.WriteFile(series, []byte("series_id,period,value\ns,2014,1\ns,2015,2\ns,2016,4\ns,2017,5\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		file string // written
	}{
		// In order: the first ones fill the warehouse the others read.
		{"ingest FOLDER --workdir --backfill", []string{"ingest", gen, "--workdir", work, "--backfill"}, exitOK, files, ""},
		{"ingest FILE --workdir", []string{"ingest", one, "--workdir", work}, exitOK, "1 already in the warehouse", ""},
		{"ingest FILE --unknown", []string{"ingest", one, "--workdir", work, "--unknown"}, exitUsage, "", ""},
		{"export TABLE --workdir --format csv", []string{"export", "returns", "--workdir", work, "--format", "csv"}, exitOK, "\ufeffoperator_id;operator_name;", ""},
		{"export --format json TABLE --workdir --out", []string{"export", "--format", "json", "series", "--workdir", work, "--out", filepath.Join(dir, "series.json")}, exitOK, "", "series.json"},
		{"forecast --as-of --workdir --format json", []string{"forecast", "--as-of", "2018Q4", "--workdir", work, "--format", "json"}, exitOK, `"as_of": "2018Q4"`, ""},
		{"forecast --input --horizon --workdir", []string{"forecast", "--input", series, "--horizon", "1", "--workdir", work, "--model", "rw-drift"}, exitOK, "s,2018,", ""},
		{"report --as-of --out --workdir", []string{"report", "--as-of", "2018Q4", "--out", filepath.Join(dir, "r.xlsx"), "--workdir", work}, exitOK, "report: ", "r.xlsx"},
		// The file report --help names when --out is not given.
		{"report --workdir --as-of", []string{"report", "--workdir", work, "--as-of", "2018Q4"}, exitOK, "report: " + filepath.Join(work, "outbox", "Synthese_offshoring_2018Q4_"), ""},
		{"validate FILE --workdir --format json", []string{"validate", one, "--workdir", work, "--format", "json"}, exitOK, `"verdict": "accepted"`, ""},
		{"mappings suggest FILE --workdir", []string{"mappings", "suggest", one, "--workdir", work}, exitOK, "nothing to add", ""},
		{"mappings --workdir suggest FILE", []string{"mappings", "--workdir", work, "suggest", one}, exitOK, "nothing to add", ""},
		{"verify --workdir --log-level", []string{"verify", "--workdir", work, "--log-level", "warn"}, exitOK, "all as committed", ""},
		{"ingest -- FLAG-LIKE FILE", []string{"ingest", "--workdir", work, "--", "--backfill"}, exitUsage, "", ""}, // a file named --backfill, missing: exit 2
		// An argument a command does not take is refused, not ignored.
		{"forecast QUARTER", []string{"forecast", "2017Q4", "--workdir", work}, exitUsage, "", ""},
		{"report --workdir STRAY", []string{"report", "--workdir", work, "r.xlsx"}, exitUsage, "", ""},
		{"export TABLE TABLE", []string{"export", "returns", "series", "--workdir", work}, exitUsage, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := offshore(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, stderr)
			}
			if !strings.Contains(out, tt.out) {
				t.Errorf("stdout lacks %q:\n%s", tt.out, out)
			}
			if tt.file != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// TestHelp: help lists every command and exits 0, as does a command's
// --help wherever it stands; the usage text cites no missing document.
func TestHelp(t *testing.T) {
	code, out, _ := offshore(t, "help")
	if code != exitOK {
		t.Errorf("help: exit %d", code)
	}
	for _, c := range commands {
		if !strings.Contains(out, "\n  "+c.name+" ") {
			t.Errorf("help lacks %s", c.name)
		}
	}
	if strings.Contains(out, "DESIGN") {
		t.Errorf("help cites DESIGN.md, which does not exist")
	}
	code, _, stderr := offshore(t, "report", "--as-of", "2018Q4", "--help")
	if code != exitOK || !strings.Contains(stderr, "<report.file_prefix>_<as-of>_<run id>.xlsx") {
		t.Errorf("report --help: exit %d\n%s", code, stderr)
	}
}
