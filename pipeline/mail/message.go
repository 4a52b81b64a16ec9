package mail

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/report"
)

// Content is what the mail of one workbook says, in one language.
type Content struct {
	Lang  string        // "fr" or "en"
	AsOf  domain.Period // the quarter the workbook assesses
	RunID string        // the nightly run that wrote it
	Sets  []Set         // one per target set, in the workbook's order
	// Workbook is the attachment's path; WorkbookSHA256 its sha256 when it
	// was written (hex), checked before it is sent ("": not checked).
	Workbook       string
	WorkbookSHA256 string
}

// Set is one target set: its verdict sentences and its status table.
type Set struct {
	Name      string
	Sentences []string
	Rows      []Row
}

// Row is one target's line of the status table, in words: its label, its
// status, and its probability of being met as the sentences write it ("25
// %", "< 1 %"), "—" when there is none (a target met, closed or without a
// projection) and "s" when the confidentiality rule hides it.
type Row struct {
	Label, Status, Probability string
}

// Compose writes the mail of results, the assessments of a nightly run
// that assessed the quarter asOf, in opts.Lang. results must be what may
// leave (the run record's Published results: confidential assessments
// masked); opts are the workbook's confidentiality options, so that a
// target the workbook hides is hidden here too, whichever of the two says
// so. The sentences are report.Sentences', word for word.
func Compose(results []*assess.Result, opts report.Options, asOf domain.Period, runID string) Content {
	w := wordsFor(opts.Lang)
	c := Content{Lang: w.lang, AsOf: asOf, RunID: runID}
	// The rule decided once for all the sets, not once per set: the
	// sentences come in the order of results, one per assessment, none
	// for a nil result.
	hidden := report.ConfidentialTargets(results, opts)
	sentences := report.Sentences(results, opts)
	for _, r := range results {
		if r == nil {
			continue
		}
		s := Set{Name: r.TargetSetName}
		if n := len(r.Assessments); n > 0 {
			s.Sentences, sentences = sentences[:n:n], sentences[n:]
		}
		if s.Name == "" {
			s.Name = r.TargetSet
		}
		for _, a := range r.Assessments {
			secret := a.Secret || slices.Contains(hidden, r.TargetSet+"/"+a.TargetID)
			s.Rows = append(s.Rows, w.row(a, secret))
		}
		c.Sets = append(c.Sets, s)
	}
	return c
}

// words are the mail's words in one language.
type words struct {
	lang                                   string
	subject                                string // %s: the quarter, "T4 2018"
	greeting, intro, attached, footer      string
	label, status, probability, none, secr string
	secretNote                             string
	secretStatus                           string
}

var languages = map[string]words{
	"fr": {lang: "fr",
		subject:  "Offshoring — synthèse des objectifs au %s",
		greeting: "Madame, Monsieur,",
		intro:    "Veuillez trouver ci-joint la synthèse des objectifs de l'offshoring au %s, établie par l'exécution nocturne %s.",
		attached: "Pièce jointe : %s",
		footer:   "Ce message est envoyé automatiquement par offshore ; merci de ne pas y répondre.",
		label:    "Objectif", status: "Statut", probability: "Probabilité d'atteinte", none: "—", secr: "s",
		secretNote:   "s : chiffres couverts par le secret statistique.",
		secretStatus: "Secret statistique"},
	"en": {lang: "en",
		subject:  "Offshoring — summary of the targets at %s",
		greeting: "Dear Sir or Madam,",
		intro:    "Please find attached the summary of the offshoring targets at %s, made by the nightly run %s.",
		attached: "Attachment: %s",
		footer:   "This message is sent automatically by offshore; please do not reply.",
		label:    "Target", status: "Status", probability: "Probability of meeting it", none: "—", secr: "s",
		secretNote:   "s: figures withheld under statistical confidentiality.",
		secretStatus: "Confidential"},
}

// wordsFor returns the words of lang, French when lang is not known.
func wordsFor(lang string) words {
	if w, ok := languages[lang]; ok {
		return w
	}
	return languages["fr"]
}

// row is a's line of the status table.
func (w words) row(a assess.Assessment, secret bool) Row {
	if secret {
		return Row{Label: a.Label, Status: w.secretStatus, Probability: w.secr}
	}
	st := report.StatusName(w.lang, a.Status)
	p := w.none
	switch a.Status {
	case forecast.StatusOnTrack, forecast.StatusAtRisk, forecast.StatusOffTrack:
		// A projection's statuses: a closed target is achieved or not, a
		// reached one met (assess), so neither has a probability here.
		if !math.IsNaN(a.PMeet) {
			p = report.Probability(w.lang, a.PMeet)
		}
	}
	return Row{Label: a.Label, Status: st, Probability: p}
}

