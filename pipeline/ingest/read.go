package ingest

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
)

// Policies for a file with errors (Options.OnError, ingest.on_error).
const (
	// OnErrorReject refuses a file with any error whole (the default).
	OnErrorReject = "reject"
	// OnErrorSkipRow accepts the good rows of a file whose errors are all
	// about rows; the bad rows are reported and left out.
	OnErrorSkipRow = "skip_row"
)

// Default limits used when Options leaves them zero.
const (
	DefaultMaxUnzipBytes = 200 << 20
	DefaultMaxXMLBytes   = 100 << 20
)

// Options bound what Read does and say what it checks. The zero value reads
// with the default limits, no timeout, no plausibility checks, and rejects a
// file with any error.
type Options struct {
	// MaxRows is the number of data rows read per sheet at most (0: no limit).
	MaxRows int
	// OnError is OnErrorReject ("" too) or OnErrorSkipRow.
	OnError string
	// Now is the run's date: a period after its quarter is an error. Zero: time.Now().
	Now time.Time
	// Timeout bounds the time spent on one file (0: none). See Read.
	Timeout time.Duration
	// MaxUnzipBytes bounds a workbook's total uncompressed size and
	// MaxXMLBytes any one of its parts (zip bombs, huge shared strings).
	MaxUnzipBytes, MaxXMLBytes int64
	// HeadcountChangeMax: a headcount moving more than this fraction from
	// the operator's previous quarter raises a warning (0: no check).
	HeadcountChangeMax float64
	// ExportPerEmployeeMin and Max bound the plausible export revenue per
	// employee of a quarter, MAD; outside them a warning (Max 0: no check).
	ExportPerEmployeeMin, ExportPerEmployeeMax float64
	// ImplausibleAmounts is the severity of an export revenue per employee
	// outside that band: "error" ("" too: the row is refused and the
	// operator asked to state the unit) or "warning".
	ImplausibleAmounts string
	// MaxHeadcount bounds counts (headcount, hires) and MaxAmountMAD the
	// amounts of a quarter: beyond them a figure is an error (0: no bound).
	MaxHeadcount int64
	MaxAmountMAD float64
	// FirstPeriod is the first quarter collected: an earlier period is an
	// error (0: 2010Q1).
	FirstPeriod domain.Period
	// Previous, when set, returns the operator's headcount of the quarter
	// before p (p-1, or its latest accepted quarter before p, as the caller
	// prefers), for the headcount-change warning. Earlier quarters of the
	// same operator in the same file are used first. Read calls it from the
	// caller's goroutine, after the reading, never concurrently.
	Previous func(operatorID string, p domain.Period) (headcount int64, ok bool)
	// DeferHeadcounts leaves the headcount-change check out of Read, for a
	// caller that reads files in parallel and then calls CheckHeadcounts on
	// each result in its own order (the previous quarter may be in a file
	// read just before).
	DeferHeadcounts bool
	// CountOnly counts the returns read instead of keeping them (Returns
	// stays empty; Result.Rows counts them), for a caller that wants only
	// the verdict and the problems (`offshore validate`): the problems are
	// the same, and a federation's 200,000 returns are not held in memory.
	CountOnly bool
	// Done, when set (a context's Done), stops the reading once closed, at
	// the next row as Timeout does: the caller was interrupted, and the
	// Result, incomplete, is for it to discard.
	Done <-chan struct{}
}

// OptionsFrom returns the Options of the ingest settings; the caller adds
// Now and Previous.
func OptionsFrom(s config.IngestSettings) Options {
	return Options{
		MaxRows:              s.MaxRows,
		OnError:              s.OnError,
		Timeout:              s.FileTimeout,
		MaxUnzipBytes:        int64(s.MaxUnzipMB) << 20,
		MaxXMLBytes:          int64(s.MaxXMLMB) << 20,
		HeadcountChangeMax:   s.HeadcountChangeMax,
		ExportPerEmployeeMin: s.ExportPerEmployeeMin,
		ExportPerEmployeeMax: s.ExportPerEmployeeMax,
		ImplausibleAmounts:   s.ImplausibleAmounts,
		MaxHeadcount:         s.MaxHeadcount,
		MaxAmountMAD:         s.MaxAmountMAD,
		FirstPeriod:          firstPeriod(s.FirstPeriod),
	}
}

// firstPeriod reads ingest.first_period (validated by config); 0 when unset.
func firstPeriod(s string) domain.Period {
	p, err := domain.ParsePeriod(s)
	if err != nil {
		return 0
	}
	return p
}

