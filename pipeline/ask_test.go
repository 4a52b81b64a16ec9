package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/table"
)

var (
	askOnce sync.Once
	askCfg  *config.Config
	askErr  error
)

// askWarehouse is a warehouse of 30 operators' returns for 2015Q1–2018Q4,
// built once for the tests of Ask (they only read it).
func askWarehouse(t *testing.T) *config.Config {
	t.Helper()
	askOnce.Do(func() {
		dir, err := tempDir()
		if err != nil {
			askErr = err
			return
		}
		askCfg, askErr = config.Default(dir)
		if askErr != nil {
			return
		}
		askCfg.Settings.Ingest.Backfill = true
		src := filepath.Join(dir, "returns")
		if _, askErr = synth.WriteDir(context.Background(), src, &askCfg.Mappings, synth.Options{Operators: 30, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2018, 4), Seed: 11}); askErr != nil {
			return
		}
		if _, err := IngestFiles(context.Background(), askCfg, []string{src}, nil); err != nil && !errors.Is(err, ErrRejected) {
			askErr = err
		}
	})
	if askErr != nil {
		t.Fatal(askErr)
	}
	return askCfg
}

func TestAsk(t *testing.T) {
	cfg := askWarehouse(t)
	ctx := context.Background()
	target := 40000.0
	for _, tt := range []struct {
		name     string
		q        Question
		official bool
		yearly   bool
		whatIfs  int
		secret   bool // the confidentiality rule hides the answer
	}{
		{"national jobs 2030, official target", Question{}, true, false, 0, false},
		{"BPO jobs 2030 with what-ifs", Question{Sector: "bpo", Horizon: 2030, Target: &target, WhatIfs: []string{"required", "best", "worst", "collecting"}}, false, false, 4, false},
		{"national exports 2020, official, yearly", Question{Metric: domain.MetricExports, Horizon: 2020, WhatIfs: []string{"required"}}, true, true, 1, false},
		{"ITO hires 2025, no target", Question{Sector: "ITO", Metric: domain.MetricHires, Horizon: 2025, WhatIfs: []string{"best"}}, false, true, 1, false},
		{"a region's jobs", Question{Region: "casablanca-settat", Horizon: 2022}, false, false, 0, false},
		// Investment comes from few operators in this warehouse: hidden.
		{"investment 2020: the cumulative official target, secret", Question{Metric: domain.MetricInvestment, Horizon: 2020}, true, true, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Ask(ctx, cfg, tt.q, nil)
			if err != nil {
				t.Fatal(err)
			}
			if a.Official != tt.official || a.Yearly != tt.yearly || len(a.WhatIfs) != tt.whatIfs {
				t.Errorf("official %v yearly %v what-ifs %d; want %v %v %d", a.Official, a.Yearly, len(a.WhatIfs), tt.official, tt.yearly, tt.whatIfs)
			}
			if a.Secret != tt.secret {
				t.Fatalf("secret %v, want %v", a.Secret, tt.secret)
			}
			if a.Secret {
				// A hidden answer publishes no figure at all.
				if a.Latest != nil || len(a.History) != 0 || a.Base.Projected != nil || len(a.Base.Path) != 0 || len(a.WhatIfs) != 0 {
					t.Errorf("a secret answer shows figures: latest %v, %d history points, base %+v, %d what-ifs", a.Latest, len(a.History), a.Base, len(a.WhatIfs))
				}
				return
			}
			if len(a.History) == 0 || len(a.Base.Path) == 0 || a.Base.Projected == nil {
				t.Fatalf("no history or forecast: %+v", a.Base)
			}
			last := a.Base.Path[len(a.Base.Path)-1].Period
			if want := domain.YearEnd(a.Horizon).String(); a.Yearly && last != want[:4] || !a.Yearly && last != want {
				t.Errorf("path ends at %s, want the horizon %d", last, a.Horizon)
			}
			if (a.Target != nil) != (a.Base.PMeet != nil) {
				t.Errorf("target %v, p_meet %v: one without the other", a.Target, a.Base.PMeet)
			}
			for _, o := range a.WhatIfs {
				if o.Reason == "" && (len(o.Path) == 0 || o.Projected == nil) {
					t.Errorf("what-if %s: no path and no reason", o.Name)
				}
				if o.Name == "required" && o.Reason == "" {
					end := *o.Path[len(o.Path)-1].Value
					if d := end/(*a.Target) - 1; d > 0.01 || d < -0.01 {
						t.Errorf("the growth needed reaches %v at the horizon, not the target %v", end, *a.Target)
					}
				}
			}
			for _, format := range []string{"png", "svg"} {
				for _, o := range append([]Outcome{a.Base}, a.WhatIfs...) {
					if o.Reason != "" {
						continue
					}
					var b bytes.Buffer
					if err := WriteAnswerChart(&b, a, o.Name, format, "fr"); err != nil || b.Len() < 1000 {
						t.Errorf("%s chart of %s: %d bytes, %v", format, o.Name, b.Len(), err)
					}
				}
			}
			var b bytes.Buffer
			if err := WriteAnswerTable(&b, a, table.French); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(b.String(), "\ufeffscenario;period;observed;value;") {
				t.Errorf("csv begins %q", b.String()[:min(60, b.Len())])
			}
		})
	}
}

