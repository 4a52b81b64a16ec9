package domain

import (
	"fmt"
	"time"
)

// Return is one operator's figures for one quarter, with the lineage of the
// row it was read from.
type Return struct {
	OperatorID   string // ICE, 15 digits
	OperatorName string
	Sector       string // a sector code of mappings.yaml
	Region       string // canonical region name (config/mappings.yaml)
	Period       Period

	Headcount        int64   // persons employed at the end of the quarter
	Hires            *int64  // hires during the quarter
	HiresYouth       *int64  // of which under 35
	HiresDisabled    *int64  // of which people with disabilities
	ExportRevenueMAD float64 // export revenue of the quarter, MAD
	TotalRevenueMAD  *float64
	InvestmentMAD    *float64

	SourceSHA256 string    // sha256 of the workbook's bytes, hex
	SourceName   string    // file name as received
	Sheet        string    // sheet the row was read from
	Row          int       // 1-based spreadsheet row
	ReceivedAt   time.Time // when the file was received (UTC)
	IngestedAt   time.Time // when the commit holding it was made (UTC)
}

// Key identifies the operator × period a return reports on; later versions
// of the same key supersede earlier ones.
func (r *Return) Key() string { return r.OperatorID + "/" + r.Period.String() }

// Newer reports whether r supersedes o: received later, or at the same
// instant from a file whose name then hash sort later (so the order is total
// and every rerun picks the same version).
func (r *Return) Newer(o *Return) bool {
	if !r.ReceivedAt.Equal(o.ReceivedAt) {
		return r.ReceivedAt.After(o.ReceivedAt)
	}
	if r.SourceName != o.SourceName {
		return r.SourceName > o.SourceName
	}
	if r.SourceSHA256 != o.SourceSHA256 {
		return r.SourceSHA256 > o.SourceSHA256
	}
	return r.Row > o.Row
}

// Severity ranks a problem.
type Severity string

// Severities: an error rejects the file; a warning or info is reported only.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Problem is one thing wrong (or worth saying) about an input file, located
// as precisely as it can be.
type Problem struct {
	File     string // file name as received
	SHA256   string // sha256 of the file's bytes
	Sheet    string // empty when the problem is about the whole file
	Cell     string // A1 reference, empty when about a sheet or file
	Code     string // stable machine code, e.g. "required", "not_a_number"
	Severity Severity
	Found    string // the value found, as written
	Expected string // what was expected (English)
	Message  string // one sentence for a person (English)

	// Column is the canonical column of the cell (e.g. "headcount"), empty
	// when the problem is about a row, a sheet or the file.
	Column string
	// MessageFR and ExpectedFR are Message and Expected in French, the
	// language of the feedback sent to operators by default.
	MessageFR  string
	ExpectedFR string
}

// Text formats the problem like Error, in lang: "fr" (the default when the
// French text is there) or "en".
func (p Problem) Text(lang string) string {
	if lang == "en" || p.MessageFR == "" {
		return p.Error()
	}
	exp := p.ExpectedFR
	if exp == "" {
		exp = p.Expected
	}
	return p.format("feuille", "cellule", " : ", p.MessageFR, exp, " (trouvé « %s », attendu : %s)")
}

// Error formats the problem as file, sheet!cell: message (found …, expected …).
func (p Problem) Error() string {
	return p.format("sheet", "cell", ": ", p.Message, p.Expected, " (found %q, expected %s)")
}

// format writes the location (file, sheet, cell), the message and, when
// there is one, what was found and expected, with one language's words.
func (p Problem) format(sheet, cell, colon, msg, expected, detail string) string {
	s := p.File
	if p.Sheet != "" {
		s += ", " + sheet + " " + p.Sheet
	}
	if p.Cell != "" {
		s += ", " + cell + " " + p.Cell
	}
	s += colon + msg
	if p.Found != "" || expected != "" {
		s += fmt.Sprintf(detail, p.Found, expected)
	}
	return s
}

// Int64 returns a pointer to v, for optional figures.
func Int64(v int64) *int64 { return &v }

// Float64 returns a pointer to v, for optional figures.
func Float64(v float64) *float64 { return &v }
