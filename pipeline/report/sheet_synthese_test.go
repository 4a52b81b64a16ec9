package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

func TestMinistryAssessmentNumbers(t *testing.T) {
	results := fixtureResults()
	results[0].Assessments[0].RecentGrowth = ptr(0.109)
	f, _ := build(t, results, fixtureSet(), fixtureOptions("fr"))
	const sum = "Synthèse"
	for _, res := range results {
		for _, a := range res.Assessments {
			t.Run(a.TargetID, func(t *testing.T) {
				row := findRow(t, f, sum, a.Label)
				div := 1.0
				if a.Metric != domain.MetricJobs {
					div = 1e6 // millions of dirhams (MDH)
				}
				baseline := a.Baseline / div
				if a.Kind == domain.KindCumulative {
					baseline = math.NaN() // no baseline: empty, not 0
				}
				for _, c := range []struct {
					col  int
					want float64
				}{
					{colBaseline, baseline},
					{colLatest, a.Latest / div},
					{colTarget, a.Target / div},
					{colProjected, a.Projected / div},
					{colLo80, a.Lo80 / div},
					{colHi80, a.Hi80 / div},
					{colPMeet, a.PMeet},
				} {
					wantNumber(t, f, sum, ref(t, c.col, row), c.want)
				}
				for col, g := range map[int]*float64{colRequiredGrowth: a.RequiredGrowth, colObservedGrowth: a.ObservedGrowth, colRecentGrowth: a.RecentGrowth} {
					want := math.NaN()
					if g != nil {
						want = *g
					}
					wantNumber(t, f, sum, ref(t, col, row), want)
				}
			})
		}
	}
}

func TestMinistryFormats(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			results := fixtureResults()
			f, _ := build(t, results, fixtureSet(), fixtureOptions(lang))
			sum := f.GetSheetName(0)
			nf := frFormats
			if lang == "en" {
				nf = enFormats
			}
			format := func(cell string) *excelize.Style {
				t.Helper()
				id, err := f.GetCellStyle(sum, cell)
				if err != nil {
					t.Fatal(err)
				}
				s, err := f.GetStyle(id)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			custom := func(s *excelize.Style) string {
				if s.CustomNumFmt == nil {
					return fmt.Sprintf("built-in %d", s.NumFmt)
				}
				return *s.CustomNumFmt
			}

			fills := map[forecast.Status]string{}
			for _, res := range results {
				for _, a := range res.Assessments {
					row := findRow(t, f, sum, a.Label)
					s := format(ref(t, colStatus, row))
					if len(s.Fill.Color) != 1 || s.Fill.Pattern != 1 {
						t.Fatalf("%s: status fill = %+v, want one solid colour", a.TargetID, s.Fill)
					}
					fills[a.Status] = strings.ToUpper(s.Fill.Color[0])
					if got := custom(format(ref(t, colTarget, row))); got != nf.integer {
						t.Errorf("%s: target number format %q, want %q", a.TargetID, got, nf.integer)
					}
					if got := custom(format(ref(t, colPMeet, row))); got != nf.probability {
						t.Errorf("%s: probability number format %q, want %q", a.TargetID, got, nf.probability)
					}
					if got := custom(format(ref(t, colRecentGrowth, row))); got != nf.growth {
						t.Errorf("%s: growth number format %q, want %q", a.TargetID, got, nf.growth)
					}
				}
			}
			want := map[string]string{"met": "63BE7B", "on_track": "C6EFCE", "at_risk": "FFC000", "off_track": "FF7C80", "unknown": "D9D9D9"}
			if fmt.Sprint(fills) != fmt.Sprint(want) {
				t.Errorf("status fills = %v, want %v", fills, want)
			}
			seen := map[string]forecast.Status{}
			for st, c := range fills {
				if other, dup := seen[c]; dup {
					t.Errorf("statuses %s and %s share fill %s", st, other, c)
				}
				seen[c] = st
			}
			if w, _ := f.GetColWidth(sum, "A"); w < 18 {
				t.Errorf("column A width = %v, want the labels to fit", w)
			}
			// The generation date is a real date: the wall clock of GeneratedAt.
			v, numeric := raw(t, f, sum, ref(t, colUnit, rowGeneratedAt))
			serial, _ := strconv.ParseFloat(v, 64)
			wantSerial := 44058 + 2.5/24.0 // 2020-08-15 02:30
			if !numeric || math.Abs(serial-wantSerial) > 1e-9 {
				t.Errorf("generation date = %q, want the serial %v", v, wantSerial)
			}
			if got := custom(format(ref(t, colUnit, rowGeneratedAt))); got != nf.date {
				t.Errorf("generation date format %q, want %q", got, nf.date)
			}
			wantText(t, f, sum, ref(t, colLatest, rowGeneratedAt), "UTC+01:00")
		})
	}
}

// TestProbabilityFormat: the probability cells keep their value and print
// "< 1 %" and "> 99 %" at the ends, as the sentences do; the conditions of
// the format are those of the sentences.
func TestProbabilityFormat(t *testing.T) {
	for _, tt := range []struct {
		p    float64
		want string
	}{{0.003, "< 1 %"}, {0.25, "25 %"}, {0.9971, "> 99 %"}} {
		a := fixtureResults()[0].Assessments[0]
		a.PMeet = tt.p
		got := Sentences([]*assess.Result{{TargetSet: "s", Assessments: []assess.Assessment{a}}}, Options{})
		if !strings.HasSuffix(got[0], "probabilité d'atteinte "+tt.want+".") {
			t.Errorf("p %v: sentence %q, want it to end with %q", tt.p, got[0], tt.want)
		}
		if !strings.Contains(frFormats.probability, `"< 1 %"`) || !strings.Contains(frFormats.probability, `[<0.005]`) || !strings.Contains(frFormats.probability, `[>0.995]`) {
			t.Errorf("probability format %q", frFormats.probability)
		}
	}
}

// TestClosedTargetIsJudged: a target whose horizon is past reads
// "Atteinte"/"Non atteinte" with its actual, and no projection, interval,
// probability nor growth; its sentence says the actual and the target.
func TestClosedTargetIsJudged(t *testing.T) {
	results := fixtureResults()
	a := &results[0].Assessments[0]
	actual, gap := 120000.0, 120000.0-a.Target
	a.Closed, a.Actual, a.Gap, a.Status, a.Latest, a.LatestPeriod, a.Model = true, &actual, &gap, assess.StatusNotAchieved, actual, domain.NewPeriod(2020, 4), ""
	a.Path = nil
	f, _ := build(t, results, fixtureSet(), fixtureOptions("fr"))
	row := findRow(t, f, "Synthèse", a.Label)
	wantText(t, f, "Synthèse", ref(t, colStatus, row), "Non atteinte")
	wantNumber(t, f, "Synthèse", ref(t, colLatest, row), actual)
	for _, col := range []int{colProjected, colLo80, colHi80, colPMeet, colRequiredGrowth, colObservedGrowth, colRecentGrowth} {
		wantText(t, f, "Synthèse", ref(t, col, row), "")
	}
	if cells, _ := f.SearchSheet("Synthèse", "^Non atteinte$", true); len(cells) != 2 {
		t.Errorf("Non atteinte in %v: want the target's status and the legend", cells)
	}
	if findText(t, f, "Synthèse", "Fin 2020, l'emploi direct a atteint 120\u202f000 postes, pour une cible de 123\u202f000 : cible non atteinte.") == "" {
		t.Error("no sentence for the closed target")
	}
}