// Result is what Read made of one file.
type Result struct {
	// Sheet is the first sheet returns were read from ("" when none);
	// Sheets, the sheet of every table read (a workbook may hold a sheet
	// per quarter, a sheet two tables side by side).
	Sheet  string
	Sheets []string
	// DeclaredAt is the date the return says it was made ("Date de
	// déclaration : 15/04/2016" above the table), zero when absent.
	DeclaredAt time.Time
	Returns    []domain.Return
	Problems   []domain.Problem
	// SkippedRows counts the data rows left out for their errors (with
	// OnErrorSkipRow, or all bad rows of a rejected file).
	SkippedRows int
	// OnError is the policy the file was read with.
	OnError string
	// Fault is set when Read itself failed on the file (a panic it
	// recovered from): the file is refused with internal_error; the caller
	// logs the fault.
	Fault *Fault
	fatal bool // an error about the file as a whole (not a row)
	// facts is what CheckHeadcounts needs of each return read, kept
	// instead of Returns with Options.CountOnly (nil otherwise), and
	// operators their operator ids.
	facts     []fact
	operators []string

	name, sha     string // the file, for CheckHeadcounts
	headcountCols []int  // the headcount's column of each of Sheets, for CheckHeadcounts
}

// Rows is the number of returns read: len(Returns), or with
// Options.CountOnly the number Read counted without keeping them.
func (r *Result) Rows() int {
	if r.facts != nil {
		return len(r.facts)
	}
	return len(r.Returns)
}

// fact is what CheckHeadcounts needs of one return (24 bytes, where a
// domain.Return takes about 350).
type fact struct {
	op        int32  // index in Result.operators
	row       int32  // 1-based
	sheet     uint16 // index in Result.Sheets
	period    domain.Period
	headcount int64
}

// fact returns the operator id and the facts of the i-th return read (i < Rows()).
func (r *Result) fact(i int) (string, fact) {
	if r.facts != nil {
		f := r.facts[i]
		return r.operators[f.op], f
	}
	ret := &r.Returns[i]
	return ret.OperatorID, fact{row: int32(ret.Row), sheet: uint16(max(0, slices.Index(r.Sheets, ret.Sheet))), period: ret.Period, headcount: ret.Headcount}
}

// HasErrors reports whether any problem is an error.
func (r *Result) HasErrors() bool {
	for _, p := range r.Problems {
		if p.Severity == domain.SeverityError {
			return true
		}
	}
	return false
}

// Rejected reports whether the file is refused whole. With OnErrorReject
// (the default, and for a Result built by hand) any error rejects it. With
// OnErrorSkipRow it is rejected only for an error about the whole file
// (unreadable, no table, damaged sheet, timeout…) or when no row is good;
// otherwise its good rows, in Returns, are to be accepted and the errors of
// the rows left out reported.
func (r *Result) Rejected() bool {
	if r.OnError == OnErrorSkipRow && !r.fatal {
		return r.Rows() == 0 && r.HasErrors()
	}
	return r.HasErrors()
}

// slots bounds how many readers run at once, abandoned ones included: per
// core (ingest reads at most one file per core at once), at most one reader
// that overran its timeout and one current reader hold memory. See Read.
var slots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// Read parses one workbook. name is the file name as received, sha its sha256
// (hex), receivedAt when it was received; these become every row's lineage.
//
// Read never panics on bad input and never stops at the first problem: every
// problem found is in the Result, and with the default policy a file with any
// error has no Returns. Each file is bounded in memory by MaxUnzipBytes and
// MaxXMLBytes (checked before excelize reads it) and in time by Timeout: the
// reading runs in a goroutine; at the deadline Read returns a "timeout"
// problem and the goroutine is told to stop, which it does at its next row
// (work between two checks is bounded by the size limits). A package-wide
// semaphore lets at most two readers per core live at once, so an abandoned
// reader and the current one together stay within twice the per-file budget
// for each file read in parallel; Read waits
// at most twice Timeout for a slot, then reads anyway, so that a reader stuck
// for good in a library call cannot stop the run. A "timeout" problem is
// about the machine as much as the file: the caller may retry the file later.
func Read(name, sha string, data []byte, receivedAt time.Time, x *Matcher, opts Options) Result {
	stop := new(atomic.Bool)
	if opts.Done != nil {
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-opts.Done:
				stop.Store(true)
			case <-finished:
			}
		}()
	}
	if opts.Timeout <= 0 { // no deadline: read in the caller's goroutine
		res := read(name, sha, data, receivedAt, x, opts, stop)
		if !opts.DeferHeadcounts {
			CheckHeadcounts(&res, opts)
		}
		return res
	}
	// Wait for a slot, but not forever: should two overdue readers be stuck
	// in a library call that never returns, the run goes on without a slot
	// rather than hang (the memory bound is then lost, the run is not).
	held := true
	select {
	case slots <- struct{}{}:
	case <-time.After(2 * opts.Timeout):
		held = false
	case <-opts.Done:
		return Result{OnError: opts.OnError, fatal: true}
	}
	done := make(chan Result, 1)
	go func() {
		if held {
			defer func() { <-slots }()
		}
		done <- read(name, sha, data, receivedAt, x, opts, stop)
	}()
	t := time.NewTimer(opts.Timeout)
	defer t.Stop()
	select {
	case res := <-done:
		if !opts.DeferHeadcounts {
			CheckHeadcounts(&res, opts)
		}
		return res
	case <-opts.Done: // the goroutine stops at its next row
		return Result{OnError: opts.OnError, fatal: true}
	case <-t.C:
		stop.Store(true)
		res := Result{OnError: opts.OnError, fatal: true}
		res.Problems = []domain.Problem{{File: name, SHA256: sha, Code: "timeout", Severity: domain.SeverityError,
			Found:    fmt.Sprintf("more than %s", opts.Timeout),
			Expected: fmt.Sprintf("read within %s", opts.Timeout), ExpectedFR: fmt.Sprintf("lecture en moins de %s", opts.Timeout),
			Message:   "the workbook took too long to read (it is probably far larger or more complex than a return); it was not read",
			MessageFR: "la lecture du classeur a pris trop de temps (il est sans doute bien plus grand ou complexe qu'une déclaration) ; il n'a pas été lu"}}
		return res
	}
}

