package ingest

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// The fuzz targets' seed corpora are committed under testdata/fuzz; `go
// test` runs them, `go test -fuzz=FuzzX` explores further.

func FuzzReadNumber(f *testing.F) {
	for _, s := range []string{"1 234,5", "1e3", "-0", "1,2,3", "1,234,567.50", "1.234.567,50", "12,5 %", "(1 200)", "1\u202f234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := readNumber(s)
		if !ok {
			return
		}
		if math.IsNaN(n.v) || math.IsInf(n.v, 0) || n.hasAlt && (math.IsNaN(n.alt) || math.IsInf(n.alt, 0)) {
			t.Fatalf("%q gave %+v", s, n)
		}
		// A number Go writes reads back as itself.
		back, ok := readNumber(fmtNum(n.v))
		if !ok || back.v != n.v {
			t.Fatalf("%q → %v → %v, %v", s, n.v, back.v, ok)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2016Q1", "T1 2016", "2016-T1", "1er trimestre 2016", "Q1 2016", "2016/1", "31/03/2016", "mars 2016", "42460", "2016.4"} {
		f.Add(s, false)
	}
	x := matcher(f)
	f.Fuzz(func(t *testing.T, s string, d1904 bool) {
		p, ok := x.parsePeriod(s, d1904)
		if !ok {
			return
		}
		if p.Year() < 1900 || p.Year() > 2200 || p.Quarter() < 1 || p.Quarter() > 4 {
			t.Fatalf("%q → %v", s, p)
		}
		if back, ok := x.parsePeriod(p.String(), d1904); !ok || back != p {
			t.Fatalf("%q → %v → %v", s, p, back)
		}
	})
}

func FuzzParseICE(f *testing.F) {
	for _, s := range []string{"001234567000089", "1234567000089", "001 234 567 000 089", "1.234567000089E+12", "12A", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := parseICE(s)
		if !ok {
			return
		}
		if len(id) != 15 || strings.Trim(id, "0123456789") != "" {
			t.Fatalf("%q → %q", s, id)
		}
		if back, ok := parseICE(id); !ok || back != id {
			t.Fatalf("%q → %q → %q", s, id, back)
		}
	})
}

func FuzzSectorRegion(f *testing.F) {
	for _, s := range []string{"CRM", "Relation client", "Centres d'appels", "Casa", "Fès", "Ingénierie", "CRM / BPO", "Tanger (zone franche)"} {
		f.Add(s)
	}
	x := matcher(f)
	f.Fuzz(func(t *testing.T, s string) {
		if c, ok := x.Sector(s); ok {
			if back, ok := x.Sector(c); !ok || back != c {
				t.Fatalf("sector %q → %q → %q", s, c, back)
			}
		}
		if r, ok := x.Region(s); ok {
			if back, ok := x.Region(r); !ok || back != r {
				t.Fatalf("region %q → %q → %q", s, r, back)
			}
		}
		x.Header(s)
		x.IsTotal(s)
		x.UnitIn(s)
	})
}

// FuzzReadWorkbook feeds arbitrary bytes (seeded with corpus workbooks and
// hostile files) to Read: it must never panic nor hang, and a result is
// either rejected, with no rows, or accepted with rows.
func FuzzReadWorkbook(f *testing.F) {
	for _, name := range []string{"corpus/py-template.xlsx", "corpus/lo-two-row-header.xlsx", "corpus/js-formulas.xlsx", "hostile/sheet-xml-cut.xlsx"} {
		if b, err := os.ReadFile(filepath.Join("../../testdata/ingest", name)); err == nil {
			f.Add(b)
		}
	}
	x := matcher(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		o := corpusOptions()
		o.Timeout = 5 * time.Second
		o.MaxUnzipBytes, o.MaxXMLBytes = 8<<20, 4<<20 // instrumented inflating is slow
		res := Read("f.xlsx", "0", data, time.Time{}, x, o)
		if res.Rejected() && len(res.Returns) > 0 {
			t.Fatalf("rejected file with rows")
		}
		if !res.Rejected() && len(res.Returns) == 0 {
			t.Fatalf("accepted file without rows: %v", res.Problems)
		}
		for _, r := range res.Returns {
			if len(r.OperatorID) != 15 || r.Period < domain.NewPeriod(2010, 1) {
				t.Fatalf("bad row %+v", r)
			}
		}
	})
}
