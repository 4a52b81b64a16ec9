package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/ingest"
)

// workbookText is every text a reader of the workbook sees: the cells'
// values as shown, the sheets' names, the charts' titles and the headers
// and footers, one string each.
func workbookText(t *testing.T, b []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for _, sh := range f.GetSheetList() {
		out = append(out, sh)
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, r...)
		}
		hf, err := f.GetHeaderFooter(sh)
		if err == nil && hf != nil {
			out = append(out, regexp.MustCompile(`&[A-Z0-9]+`).ReplaceAllString(hf.OddHeader+" "+hf.OddFooter, " "))
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/") {
			continue
		}
		rc, _ := zf.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		for _, m := range regexp.MustCompile(`<a:t>([^<]*)</a:t>`).FindAllStringSubmatch(string(x), -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// vocabulary is the words of l and of its verdict sentences, lowercased,
// of four letters or more.
func vocabulary(l labels) map[string]bool {
	words := map[string]bool{}
	lang := "fr"
	if l.docLanguage == "en" {
		lang = "en"
	}
	for _, w := range regexp.MustCompile(`[\p{L}_-]{4,}`).FindAllString(fmt.Sprint(l, sentenceLangs[lang]), -1) {
		words[strings.ToLower(w)] = true
	}
	return words
}

// foreignWords are the words of a workbook in one language (own) that
// belong to the other's vocabulary only, with the forecast's English
// words and the problem codes for the French workbook; what the reader
// gave (the targets' names, the operators' names) is left out.
func foreignWords(t *testing.T, texts []string, own, other labels, given []string, extra ...string) []string {
	t.Helper()
	mine := vocabulary(own)
	theirs := vocabulary(other)
	for _, w := range extra {
		if own.docLanguage == "en" {
			mine[strings.ToLower(w)] = true // forecast's words are English
		} else {
			theirs[strings.ToLower(w)] = true
		}
	}
	for _, g := range given {
		for _, w := range regexp.MustCompile(`[\p{L}_-]{4,}`).FindAllString(g, -1) {
			mine[strings.ToLower(w)] = true
		}
	}
	var found []string
	for _, s := range texts {
		for _, w := range regexp.MustCompile(`[\p{L}_-]{4,}`).FindAllString(s, -1) {
			if lw := strings.ToLower(w); theirs[lw] && !mine[lw] && !slices.Contains(found, w) {
				found = append(found, w)
			}
		}
	}
	return found
}

// givenNames are the names in the workbook that come from the
// configuration and the returns, in whatever language they were written:
// the target sets' and targets' names, the operators'.
func givenNames(results []*assess.Result, panel []domain.Return) []string {
	var out []string
	for _, r := range results {
		out = append(out, r.TargetSetName)
		for _, a := range r.Assessments {
			out = append(out, a.Label)
		}
		for _, k := range r.Skipped {
			out = append(out, k.Label)
		}
	}
	for _, r := range panel {
		out = append(out, r.OperatorName)
	}
	return out
}

// TestWorkbookSpeaksOneLanguage reads the demo's workbook as its reader
// would, in French and in English: no word of the other language (nor,
// in French, forecast's English method names and reasons or a problem
// code), periods as "T4 2018" ("Q4 2018"), one date format, amounts in
// MDH in the tables and Md MAD in the sentences and charts, never a bare
// MAD nor MMAD.
func TestWorkbookSpeaksOneLanguage(t *testing.T) {
	english := append([]string{"damped", "theta", "rw-drift", "linear-trend", "log-linear-trend", "origins", "candidates", "steps",
		"seasonal", "lowest", "weights", "points", "rolling-origin", "cross-validation", "adjustment", "classical", "fits", "multiplicative", "additive"}, ingest.Codes...)
	for _, tt := range []struct {
		lang       string
		own, other labels
		extra      []string
		date       *regexp.Regexp // a date written another way
		period     *regexp.Regexp // a period written another way
		amounts    *regexp.Regexp // an amount's unit written another way
	}{
		{"fr", fr, en, english, regexp.MustCompile(`\b\d{4}-\d\d-\d\d\b|\b\d\d?/\d\d?/\d\d\b`), regexp.MustCompile(`\b\d{4} ?Q\d\b|\bQ\d \d{4}\b`), regexp.MustCompile(`MMAD|(^|[^d] )MAD\b|\bmillions? de MAD\b`)},
		{"en", en, fr, english, regexp.MustCompile(`\b\d\d/\d\d/\d{4}\b`), regexp.MustCompile(`\b\d{4} ?Q\d\b|\bT\d \d{4}\b`), regexp.MustCompile(`MMAD|MDH|Md MAD`)},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			b, panel, results := demoWorkbook(t, tt.lang)
			texts := workbookText(t, b)
			given := givenNames(results, panel)
			if found := foreignWords(t, texts, tt.own, tt.other, given, tt.extra...); len(found) > 0 {
				t.Errorf("words of another language: %q", found)
			}
			for _, s := range texts {
				if slices.Contains(given, s) {
					continue
				}
				for what, re := range map[string]*regexp.Regexp{"date": tt.date, "period": tt.period, "unit": tt.amounts} {
					if m := re.FindString(s); m != "" {
						t.Errorf("a %s written %q in %q", what, m, s)
					}
				}
			}
		})
	}
}

