package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/ingest"
)

// validateOptions are the flags of `offshore validate`.
type validateOptions struct {
	format string // text or json
	lang   string // fr or en: the language of the messages in text output
}

// validateFile is one file's verdict, as `validate --format json` prints it.
type validateFile struct {
	Path        string            `json:"path"`
	File        string            `json:"file"`
	SHA256      string            `json:"sha256"`
	Verdict     string            `json:"verdict"` // accepted or rejected
	Sheet       string            `json:"sheet"`   // the first sheet read
	Sheets      []string          `json:"sheets"`  // every sheet read
	Rows        int               `json:"rows"`
	SkippedRows int               `json:"skipped_rows"`
	DeclaredAt  string            `json:"declared_at,omitempty"`
	Errors      int               `json:"errors"`
	Warnings    int               `json:"warnings"`
	Problems    []validateProblem `json:"problems"`
}

type validateProblem struct {
	Severity   string `json:"severity"`
	Code       string `json:"code"`
	Sheet      string `json:"sheet,omitempty"`
	Cell       string `json:"cell,omitempty"`
	Column     string `json:"column,omitempty"`
	Found      string `json:"found"`
	Expected   string `json:"expected"`
	ExpectedFR string `json:"expected_fr"`
	Message    string `json:"message"`
	MessageFR  string `json:"message_fr"`
}

func cmdValidate(ctx context.Context, g *globals, args []string) error {
	o := validateOptions{format: "text", lang: "en"}
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.StringVar(&o.format, "format", o.format, "text or json")
	fs.StringVar(&o.lang, "lang", o.lang, "language of the messages in text output: fr or en")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return usageError("validate: name at least one workbook")
	}
	if err := inputsExist("validate", files...); err != nil {
		return err
	}
	if o.format != "text" && o.format != "json" {
		return usageError("validate: --format %q: want text or json", o.format)
	}
	if o.lang != "fr" && o.lang != "en" {
		return usageError("validate: --lang %q: want fr or en", o.lang)
	}
	return runValidate(ctx, g, o, files)
}

// runValidate reads each file exactly as ingest does (the same limits,
// policy and checks, from the configuration) and writes nothing but its
// report. It returns pipeline.ErrRejected (exit code 3) when any file would
// be rejected.
func runValidate(ctx context.Context, g *globals, o validateOptions, files []string) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	var out []validateFile
	rejected := 0
	err = pipeline.Validate(ctx, cfg, files, func(path, sha string, res ingest.Result) error {
		vf := validateFile{Path: path, File: filepath.Base(path), SHA256: sha, Verdict: "accepted", Sheet: res.Sheet, Sheets: res.Sheets,
			Rows: res.Rows(), SkippedRows: res.SkippedRows, Problems: []validateProblem{}}
		if res.Rejected() {
			vf.Verdict = "rejected"
			rejected++
		}
		if !res.DeclaredAt.IsZero() {
			vf.DeclaredAt = res.DeclaredAt.Format("2006-01-02")
		}
		for _, p := range res.Problems {
			switch p.Severity {
			case domain.SeverityError:
				vf.Errors++
			case domain.SeverityWarning:
				vf.Warnings++
			}
			vf.Problems = append(vf.Problems, validateProblem{Severity: string(p.Severity), Code: p.Code, Sheet: p.Sheet, Cell: p.Cell, Column: p.Column,
				Found: p.Found, Expected: p.Expected, ExpectedFR: p.ExpectedFR, Message: p.Message, MessageFR: p.MessageFR})
		}
		out = append(out, vf)
		if o.format == "text" {
			writeValidateText(g.stdout, vf, res, o.lang)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.format == "json" {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Files    []validateFile `json:"files"`
			Rejected int            `json:"rejected"`
		}{out, rejected}); err != nil {
			return err
		}
	}
	if rejected > 0 {
		return fmt.Errorf("%d of %d files would be rejected: %w", rejected, len(files), pipeline.ErrRejected)
	}
	return nil
}

// validateWords are the words of validate's text output in one language.
type validateWords struct {
	ok, rejected, rows, sheet, skipped, counts string
	severity                                   map[domain.Severity]string
}

var validateText = map[string]validateWords{
	"en": {"ok", "REJECTED", "%s: %s, %d rows", " from sheet %q", ", %d rows left out", ", %d errors, %d warnings\n",
		map[domain.Severity]string{domain.SeverityError: "error", domain.SeverityWarning: "warning", domain.SeverityInfo: "info"}},
	"fr": {"accepté", "REFUSÉ", "%s : %s, %d ligne(s) lue(s)", " dans la feuille « %s »", ", %d ligne(s) écartée(s)", ", %d erreur(s), %d avertissement(s)\n",
		map[domain.Severity]string{domain.SeverityError: "erreur", domain.SeverityWarning: "avertissement", domain.SeverityInfo: "info"}},
}

// writeValidateText writes one file's verdict and problems, wholly in
// lang (fr or en).
func writeValidateText(w io.Writer, vf validateFile, res ingest.Result, lang string) {
	words := validateText[lang]
	verdict := words.ok
	if vf.Verdict == "rejected" {
		verdict = words.rejected
	}
	fmt.Fprintf(w, words.rows, vf.Path, verdict, vf.Rows)
	if vf.Sheet != "" {
		fmt.Fprintf(w, words.sheet, strings.Join(vf.Sheets, ", "))
	}
	if vf.SkippedRows > 0 {
		fmt.Fprintf(w, words.skipped, vf.SkippedRows)
	}
	fmt.Fprintf(w, words.counts, vf.Errors, vf.Warnings)
	for _, p := range res.Problems {
		fmt.Fprintf(w, "  [%s] %s: %s\n", words.severity[p.Severity], p.Code, p.Text(lang))
	}
}