func TestAskRefuses(t *testing.T) {
	cfg := askWarehouse(t)
	for _, tt := range []struct {
		name string
		q    Question
		en   string
		fr   string
	}{
		{"as-of beyond the data", Question{AsOf: "2030Q1"}, "latest quarter with returns, 2018Q4", "dernier trimestre déclaré, T4 2018"},
		{"as-of after the data, within the years", Question{AsOf: "2026Q1"}, "2018Q4", "T4 2018"},
		{"bad as-of", Question{AsOf: "soon"}, "want a quarter such as 2017Q4", "n'est pas un trimestre"},
		{"unknown sector", Question{Sector: "XYZ"}, `sector is "XYZ"`, "filière « XYZ »"},
		{"unknown metric", Question{Metric: "salaries"}, `metric is "salaries"`, "mesure « salaries »"},
		{"horizon beyond 2030", Question{Horizon: 2031}, "horizon is 2031", "horizon 2031"},
		{"horizon observed", Question{Horizon: 2017}, "already observed", "déjà observé"},
		{"unknown region", Question{Region: "Atlantis"}, `region is "Atlantis"`, "région « Atlantis »"},
		{"unknown what-if", Question{WhatIfs: []string{"boom"}}, `what-if "boom"`, "hypothèse « boom »"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Ask(context.Background(), cfg, tt.q, nil)
			en, ok := BadInput(err, "en")
			fr, _ := BadInput(err, "fr")
			if !ok || !strings.Contains(en, tt.en) || !strings.Contains(fr, tt.fr) {
				t.Errorf("err %v (bad input %v)\n en %q\n fr %q\nwant %q and %q", err, ok, en, fr, tt.en, tt.fr)
			}
		})
	}
}

// tempDir is a folder that outlives one test (askWarehouse shares it);
// TestMain removes it.
func tempDir() (string, error) {
	dir, err := os.MkdirTemp("", "offshore-ask-test-")
	askDir = dir
	return dir, err
}

// askDir is the folder of askWarehouse, "" until made.
var askDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if askDir != "" {
		os.RemoveAll(askDir)
	}
	os.Exit(code)
}

// The quarter in collection filled like last year: as of a day when
// 2019Q1's returns were arriving, the collecting what-if forecasts from
// 2019Q1, its missing returns filled.
func TestAskCollecting(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Default(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Ingest.Backfill = true
	ctx := context.Background()
	all := filepath.Join(dir, "all")
	paths, err := synth.WriteDir(ctx, all, &cfg.Mappings, synth.Options{Operators: 30, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2019, 1), Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	keep := paths
	if _, err := IngestFiles(ctx, cfg, keep, nil); err != nil && !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	// On 25 April 2019, 2019Q1's returns were arriving (synth dates them as
	// filed, up to the deadline of 15 May): in collection.
	a, err := Ask(ctx, cfg, Question{AsOf: "2019-04-25", WhatIfs: []string{"collecting"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := a.WhatIfs[0]
	// The oldest quarter in collection (the one after the official as-of)
	// is filled, and the forecast starts after it.
	if o.Reason != "" || o.From != (a.AsOf+1).String() || len(o.Path) == 0 || o.Path[0].Period != (a.AsOf+2).String() || len(a.Notices) == 0 || o.PMeet == nil {
		t.Errorf("as of %s, notices %v, collecting what-if %+v", a.AsOf, a.Notices, o)
	}
}
