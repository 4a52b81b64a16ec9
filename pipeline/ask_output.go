package pipeline

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/internal/locale"
	"github.com/offshore-ma/offshore/pipeline/chart"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/table"
)

// metricWords name each metric for a reader, in French and English.
var metricWords = map[string]map[domain.Metric]string{
	"fr": {domain.MetricJobs: "Emplois", domain.MetricExports: "Chiffre d'affaires à l'export", domain.MetricInvestment: "Investissements",
		domain.MetricHires: "Recrutements", domain.MetricHiresYouth: "Recrutements de jeunes (moins de 35 ans)",
		domain.MetricHiresDisabled: "Recrutements de personnes en situation de handicap"},
	"en": {domain.MetricJobs: "Jobs", domain.MetricExports: "Export revenue", domain.MetricInvestment: "Investment",
		domain.MetricHires: "Hires", domain.MetricHiresYouth: "Hires under 35", domain.MetricHiresDisabled: "Hires of people with disabilities"},
}

// whatIfWords name the forecast and each what-if.
var whatIfWords = map[string]map[string]string{
	"fr": {BaseName: "Prévision", "required": "Croissance nécessaire", "best": "Comme sa meilleure année", "worst": "Comme sa pire année",
		"collecting": "Si les déclarations manquantes du trimestre en collecte arrivent comme l'an dernier"},
	"en": {BaseName: "Forecast", "required": "Growth needed", "best": "Like its best year", "worst": "Like its worst year",
		"collecting": "If the missing returns of the quarter in collection come in like last year"},
}

// MetricName is m in words in lang (French unless "en").
func MetricName(lang string, m domain.Metric) string {
	if w, ok := metricWords[locale.Lang(lang)][m]; ok {
		return w
	}
	return string(m)
}

// StatusName names a status as the ministry workbook does in lang.
func StatusName(lang string, s forecast.Status) string { return report.StatusName(lang, s) }

// PeriodName names a quarter as the ministry workbook does in lang ("T4
// 2018" in French).
func PeriodName(lang string, p domain.Period) string { return report.PeriodName(lang, p) }

// WhatIfName is the forecast (BaseName) or a what-if in words in lang.
func WhatIfName(lang, name string) string {
	if w, ok := whatIfWords[locale.Lang(lang)][name]; ok {
		return w
	}
	return name
}

// Subject names the answer's series in lang: "Emplois — BPO",
// "Jobs — nation", "Emplois — région Casablanca-Settat".
func (a *Answer) Subject(lang string) string {
	lang = locale.Lang(lang)
	m := MetricName(lang, a.Question.Metric)
	switch {
	case a.Question.Region != "" && lang == "en":
		return m + " — " + a.Question.Region + " region"
	case a.Question.Region != "":
		return m + " — région " + a.Question.Region
	case a.Question.Sector == domain.National && lang == "en":
		return m + " — national"
	case a.Question.Sector == domain.National:
		return m + " — ensemble du secteur"
	}
	return m + " — " + a.Question.Sector
}

// Amount writes a figure of the answer's metric in lang: persons, or
// millions of dirhams (MDH) as the workbook's tables.
func (a *Answer) Amount(lang string, v *float64) string {
	if v == nil {
		return "–"
	}
	if a.Question.Metric == domain.MetricExports || a.Question.Metric == domain.MetricInvestment {
		return locale.MDH(lang, *v)
	}
	return locale.Persons(lang, *v)
}

// Outcome returns the forecast (BaseName) or the what-if name, or nil.
func (a *Answer) Outcome(name string) *Outcome {
	if name == "" || name == BaseName {
		return &a.Base
	}
	for i := range a.WhatIfs {
		if a.WhatIfs[i].Name == name {
			return &a.WhatIfs[i]
		}
	}
	return nil
}

// WriteAnswerTable writes a as a table in format f (CSV in its dialect, or
// xlsx; json and parquet too): one row per point of the history and of
// each path (the forecast, then the what-ifs), with the target and the
// probability of meeting it on every row of a path. Text cells are
// neutralised in CSV (table.Neutralise). A secret answer has no row.
func WriteAnswerTable(w io.Writer, a *Answer, f table.Format) error {
	t := table.New(memory.DefaultAllocator)
	defer t.Release()
	var (
		scenario = t.String("scenario")
		period   = t.String("period")
		observed = t.Bool("observed")
		value    = t.Float64("value")
		lo80     = t.Float64("lo80")
		hi80     = t.Float64("hi80")
		growth   = t.Float64("growth")
		target   = t.Float64("target")
		pMeet    = t.Float64("p_meet")
		level    = t.String("level")
		subject  = t.String("subject")
		metric   = t.String("metric")
		asOf     = t.String("as_of")
		official = t.Bool("official_target")
	)
	get := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	row := func(name string, p Point, o *Outcome) error {
		scenario.Append(name)
		period.Append(p.Period)
		observed.Append(p.Observed)
		value.Append(get(p.Value))
		lo80.Append(get(p.Lo80))
		hi80.Append(get(p.Hi80))
		if o != nil {
			growth.Append(get(o.Growth))
			pMeet.Append(get(o.PMeet))
		} else {
			growth.Append(math.NaN())
			pMeet.Append(math.NaN())
		}
		target.Append(get(a.Target))
		level.Append(a.Level)
		subject.Append(a.Question.Sector + a.Question.Region)
		metric.Append(string(a.Question.Metric))
		asOf.Append(a.AsOf.String())
		official.Append(a.Official)
		return t.EndRow()
	}
	if !a.Secret {
		for _, p := range a.History {
			if err := row("observed", p, nil); err != nil {
				return err
			}
		}
		for _, o := range append([]Outcome{a.Base}, a.WhatIfs...) {
			for _, p := range o.Path {
				if err := row(o.Name, p, &o); err != nil {
					return err
				}
			}
		}
	}
	_, err := t.WriteFormat(w, f) // which checks f
	return err
}