// Codes lists the stable problem codes Read reports, for documentation and tests.
var Codes = []string{
	"internal_error", "too_large", "empty_file", "not_xlsx", "password_protected", "damaged_zip", "zip_bomb", "part_too_large", "xml_entities", "unreadable", "timeout",
	"text_too_long", "xml_padding", "sheet_truncated", "no_header", "empty", "too_many_rows",
	"required", "bad_ice", "bad_sector", "bad_region", "bad_period", "period_too_early", "period_in_future",
	"bad_count", "bad_amount", "formula_error", "formula_not_computed", "exceeds_hires", "total_below_export", "duplicate",
	"ambiguous_header", "implausible_figure", "text_too_long", "export_per_employee",
	"headcount_change", "header_unclear", "header_guessed",
	"extra_column", "fallback_column", "sheet_used", "table", "unit", "ice_padded", "totals_row", "note_row", "unfilled_row", "declared_at",
}

// frExpected translates the expected value of a file-level problem.
func frExpected(en string) string {
	switch {
	case strings.HasPrefix(en, "an .xlsx"):
		return "un classeur .xlsx (Excel 2007 ou plus récent)"
	case strings.HasPrefix(en, "a workbook without"):
		return "un classeur sans mot de passe"
	case strings.HasPrefix(en, "a complete"):
		return "un classeur .xlsx complet"
	case strings.HasPrefix(en, "workbook XML without"):
		return "du XML de classeur sans DTD ni entités"
	case strings.HasSuffix(en, " characters in a cell"):
		return strings.Replace(strings.Replace(en, "at most", "au plus", 1), "characters in a cell", "caractères dans une cellule", 1)
	case strings.HasPrefix(en, "a workbook as spreadsheet"):
		return "un classeur tel que les tableurs l'écrivent"
	case strings.HasPrefix(en, "at most "), strings.HasPrefix(en, "each part at most "):
		r := strings.NewReplacer("distinct texts", "textes distincts", "each part at most", "chaque partie au plus", "at most", "au plus", " MB", " Mo", "uncompressed", "décompressés")
		return r.Replace(en)
	}
	return ""
}

// trimAll trims a cell's spaces (non-breaking ones too) and the apostrophe
// some programs keep before a number typed as text ("'245").
func trimAll(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "\u00a0\u202f"))
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(s[1:], '\'') < 0 {
		s = strings.TrimSpace(s[1:])
	}
	return s
}

// timeNow is time.Now, replaceable in tests.
var timeNow = time.Now

// TooLarge is the Result of a file larger than maxBytes (ingest.max_file_mb),
// which is refused unread.
func TooLarge(name string, size, maxBytes int64) Result {
	return Result{fatal: true, Problems: []domain.Problem{{File: name, Code: "too_large", Severity: domain.SeverityError,
		Found: fmt.Sprintf("%d MB", size>>20), Expected: fmt.Sprintf("at most %d MB", maxBytes>>20),
		ExpectedFR: fmt.Sprintf("au plus %d Mo", maxBytes>>20),
		Message:    "the file is too large to be a return", MessageFR: "le fichier est trop gros pour être une déclaration"}}}
}
