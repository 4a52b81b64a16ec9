package seriesfile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCorpus runs every file of testdata/corpus/tune/manifest.tsv (a corpus
// written from the documentation alone, by someone who never read this
// code) through Read, Forecast and Write, and checks what the manifest
// expects: ok (every series forecast), partial (some series reported by
// name, the others forecast) or reject (an error, nothing forecast), the
// number of series and their frequency, no NaN or infinity written, and for
// a rejected file the row and the value its note names.
func TestCorpus(t *testing.T) {
	for _, half := range []string{"tune", "heldout"} {
		t.Run(half, func(t *testing.T) { corpusHalf(t, filepath.Join("testdata", "corpus", half)) })
	}
}

// corpusHalf runs the files of one half of the corpus as its manifest says.
func corpusHalf(t *testing.T, dir string) {
	m, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	reRow := regexp.MustCompile(`row (\d+)`)
	reFound := regexp.MustCompile(`found '([^']*)'`)
	sc := bufio.NewScanner(m)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 5 {
			continue
		}
		file, expect, nSeries, freq, notes := f[0], f[1], f[2], f[3], f[4]
		n++
		t.Run(file, func(t *testing.T) {
			allowed := map[string]bool{expect: true}
			if _, alt, ok := strings.Cut(notes, "ALT"); ok {
				for _, o := range []string{"ok", "partial", "reject"} {
					allowed[o] = allowed[o] || strings.Contains(alt, o)
				}
			}
			got, msg := corpusOutcome(t, filepath.Join(dir, file), nSeries, freq)
			if !allowed[got] {
				t.Fatalf("%s, want %s (%s): %s", got, expect, notes, msg)
			}
			if strings.Contains(notes, "warn outlier") && !strings.Contains(msg, "outlier") {
				t.Errorf("no outlier warning (%s): %s", notes, msg)
			}
			if got != "reject" || expect != "reject" {
				return
			}
			if r := reRow.FindStringSubmatch(notes); r != nil && !strings.Contains(msg, "row "+r[1]) {
				t.Errorf("the error does not name row %s (%s):\n%s", r[1], notes, msg)
			}
			if v := reFound.FindStringSubmatch(notes); v != nil && !strings.Contains(msg, strconv.Quote(v[1])) {
				t.Errorf("the error does not quote %q (%s):\n%s", v[1], notes, msg)
			}
		})
	}
	if n < 30 {
		t.Errorf("%d files in the manifest", n)
	}
}

var reNaN = regexp.MustCompile(`(?i)\b(nan|[+-]?inf(inity)?)\b`)

// corpusOutcome reads, forecasts and writes one corpus file, checks the
// series it reads against nSeries and freq, and returns ok, partial or
// reject, and what the tool said.
func corpusOutcome(t *testing.T, path, nSeries, freq string) (string, string) {
	file, err := ReadFile(path)
	if err != nil {
		return "reject", err.Error()
	}
	if want, _ := strconv.Atoi(nSeries); nSeries != "" && len(file.Series) != want {
		t.Errorf("%d series, want %s", len(file.Series), nSeries)
	}
	freqs := map[int]bool{}
	for _, s := range file.Series {
		freqs[s.Freq] = true
	}
	want := map[string]int{"yearly": 1, "quarterly": 4, "monthly": 12}[freq]
	if (freq == "mixed" && len(freqs) < 2) || (want != 0 && (len(freqs) != 1 || !freqs[want])) {
		t.Errorf("frequencies %v, want %s", freqs, freq)
	}
	res, err := Forecast(context.Background(), file.Series, Options{Horizon: 4}, nil)
	var msgs []string
	done := 0
	for _, r := range res {
		if r.Err != nil {
			msgs = append(msgs, r.Series.ID+": "+r.Err.Error())
		} else {
			done++
		}
		for _, w := range r.Warnings {
			msgs = append(msgs, r.Series.ID+": "+w)
		}
	}
	var b bytes.Buffer
	for _, f := range []Format{CSV, JSON} {
		if werr := Write(&b, f, file.Style, res); werr != nil {
			t.Fatal(werr)
		}
	}
	if reNaN.Match(b.Bytes()) {
		t.Errorf("NaN or Inf written:\n%s", b.String())
	}
	if err != nil {
		msgs = append(msgs, err.Error())
	}
	msg := strings.Join(msgs, "\n")
	switch {
	case done == 0 || (err != nil && !errors.Is(err, ErrNonFinite)):
		return "reject", msg
	case done < len(res) || err != nil:
		return "partial", msg
	}
	return "ok", msg
}