// Quarter writes the quarter assessed as the subject does: "T4 2018" ("Q4
// 2018" in English).
func (c Content) Quarter() string { return report.PeriodName(c.Lang, c.AsOf) }

// Subject is the mail's subject: "Offshoring — synthèse des objectifs au
// T4 2018".
func (c Content) Subject() string {
	return fmt.Sprintf(wordsFor(c.Lang).subject, c.Quarter())
}

// Text is the plain-text body: a greeting, the sentences of each target
// set and its status table (columns aligned for a fixed-width font), the
// name of the attachment and a line saying the mail is automatic.
func (c Content) Text() string {
	w := wordsFor(c.Lang)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n", w.greeting, fmt.Sprintf(w.intro, c.Quarter(), c.RunID))
	for _, s := range c.Sets {
		fmt.Fprintf(&b, "\n%s\n%s\n\n", s.Name, strings.Repeat("=", utf8.RuneCountInString(s.Name)))
		for _, sentence := range s.Sentences {
			fmt.Fprintf(&b, "%s\n\n", sentence)
		}
		rows := [][]string{{w.label, w.status, w.probability}}
		for _, r := range s.Rows {
			rows = append(rows, []string{r.Label, r.Status, r.Probability})
		}
		table(&b, rows)
	}
	if c.secret() {
		fmt.Fprintf(&b, "\n%s\n", w.secretNote)
	}
	if c.Workbook != "" {
		fmt.Fprintf(&b, "\n%s\n", fmt.Sprintf(w.attached, filepath.Base(c.Workbook)))
	}
	fmt.Fprintf(&b, "\n-- \n%s\n", w.footer)
	return b.String()
}

// secret reports whether a row of c is hidden, which the body's note on
// the mark then explains: its probability reads as the mark (Row holds
// the status table's three columns, nothing more).
func (c Content) secret() bool {
	w := wordsFor(c.Lang)
	for _, s := range c.Sets {
		for _, r := range s.Rows {
			if r.Probability == w.secr {
				return true
			}
		}
	}
	return false
}

// table writes rows (the first is the header) with each column padded to
// its widest cell, a rule under the header.
func table(b *strings.Builder, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	line := func(cells []string) {
		var l strings.Builder
		for i, cell := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(cell)
			if i < len(cells)-1 {
				l.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)))
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(rows[0])
	rule := make([]string, len(widths))
	for i, n := range widths {
		rule[i] = strings.Repeat("-", n)
	}
	line(rule)
	for _, r := range rows[1:] {
		line(r)
	}
}

var htmlBody = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 11pt">
<p>{{.W.Greeting}}</p>
<p>{{.Intro}}</p>
{{range .Sets}}<h2 style="font-size: 13pt">{{.Name}}</h2>
{{range .Sentences}}<p>{{.}}</p>
{{end}}<table style="border-collapse: collapse" cellpadding="4">
<tr><th align="left">{{$.W.Label}}</th><th align="left">{{$.W.Status}}</th><th align="right">{{$.W.Probability}}</th></tr>
{{range .Rows}}<tr><td style="border-top: 1px solid #ccc">{{.Label}}</td><td style="border-top: 1px solid #ccc">{{.Status}}</td><td align="right" style="border-top: 1px solid #ccc">{{.Probability}}</td></tr>
{{end}}</table>
{{end}}{{with .SecretNote}}<p>{{.}}</p>
{{end}}{{with .Attached}}<p>{{.}}</p>
{{end}}<p style="color: #666">{{.W.Footer}}</p>
</body></html>
`))

// HTML is the body for mail readers that show HTML: the same text as Text,
// the status tables as tables.
func (c Content) HTML() string {
	w := wordsFor(c.Lang)
	data := map[string]any{"Lang": w.lang, "Subject": c.Subject(), "Intro": fmt.Sprintf(w.intro, c.Quarter(), c.RunID), "Sets": c.Sets,
		"W": map[string]string{"Greeting": w.greeting, "Label": w.label, "Status": w.status, "Probability": w.probability, "Footer": w.footer}}
	if c.secret() {
		data["SecretNote"] = w.secretNote
	}
	if c.Workbook != "" {
		data["Attached"] = fmt.Sprintf(w.attached, filepath.Base(c.Workbook))
	}
	var b bytes.Buffer
	if err := htmlBody.Execute(&b, data); err != nil {
		panic(err) // the template and its data are ours: a bug
	}
	return b.String()
}
