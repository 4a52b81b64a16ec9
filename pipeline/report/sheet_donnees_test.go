package report

import (
	"testing"

	"github.com/offshore-ma/offshore/domain"
)

func TestMinistryDataSheet(t *testing.T) {
	s := fixtureSet()
	f, _ := build(t, fixtureResults(), s, fixtureOptions("en"))
	const data = "Data"
	wantText(t, f, data, "A1", en.dataTitle)
	wantText(t, f, data, "A2", "Quarter")
	wantText(t, f, data, "B2", "All sectors — Jobs (persons)")
	wantText(t, f, data, "C2", "All sectors — Exports (m MAD)")
	wantText(t, f, data, "E2", "CRM — Jobs (persons)")
	rows, err := f.GetRows(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := int(s.Last-s.First) + dataFirstRow; len(rows) != want {
		t.Fatalf("data sheet has %d rows, want %d (title, header, one per period)", len(rows), want)
	}
	for p := s.First; p <= s.Last; p++ {
		row := dataRow(p, s.First)
		wantText(t, f, data, ref(t, 1, row), en.periodName(p))
		for j, x := range s.Series {
			want := x.At(p) // persons
			if x.Metric != domain.MetricJobs {
				want /= 1e6 // millions of dirhams, unrounded
			}
			wantNumber(t, f, data, ref(t, j+2, row), want)
		}
	}
	gap := dataRow(gapPeriod, s.First)
	if v, _ := raw(t, f, data, ref(t, 2, gap)); v != "" {
		t.Errorf("NaN in %s gives %q, want an empty cell", gapPeriod, v)
	}
}
