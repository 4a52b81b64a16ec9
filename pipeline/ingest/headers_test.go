package ingest

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// headerVariant is one line of testdata/ingest/headers: a wording a clerk
// might give a column ("none" for a header that is no column of a return),
// written without looking at the matcher, and the half it belongs to.
type headerVariant struct{ column, lang, wording, half string }

func readVariants(t *testing.T, path string) []headerVariant {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []headerVariant
	sc := bufio.NewScanner(f)
	sc.Scan() // the header line
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 4 {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		out = append(out, headerVariant{p[0], p[1], strings.ReplaceAll(p[2], `\n`, "\n"), p[3]})
	}
	return out
}

// TestHeaderVariants reads the independent set of header wordings: the
// matcher was tuned on the dev half only; both halves must be read right,
// and no header that is not a column of a return may be read as one.
// OFFSHORE_HEADERS_VERBOSE=1 lists the dev half's misses.
func TestHeaderVariants(t *testing.T) {
	x := matcher(t)
	dir := "../../testdata/ingest/headers/"
	all := append(readVariants(t, dir+"variants.tsv"), readVariants(t, dir+"negatives.tsv")...)
	type tally struct{ n, right, falsePos, neg int }
	halves := map[string]*tally{"dev": {}, "heldout": {}}
	for _, v := range all {
		h := halves[v.half]
		got := x.Header(v.wording).Column
		if v.column == "none" {
			h.neg++
			if got != "" {
				h.falsePos++
				if v.half == "dev" && os.Getenv("OFFSHORE_HEADERS_VERBOSE") != "" {
					t.Logf("dev negative read as %s: %q", got, v.wording)
				}
			}
			continue
		}
		h.n++
		if got == v.column {
			h.right++
		} else if v.half == "dev" && os.Getenv("OFFSHORE_HEADERS_VERBOSE") != "" {
			t.Logf("dev miss %s: %q → %q (%+v)", v.column, v.wording, got, x.reading(v.wording).scores)
		}
	}
	for _, name := range []string{"dev", "heldout"} {
		h := halves[name]
		acc := float64(h.right) / float64(h.n)
		t.Logf("%s: %d/%d wordings read right (%.1f %%), %d/%d negatives read as a column", name, h.right, h.n, 100*acc, h.falsePos, h.neg)
		if acc < 0.9 {
			t.Errorf("%s half: %.1f %% of wordings read right, want at least 90 %%", name, 100*acc)
		}
		if float64(h.falsePos) > 0.1*float64(h.neg) {
			t.Errorf("%s half: %d of %d negatives read as a column, want at most 10 %%", name, h.falsePos, h.neg)
		}
	}
}