// WriteAnswerChart writes the fan chart of the forecast or of one what-if
// (name; "" for the forecast) as png or svg, with its words in lang: the
// history, the path's mean and 80 % band, the target as a dashed line, and
// for the growth needed that path over the forecast's fan. Jobs and hires
// are drawn in persons, amounts in milliards of MAD, the flows per year.
func WriteAnswerChart(w io.Writer, a *Answer, name, format, lang string) error {
	lang = locale.Lang(lang)
	if !slices.Contains(chart.Formats, format) {
		return fmt.Errorf("chart format %q: want png or svg", format)
	}
	if a.Secret {
		return fmt.Errorf("%s: hidden by the confidentiality rule: no chart", a.Subject("en"))
	}
	o := a.Outcome(name)
	if o == nil {
		return fmt.Errorf("no what-if %q in this answer", name)
	}
	fan := o
	if o.Name == "required" {
		fan = &a.Base // the needed path is drawn over the model's fan
	}
	if len(fan.Path) == 0 || len(a.History) == 0 {
		return fmt.Errorf("%s: %s", WhatIfName("en", o.Name), o.Reason)
	}
	scale, unit := 1.0, map[string]string{"fr": "personnes", "en": "persons"}[lang]
	if a.Question.Metric == domain.MetricExports || a.Question.Metric == domain.MetricInvestment {
		scale, unit = 1e-9, map[string]string{"fr": "milliards de MAD par an", "en": "billion MAD a year"}[lang]
	} else if a.Yearly {
		unit = map[string]string{"fr": "personnes par an", "en": "persons a year"}[lang]
	}
	legend := map[string][3]string{
		"fr": {"réalisé", "projection (moyenne, intervalle à 80 %)", "cible"},
		"en": {"actual", "projection (mean, 80% interval)", "target"},
	}[lang]
	title := a.Subject(lang)
	if o.Name != BaseName {
		title += " : " + WhatIfName(lang, o.Name)
		if o.Growth != nil {
			title += " (" + locale.Percent(lang, *o.Growth, 1) + map[string]string{"fr": " par an)", "en": " a year)"}[lang]
		}
	}
	f := chart.Fan{Title: title, XLabel: map[string]string{"fr": "année", "en": "year"}[lang], YLabel: unit, Legend: legend, Years: true,
		YLabels: func(v float64) string { return locale.Number(lang, v, decimals(v)) }}
	for _, p := range a.History {
		if p.Value != nil {
			f.HistoryX, f.History = append(f.HistoryX, p.X), append(f.History, *p.Value*scale)
		}
	}
	if len(f.History) == 0 {
		return fmt.Errorf("%s: no published history to draw", a.Subject("en"))
	}
	for _, p := range fan.Path {
		if p.Value == nil {
			continue
		}
		lo, hi := p.Value, p.Value
		if p.Lo80 != nil && p.Hi80 != nil {
			lo, hi = p.Lo80, p.Hi80
		}
		f.X, f.Median = append(f.X, p.X), append(f.Median, *p.Value*scale)
		f.Lo80, f.Hi80 = append(f.Lo80, *lo*scale), append(f.Hi80, *hi*scale)
	}
	if a.Target != nil && !a.Cumulative { // a cumulative target is a sum over years, not a year's level
		v := *a.Target * scale
		f.Target = &v
	}
	if o.Name == "required" {
		l := chart.Line{Label: WhatIfName(lang, o.Name), Dotted: true}
		l.X, l.Y = append(l.X, f.HistoryX[len(f.HistoryX)-1]), append(l.Y, f.History[len(f.History)-1])
		for _, p := range o.Path {
			if p.Value != nil {
				l.X, l.Y = append(l.X, p.X), append(l.Y, *p.Value*scale)
			}
		}
		f.Lines = append(f.Lines, l)
	}
	return f.Write(w, format)
}

// decimals is the digits a tick label needs: none from 10 on, one below.
func decimals(v float64) int {
	if math.Abs(v) >= 10 || v == math.Trunc(v) {
		return 0
	}
	return 1
}
