package report

import (
	"math"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

func TestSentences(t *testing.T) {
	jobs := assess.Assessment{TargetID: "jobs-2020", Label: "Emplois directs fin 2020", Sector: domain.National, Metric: domain.MetricJobs,
		Kind: domain.KindIncrease, Horizon: "2020", Latest: 110000, LatestPeriod: domain.NewPeriod(2018, 4), Target: 123000,
		Projected: 118321, Lo80: 107688, Hi80: 128912, PMeet: 0.2512, Status: forecast.StatusAtRisk}
	exports := assess.Assessment{TargetID: "exports-2020", Label: "Chiffre d'affaires à l'export 2020", Sector: "CRM", Metric: domain.MetricExports,
		Kind: domain.KindLevel, Horizon: "2020", Target: 26e9, Projected: 27.46e9, Lo80: 25.1e9, Hi80: 29.9e9, PMeet: 0.9971, Status: forecast.StatusOnTrack}
	low := jobs
	low.PMeet = 0.003
	closed := jobs
	closed.Closed, closed.Status, closed.Latest, closed.Horizon = true, assess.StatusNotAchieved, 121449, "2018"
	unknown := jobs
	unknown.Status, unknown.Projected, unknown.PMeet = forecast.StatusUnknown, math.NaN(), math.NaN()
	for _, tt := range []struct {
		name, lang string
		a          assess.Assessment
		want       string
	}{
		{"projection", "fr", jobs, "Au rythme actuel, l'emploi direct atteindrait 118\u202f300 postes fin 2020 (entre 107\u202f700 et 128\u202f900 dans 8 cas sur 10), en deçà de la cible de 123\u202f000 : probabilité d'atteinte 25 %."},
		{"projection en", "en", jobs, "At the current pace, direct employment would reach 118,300 jobs by the end of 2020 (between 107,700 and 128,900 in 8 cases out of 10), below the target of 123,000: probability of meeting it 25%."},
		{"amounts in milliards, a sector, near certainty", "fr", exports, "Au rythme actuel, le chiffre d'affaires à l'export de la filière CRM atteindrait 27,5 Md MAD fin 2020 (entre 25,1 et 29,9 dans 8 cas sur 10), au-delà de la cible de 26,0 : probabilité d'atteinte > 99 %."},
		{"nearly impossible", "fr", low, "probabilité d'atteinte < 1 %."},
		{"closed", "fr", closed, "Fin 2018, l'emploi direct a atteint 121\u202f400 postes, pour une cible de 123\u202f000 : cible non atteinte."},
		{"no projection", "fr", unknown, "Emplois directs fin 2020 : pas de projection possible (trop peu de trimestres observés)."},
		{"secret", "fr", jobs.Masked(), "Emplois directs fin 2020 : chiffres couverts par le secret statistique."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences([]*assess.Result{{TargetSet: "s", Assessments: []assess.Assessment{tt.a}}}, Options{Lang: tt.lang})
			if len(got) != 1 || !strings.HasSuffix(got[0], tt.want) {
				t.Errorf("got %q\nwant …%q", got, tt.want)
			}
		})
	}
}