// TestModelsInWords: the methods forecast knows, and every reason its
// automatic model gives (cross-validation, seasonality, the fallbacks of a
// short series, methods left out), read in French with nothing left in
// English; in English they are the reason as forecast wrote it.
func TestModelsInWords(t *testing.T) {
	for _, name := range forecast.ModelNames() {
		for _, l := range []labels{fr, en} {
			if _, ok := l.models.names[name]; !ok {
				t.Errorf("%s: method %q has no name", l.docLanguage, name)
			}
		}
	}
	trend := func(n int, f func(i int) float64) []float64 {
		y := make([]float64, n)
		for i := range y {
			y[i] = f(i)
		}
		return y
	}
	series := map[string][]float64{
		"long":       trend(24, func(i int) float64 { return 1000 + 40*float64(i) + 7*math.Sin(float64(i)) }),
		"seasonal":   trend(24, func(i int) float64 { return (1000 + 20*float64(i)) * (1 + 0.2*float64(i%4)) }),
		"short":      trend(6, func(i int) float64 { return 100 + 3*float64(i) + float64(i%2) }),
		"very short": trend(4, func(i int) float64 { return 100 + 3*float64(i) }),
		"negative":   trend(16, func(i int) float64 { return -50 + 10*float64(i) + float64(i%3) }),
	}
	seen := map[string]bool{}
	for name, y := range series {
		fit, err := forecast.Auto().Fit(y, 4)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		e, ok := fit.(forecast.Explained)
		if !ok {
			t.Fatalf("%s: the automatic model does not explain its choice", name)
		}
		got, _ := fr.reasonText(e.Reason())
		t.Logf("%s: %s\n→ %s", name, e.Reason(), got)
		if got == fr.models.untranslated {
			t.Errorf("%s: reason %q not read", name, e.Reason())
		}
		for _, w := range []string{"origins", "steps", "candidates", "lowest", "seasonal", "left out", "points", "damped", "rw-drift", "theta", "linear-trend", "needs"} {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q left in %q", name, w, got)
			}
		}
		if model := fr.modelText(e.Method()); strings.ContainsAny(model, "+") && !strings.Contains(e.Method(), "+") || strings.Contains(model, "damped") {
			t.Errorf("%s: model %q read %q", name, e.Method(), model)
		}
		if en, _ := en.reasonText(e.Reason()); en != e.Reason() {
			t.Errorf("%s: the English reason is rewritten: %q", name, en)
		}
		for _, form := range []string{"rolling-origin", "seasonal", "too few", "left out", "not all positive"} {
			seen[form] = seen[form] || strings.Contains(e.Reason(), form)
		}
	}
	for form, ok := range seen {
		if !ok {
			t.Errorf("no series gave a reason with %q; the test no longer covers it", form)
		}
	}
	if got := fr.modelText("damped 66% + rw-drift 17% + theta 17%"); got != "tendance amortie (66 %), marche aléatoire avec dérive (17 %) et méthode thêta (17 %)" {
		t.Errorf("model in words: %q", got)
	}
	if got, n := fr.reasonText("rolling-origin cross-validation over 10 origins, up to 8 steps, 2 candidates (rw-drift 0.034, theta+damped 0.032); the 2 lowest mean absolute scaled errors, combined with weights inverse to them: theta+damped (51 %) and rw-drift (49 %); seasonal at lag 4 (classical multiplicative adjustment)"); n != 10 ||
		got != "validation croisée sur 10 origines glissantes, prévisions jusqu'à 8 trimestres, 2 candidats (erreur moyenne : marche aléatoire avec dérive 0,034 ; méthode thêta + tendance amortie 0,032) ; retenus : les 2 candidats aux erreurs les plus faibles, pondérés à l'inverse de leur erreur : méthode thêta + tendance amortie (51 %) et marche aléatoire avec dérive (49 %) ; saisonnalité de période 4 (désaisonnalisation multiplicative classique)" {
		t.Errorf("reason in words (%d origins): %q", n, got)
	}
}

// TestCodesInWords: every problem code that can reject a file, and every
// reason a target is skipped for, has its words in both languages.
func TestCodesInWords(t *testing.T) {
	for _, l := range []labels{fr, en} {
		for _, c := range ingest.Codes {
			if _, ok := l.rejection[c]; !ok {
				t.Errorf("%s: problem code %q has no words", l.docLanguage, c)
			}
		}
		for _, c := range []string{assess.SkipNoSeries, assess.SkipNoBaseline, assess.SkipSeriesEnds, assess.SkipFitFailed} {
			if _, ok := l.skipReason[c]; !ok {
				t.Errorf("%s: skip code %q has no words", l.docLanguage, c)
			}
		}
		if got := l.skipText(assess.SkipTooFewQuarters, 5, 6); !strings.Contains(got, "5") || !strings.Contains(got, "6") {
			t.Errorf("%s: too few quarters: %q", l.docLanguage, got)
		}
	}
}
