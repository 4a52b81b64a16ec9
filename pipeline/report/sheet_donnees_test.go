package report

import "testing"

func TestMinistryDataSheet(t *testing.T) {
	s := fixtureSet()
	f, _ := build(t, fixtureResults(), s, fixtureOptions("en"))
	const data = "Data"
	wantText(t, f, data, "A1", "Period")
	wantText(t, f, data, "B1", "All sectors — Jobs (persons)")
	wantText(t, f, data, "C1", "All sectors — Exports (MAD)")
	wantText(t, f, data, "E1", "CRM — Jobs (persons)")
	rows, err := f.GetRows(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := int(s.Last-s.First) + 2; len(rows) != want {
		t.Fatalf("data sheet has %d rows, want %d (header + one per period)", len(rows), want)
	}
	for p := s.First; p <= s.Last; p++ {
		row := int(p-s.First) + 2
		wantText(t, f, data, ref(t, 1, row), p.String())
		for j := range s.Series {
			wantNumber(t, f, data, ref(t, j+2, row), s.Series[j].At(p))
		}
	}
	gap := int(gapPeriod-s.First) + 2
	if v, _ := raw(t, f, data, ref(t, 2, gap)); v != "" {
		t.Errorf("NaN in %s gives %q, want an empty cell", gapPeriod, v)
	}
}
