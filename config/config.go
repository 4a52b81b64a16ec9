package config

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
)

// Files holds the embedded default configuration files.
//
//go:embed offshore.yaml targets.yaml mappings.yaml
var Files embed.FS

// File names of the three configuration files.
const (
	SettingsFile = "offshore.yaml"
	TargetsFile  = "targets.yaml"
	MappingsFile = "mappings.yaml"
)

// Config is the whole configuration of a run.
type Config struct {
	Settings Settings
	Targets  Targets
	Mappings Mappings
	// Dir is the folder relative paths resolve against.
	Dir string
	// Sources names where each part came from ("embedded" or a path), for messages.
	Sources map[string]string
}

// Settings mirrors offshore.yaml.
type Settings struct {
	Paths     Paths             `yaml:"paths"`
	Ingest    IngestSettings    `yaml:"ingest"`
	Warehouse WarehouseSettings `yaml:"warehouse"`
	Forecast  ForecastSettings  `yaml:"forecast"`
	Coverage  CoverageSettings  `yaml:"coverage"`
	Secrecy   SecrecySettings   `yaml:"secrecy"`
	Report    ReportSettings    `yaml:"report"`
	Schedule  ScheduleSettings  `yaml:"schedule"`
	Retention RetentionSettings `yaml:"retention"`
	Alerts    AlertSettings     `yaml:"alerts"`
}

// Paths are the folders of a working folder; relative ones resolve against Config.Dir.
type Paths struct {
	Inbox      string `yaml:"inbox"`
	Warehouse  string `yaml:"warehouse"`
	Quarantine string `yaml:"quarantine"`
	Outbox     string `yaml:"outbox"`
}

// IngestSettings bound what ingest reads and say what it refuses.
type IngestSettings struct {
	MaxFileMB int `yaml:"max_file_mb"`
	MaxRows   int `yaml:"max_rows"`
	// OnError is "reject" (a file with any error is refused whole) or
	// "skip_row" (the good rows of the file are accepted).
	OnError string `yaml:"on_error"`
	// FileTimeout bounds the time spent reading one file.
	FileTimeout time.Duration `yaml:"file_timeout"`
	// Settle is how long an inbox file must have been unchanged (its change
	// time, which any write, truncation or rename moves) before ingest takes
	// it; a file whose change time is after its modification time (renamed
	// into the inbox, or its times set once written) is taken at once. 0
	// takes every file at once (tests, and folders filled by offshore).
	Settle time.Duration `yaml:"settle"`
	// Backfill is set by `ingest --backfill` (and `run --backfill`,
	// `demo`), never by the file: a file counts as received at its own
	// modification time rather than at its arrival in the folder it is
	// read from, for loading an archive of past returns.
	Backfill bool `yaml:"-"`
	// MaxUnzipMB and MaxXMLMB are excelize's limits on a workbook's
	// uncompressed size and on one XML part kept in memory.
	MaxUnzipMB int `yaml:"max_unzip_mb"`
	MaxXMLMB   int `yaml:"max_xml_mb"`
	// HeadcountChangeMax is the relative change of an operator's headcount
	// from its previous accepted quarter above which a warning is raised.
	HeadcountChangeMax float64 `yaml:"headcount_change_max"`
	// ExportPerEmployeeMin and Max bound the plausible export revenue per
	// employee per quarter, MAD; outside them a warning is raised.
	ExportPerEmployeeMin float64 `yaml:"export_per_employee_min"`
	ExportPerEmployeeMax float64 `yaml:"export_per_employee_max"`
	// ImplausibleAmounts is what an export revenue per employee outside
	// that band is, or one a thousand or a million times off the operator's
	// other quarters of the file (a unit left unsaid): "error" (the
	// operator is asked to state the unit) or "warning".
	ImplausibleAmounts string `yaml:"implausible_amounts"`
	// MaxHeadcount bounds a headcount or a number of hires, MaxAmountMAD an
	// amount of one quarter: beyond them no operator could report, and the
	// figure is an error.
	MaxHeadcount int64   `yaml:"max_headcount"`
	MaxAmountMAD float64 `yaml:"max_amount_mad"`
	// FirstPeriod is the first quarter returns are collected for
	// ("2015Q1", the contracts' baseline year): an earlier one is an error.
	FirstPeriod string `yaml:"first_period"`
	// FeedbackMaxCells bounds the cells of the operator's sheets a feedback
	// workbook copies (excelize holds each in memory, up to each row's
	// last column); past it the feedback lists the problems only.
	FeedbackMaxCells int `yaml:"feedback_max_cells"`
}

// WarehouseSettings tune the store.
type WarehouseSettings struct {
	// LockWait is how long a writer waits for another to finish.
	LockWait time.Duration `yaml:"lock_wait"`
	// CarryForward is how many quarters an operator that skipped its return
	// is carried forward (imputed) before it counts as having left.
	CarryForward int `yaml:"carry_forward_quarters"`
	// CompactAfter: past this many Parquet files in a table, the nightly run
	// compacts them.
	CompactAfter int `yaml:"compact_after_files"`
	// ImputeInForecasts makes forecasts and the ministry workbook use the
	// gap-filled series (reported plus carried forward) rather than the
	// reported returns alone.
	ImputeInForecasts bool `yaml:"impute_in_forecasts"`
}

// ForecastSettings choose the model and the status thresholds.
type ForecastSettings struct {
	TargetSet       string  `yaml:"target_set"`
	Model           string  `yaml:"model"`
	MinPoints       int     `yaml:"min_points"`
	FilingDelayDays int     `yaml:"filing_delay_days"`
	OnTrack         float64 `yaml:"on_track"`
	AtRisk          float64 `yaml:"at_risk"`
}

// CoverageSettings say when a quarter's returns are complete enough for the
// quarter to be the official as-of (the quarter the nightly run, report and
// forecast assess when no --as-of is given). Shares are fractions, 0..1.
type CoverageSettings struct {
	// MinOperators is the share of the expected operators (those with a
	// return for the previous quarter) that must have filed.
	MinOperators float64 `yaml:"min_operators"`
	// MinWeight is the share of the previous quarter's headcount the
	// operators that filed must hold.
	MinWeight float64 `yaml:"min_weight"`
	// ImputeAfterDeadline lets a quarter past its filing deadline (quarter
	// end + forecast.filing_delay_days) that misses the two shares become
	// official all the same, its missing operators carried forward, when
	// both reported shares reach MinReportedAfterDeadline.
	ImputeAfterDeadline      bool    `yaml:"impute_after_deadline"`
	MinReportedAfterDeadline float64 `yaml:"min_reported_after_deadline"`
}

// SecrecySettings are the confidentiality rule of every figure published
// (the workbook, the page, the API): a figure built from fewer than
// MinOperators operators, or of which one operator holds more than
// Dominance (a share, 0..1), is hidden, with whatever would let it be
// derived from a total.
type SecrecySettings struct {
	MinOperators int     `yaml:"min_operators"`
	Dominance    float64 `yaml:"dominance"`
}

// ReportSettings shape the ministry workbook.
type ReportSettings struct {
	Lang       string   `yaml:"lang"`
	TargetSets []string `yaml:"target_sets"`
	FilePrefix string   `yaml:"file_prefix"`
	// Mail delivers each new workbook by mail. It changes no figure: it is
	// left out of the nightly run's digest (json "-"), so that changing a
	// recipient does not make the run compute, and send, again.
	Mail MailSettings `yaml:"mail" json:"-"`
}

// Targets mirrors targets.yaml.
type Targets struct {
	Sets []TargetSet `yaml:"sets"`
}

// TargetSet is one family of targets sharing a baseline year and a horizon (years).
type TargetSet struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	BaselineYear int      `yaml:"baseline_year"`
	Horizon      int      `yaml:"horizon"`
	Targets      []Target `yaml:"targets"`
}

// Target is one assessed target. Amounts are in MAD, jobs in persons.
type Target struct {
	ID     string            `yaml:"id"`
	Metric domain.Metric     `yaml:"metric"` // jobs, exports or investment
	Kind   domain.TargetKind `yaml:"kind"`   // increase, level or cumulative
	Sector string            `yaml:"sector"` // ALL or a sector code
	// Baseline is the baseline-year value; nil means: read it from the data.
	Baseline *float64 `yaml:"baseline"`
	Value    float64  `yaml:"value"`
	// From is the first year a cumulative target sums (default: baseline year + 1).
	From  int    `yaml:"from"`
	Label string `yaml:"label"`
}

// quarterRe is a quarter as settings write it: 2015Q1.
var quarterRe = regexp.MustCompile(`^(19|20)[0-9]{2}Q[1-4]$`)

// Mappings mirrors mappings.yaml.
type Mappings struct {
	Columns []Column `yaml:"columns"`
	Sectors []Sector `yaml:"sectors"`
	Regions []Region `yaml:"regions"`
	// Units, Periods and Labels are the words ingest reads beyond the
	// headers: amount units, period spellings, totals rows and labels.
	Units   []Unit      `yaml:"units"`
	Periods PeriodWords `yaml:"periods"`
	Labels  LabelWords  `yaml:"labels"`
	// Matching tunes how headers that no wording lists are read by meaning.
	Matching Matching `yaml:"matching"`
}

// SectorCodes are the sectors' codes in mappings.yaml's order: the one
// list of sectors that ingest accepts and the series, assessments and
// reports show, in that order.
func (m *Mappings) SectorCodes() []string {
	codes := make([]string, len(m.Sectors))
	for i, s := range m.Sectors {
		codes[i] = s.Code
	}
	return codes
}

// Matching tunes the reading of headers by meaning: a header cell is scored
// against each column's terms (0 to 1); see pipeline/ingest's Matcher.
type Matching struct {
	// Accept is the score from which a header is read as a column.
	Accept float64 `yaml:"accept"`
	// Resemble is the score from which a header that is not read is said to
	// resemble a column (a warning at its cell).
	Resemble float64 `yaml:"resemble"`
	// Qualifiers are words that never change what a header means: dates,
	// "déclaré", "de la période", "du site"…
	Qualifiers []string `yaml:"qualifiers"`
	// Stopwords are grammatical words ignored everywhere ("de", "of", "the").
	Stopwords []string `yaml:"stopwords"`
}

// Terms describe a column by meaning, in French, English and Arabic. Each
// entry is a word or a phrase (its words in any order); words are compared
// without case or accents, singular and plural alike.
type Terms struct {
	// Key terms name the column: a header must hold one of them.
	Key []string `yaml:"key"`
	// Weak key terms name it less surely ("date" for the period).
	Weak []string `yaml:"weak"`
	// Related words fit the column without naming it ("chiffre d'affaires"
	// beside "export").
	Related []string `yaml:"related"`
	// Not words say the header is about another figure ("export" for total
	// revenue, "féminin" for the headcount): it is then not read as the column.
	Not []string `yaml:"not"`
}

// Unit is one scale of amounts: the wordings (in a header or in a cell above
// the table) that say amounts are in MAD times Factor.
type Unit struct {
	Factor float64  `yaml:"factor"`
	Words  []string `yaml:"words"`
}

// PeriodWords are the words of period spellings such as "1er trimestre 2016".
type PeriodWords struct {
	// Quarter words name a quarter ("trimestre", "quarter", "T", "Q").
	Quarter []string `yaml:"quarter"`
	// Ordinals[i] are the words of quarter i+1 ("1er", "premier", "first").
	Ordinals [][]string `yaml:"ordinals"`
	// Months[i] are the names of month i+1, full and abbreviated.
	Months [][]string `yaml:"months"`
}

// LabelWords are the words that mark special cells and rows.
type LabelWords struct {
	// Totals start the first cell of a totals row ("Total", "Sous-total").
	Totals []string `yaml:"totals"`
	// Percent marks a header in percent ("%", "pourcentage").
	Percent []string `yaml:"percent"`
	// Declared labels the cell holding the date the return was made.
	Declared []string `yaml:"declared"`
	// Fillers are words ignored when comparing headers ("en", "de", "of").
	Fillers []string `yaml:"fillers"`
}

// Column is one canonical column of a return and the wordings that name it.
type Column struct {
	Name    string   `yaml:"name"`
	FR      string   `yaml:"fr"`
	EN      string   `yaml:"en"`
	Aliases []string `yaml:"aliases"`
	Note    string   `yaml:"note"`
	// Terms let headers no wording lists be read by meaning.
	Terms Terms `yaml:"terms"`
}

// Sector is one filière.
type Sector struct {
	Code    string   `yaml:"code"`
	FR      string   `yaml:"fr"`
	EN      string   `yaml:"en"`
	Aliases []string `yaml:"aliases"`
}

// Region is one of the 12 regions of the 2015 division.
type Region struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	Cities  []string `yaml:"cities"`
}

// Default returns the embedded configuration, with relative paths resolved against dir.
func Default(dir string) (*Config, error) {
	return Load("", dir)
}

// Load reads the configuration. With path empty it uses dir/offshore.yaml when
// that file exists and the embedded defaults otherwise. targets.yaml and
// mappings.yaml are read from beside the settings file when present.
func Load(path, dir string) (*Config, error) {
	c := &Config{Dir: dir, Sources: map[string]string{}}
	if path == "" {
		if p := filepath.Join(dir, SettingsFile); fileExists(p) {
			path = p
		}
	}
	var side string // folder to look for targets.yaml and mappings.yaml in
	if path != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		c.Dir = filepath.Dir(abs)
		side = c.Dir
	}
	parts := []struct {
		name string
		into any
		user string
	}{
		{SettingsFile, &c.Settings, path},
		{TargetsFile, &c.Targets, sidePath(side, TargetsFile)},
		{MappingsFile, &c.Mappings, sidePath(side, MappingsFile)},
	}
	for _, p := range parts {
		def, err := Files.ReadFile(p.name)
		if err != nil {
			return nil, err
		}
		if err := decode(def, p.into, "embedded "+p.name); err != nil {
			return nil, err
		}
		c.Sources[p.name] = "embedded"
		if p.user == "" {
			continue
		}
		b, err := os.ReadFile(p.user)
		if err != nil {
			return nil, fmt.Errorf("reading configuration: %w", err)
		}
		if p.name != SettingsFile {
			// Lists (targets, wordings) are replaced whole, not merged into the defaults.
			reset(p.into)
		}
		if err := decode(b, p.into, p.user); err != nil {
			return nil, err
		}
		c.Sources[p.name] = p.user
	}
	c.resolvePaths()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func sidePath(dir, name string) string {
	if dir == "" {
		return ""
	}
	if p := filepath.Join(dir, name); fileExists(p) {
		return p
	}
	return ""
}

func reset(v any) {
	switch p := v.(type) {
	case *Targets:
		*p = Targets{}
	case *Mappings:
		*p = Mappings{}
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// decode decodes b into v strictly: unknown keys are errors naming key, line and file.
func decode(b []byte, v any, file string) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			msgs := make([]string, len(te.Errors))
			for i, m := range te.Errors {
				msgs[i] = unknownField.ReplaceAllString(m, `unknown key "$1"`)
				if strings.Contains(msgs[i], `unknown key "password"`) {
					msgs[i] += " (the SMTP password is never written in a file: report.mail.password_env names the environment variable that holds it)"
				}
			}
			return fmt.Errorf("configuration %s: %s", file, strings.Join(msgs, "; "))
		}
		return fmt.Errorf("configuration %s: %w", file, err)
	}
	return nil
}

func (c *Config) resolvePaths() {
	for _, p := range []*string{&c.Settings.Paths.Inbox, &c.Settings.Paths.Warehouse, &c.Settings.Paths.Quarantine, &c.Settings.Paths.Outbox} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(c.Dir, *p)
		}
	}
	c.Settings.Report.Mail.resolve(c.Dir)
	for _, p := range []*string{&c.Settings.Schedule.UsersFile, &c.Settings.Schedule.AuditFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(c.Dir, *p)
		}
	}
}

// Limits of the settings that guard against a value that would hurt the data
// or the night: overflow, a job firing every second, a forecast that runs for
// hours.
const (
	maxFileMB  = 4096  // ingest.max_file_mb; shifted into bytes, far from overflowing int64
	maxUnzipMB = 65536 // ingest.max_unzip_mb
	// MinRunInterval and MinIngestInterval are the shortest intervals
	// between two firings of schedule.run and schedule.ingest.
	MinRunInterval    = time.Hour
	MinIngestInterval = 10 * time.Second
	// MaxHorizonYears is how far past the baseline year (and past the data)
	// a target's horizon, or a forecast, may reach.
	MaxHorizonYears = 50
)

// Validate checks values the YAML types cannot, naming the key and the bad value.
func (c *Config) Validate() error {
	var errs []error
	bad := func(file, key string, val any, want string) {
		errs = append(errs, fmt.Errorf("configuration %s: %s is %v; want %s", c.Sources[file], key, val, want))
	}
	s := c.Settings
	for key, v := range map[string]string{"paths.inbox": s.Paths.Inbox, "paths.warehouse": s.Paths.Warehouse, "paths.quarantine": s.Paths.Quarantine, "paths.outbox": s.Paths.Outbox} {
		if v == "" {
			bad(SettingsFile, key, `""`, "a folder")
		}
	}
	errs = append(errs, c.overlaps()...)
	if s.Ingest.MaxFileMB <= 0 || s.Ingest.MaxFileMB > maxFileMB {
		bad(SettingsFile, "ingest.max_file_mb", s.Ingest.MaxFileMB, fmt.Sprintf("a number of megabytes in 1..%d", maxFileMB))
	}
	if s.Ingest.MaxRows <= 0 || s.Ingest.MaxRows > 1e8 {
		bad(SettingsFile, "ingest.max_rows", s.Ingest.MaxRows, "a number of rows in 1..100000000")
	}
	if s.Ingest.OnError != "reject" && s.Ingest.OnError != "skip_row" {
		bad(SettingsFile, "ingest.on_error", s.Ingest.OnError, "reject or skip_row")
	}
	if s.Ingest.FileTimeout <= 0 || s.Ingest.FileTimeout > time.Hour {
		bad(SettingsFile, "ingest.file_timeout", s.Ingest.FileTimeout, "a positive duration up to 1h, such as 10s")
	}
	if s.Ingest.Settle < 0 || s.Ingest.Settle > 24*time.Hour {
		bad(SettingsFile, "ingest.settle", s.Ingest.Settle, "0 (take files at once) up to 24h, such as 30s")
	}
	if s.Ingest.MaxUnzipMB <= 0 || s.Ingest.MaxXMLMB <= 0 || s.Ingest.MaxXMLMB > s.Ingest.MaxUnzipMB || s.Ingest.MaxUnzipMB > maxUnzipMB {
		bad(SettingsFile, "ingest.max_unzip_mb/max_xml_mb", fmt.Sprintf("%d/%d", s.Ingest.MaxUnzipMB, s.Ingest.MaxXMLMB), fmt.Sprintf("positive, with max_xml_mb ≤ max_unzip_mb ≤ %d", maxUnzipMB))
	}
	if s.Ingest.FeedbackMaxCells <= 0 || s.Ingest.FeedbackMaxCells > 1e8 {
		bad(SettingsFile, "ingest.feedback_max_cells", s.Ingest.FeedbackMaxCells, "a number of cells in 1..100000000")
	}
	if !(s.Ingest.HeadcountChangeMax > 0 && s.Ingest.HeadcountChangeMax <= 100) {
		bad(SettingsFile, "ingest.headcount_change_max", s.Ingest.HeadcountChangeMax, "a positive fraction such as 0.5, at most 100")
	}
	if !quarterRe.MatchString(s.Ingest.FirstPeriod) {
		bad(SettingsFile, "ingest.first_period", s.Ingest.FirstPeriod, "a quarter such as 2015Q1")
	}
	if s.Ingest.ImplausibleAmounts != "error" && s.Ingest.ImplausibleAmounts != "warning" {
		bad(SettingsFile, "ingest.implausible_amounts", s.Ingest.ImplausibleAmounts, "error or warning")
	}
	if s.Ingest.MaxHeadcount <= 0 || s.Ingest.MaxHeadcount > 1e9 {
		bad(SettingsFile, "ingest.max_headcount", s.Ingest.MaxHeadcount, "a number in 1..1000000000")
	}
	if !(s.Ingest.MaxAmountMAD > 0 && s.Ingest.MaxAmountMAD <= 1e15) {
		bad(SettingsFile, "ingest.max_amount_mad", s.Ingest.MaxAmountMAD, "an amount in MAD above 0, at most 1e15")
	}
	if !(s.Ingest.ExportPerEmployeeMin >= 0 && s.Ingest.ExportPerEmployeeMax > s.Ingest.ExportPerEmployeeMin && s.Ingest.ExportPerEmployeeMax <= 1e15) {
		bad(SettingsFile, "ingest.export_per_employee_min/max", fmt.Sprintf("%v/%v", s.Ingest.ExportPerEmployeeMin, s.Ingest.ExportPerEmployeeMax), "0 ≤ min < max ≤ 1e15")
	}
	if s.Warehouse.LockWait < 0 || s.Warehouse.LockWait > 24*time.Hour {
		bad(SettingsFile, "warehouse.lock_wait", s.Warehouse.LockWait, "0 or a positive duration up to 24h")
	}
	if s.Warehouse.CarryForward < 0 || s.Warehouse.CarryForward > 40 {
		bad(SettingsFile, "warehouse.carry_forward_quarters", s.Warehouse.CarryForward, "0 to 40 quarters")
	}
	if s.Warehouse.CompactAfter < 2 || s.Warehouse.CompactAfter > 1e6 {
		bad(SettingsFile, "warehouse.compact_after_files", s.Warehouse.CompactAfter, "2 to 1000000 files")
	}
	if s.Forecast.MinPoints < 3 || s.Forecast.MinPoints > 400 {
		bad(SettingsFile, "forecast.min_points", s.Forecast.MinPoints, "3 to 400 quarters")
	}
	if s.Forecast.FilingDelayDays < 0 || s.Forecast.FilingDelayDays > 366 {
		bad(SettingsFile, "forecast.filing_delay_days", s.Forecast.FilingDelayDays, "0 to 366 days")
	}
	if !(0 < s.Forecast.AtRisk && s.Forecast.AtRisk < s.Forecast.OnTrack && s.Forecast.OnTrack < 1) {
		bad(SettingsFile, "forecast.on_track/at_risk", fmt.Sprintf("%v/%v", s.Forecast.OnTrack, s.Forecast.AtRisk), "0 < at_risk < on_track < 1")
	}
	if !slices.Contains(forecast.ModelNames(), s.Forecast.Model) {
		bad(SettingsFile, "forecast.model", fmt.Sprintf("%q", s.Forecast.Model), "one of "+strings.Join(forecast.ModelNames(), ", "))
	}
	for _, c := range []struct {
		key string
		v   float64
	}{{"coverage.min_operators", s.Coverage.MinOperators}, {"coverage.min_weight", s.Coverage.MinWeight},
		{"coverage.min_reported_after_deadline", s.Coverage.MinReportedAfterDeadline}} {
		if !(0 < c.v && c.v <= 1) {
			bad(SettingsFile, c.key, c.v, "a share in (0, 1], such as 0.9")
		}
	}
	if s.Secrecy.MinOperators < 1 {
		bad(SettingsFile, "secrecy.min_operators", s.Secrecy.MinOperators, "at least 1 operator (3 is the usual rule)")
	}
	if !(0.5 <= s.Secrecy.Dominance && s.Secrecy.Dominance <= 1) {
		bad(SettingsFile, "secrecy.dominance", s.Secrecy.Dominance, "a share in [0.5, 1], such as 0.85 (1: no dominance rule)")
	}
	s.Report.Mail.validate(func(key string, val any, want string) { bad(SettingsFile, key, val, want) })
	s.Retention.validate(func(key string, val any, want string) { bad(SettingsFile, key, val, want) })
	s.Alerts.validate(func(key string, val any, want string) { bad(SettingsFile, key, val, want) })
	if s.Report.Lang != "fr" && s.Report.Lang != "en" {
		bad(SettingsFile, "report.lang", s.Report.Lang, "fr or en")
	}
	if p := s.Report.FilePrefix; p == "" || p != filepath.Base(p) || strings.ContainsAny(p, `/\:*?"<>|`) || strings.HasPrefix(p, ".") || strings.ContainsFunc(p, unicode.IsControl) || len(p) > 100 {
		bad(SettingsFile, "report.file_prefix", fmt.Sprintf("%q", p), "a plain file name prefix such as Synthese_offshoring (no folder, no / \\ : * ? \" < > |, not starting with a dot)")
	}
	if len(s.Report.TargetSets) == 0 {
		bad(SettingsFile, "report.target_sets", "[]", "at least one set id of "+c.Sources[TargetsFile])
	}
	if loc, err := s.Schedule.Location(); err != nil {
		bad(SettingsFile, "schedule.time_zone", fmt.Sprintf("%q", s.Schedule.TimeZone), "an IANA time zone such as Africa/Casablanca")
	} else {
		if sched, err := ParseCron(s.Schedule.Run, loc); err != nil {
			bad(SettingsFile, "schedule.run", fmt.Sprintf("%q", s.Schedule.Run), fmt.Sprintf("a cron spec such as \"30 3 * * *\": %v", err))
		} else if err := atMostEvery(s.Schedule.Run, sched, loc, MinRunInterval); err != nil {
			bad(SettingsFile, "schedule.run", fmt.Sprintf("%q", s.Schedule.Run), fmt.Sprintf("a cron spec such as \"30 3 * * *\": %v", err))
		}
		if s.Schedule.Ingest != "" {
			sched, err := ParseCron(s.Schedule.Ingest, loc)
			if err == nil {
				err = atMostEvery(s.Schedule.Ingest, sched, loc, MinIngestInterval)
			}
			if err != nil {
				bad(SettingsFile, "schedule.ingest", fmt.Sprintf("%q", s.Schedule.Ingest), fmt.Sprintf("a cron spec such as \"0 * * * *\", or \"\" for none: %v", err))
			}
		}
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"schedule.run_timeout", s.Schedule.RunTimeout}, {"schedule.ingest_timeout", s.Schedule.IngestTimeout},
		{"schedule.forecast_timeout", s.Schedule.ForecastTimeout}, {"schedule.grace", s.Schedule.Grace}} {
		if d.v <= 0 || d.v > 7*24*time.Hour {
			bad(SettingsFile, d.key, d.v, "a positive duration up to 168h, such as 10m")
		}
	}
	if s.Schedule.Listen == "" {
		bad(SettingsFile, "schedule.listen", `""`, "a host:port such as 127.0.0.1:8080")
	}
	s.Schedule.validateAccess(func(key string, val any, want string) { bad(SettingsFile, key, val, want) })
	if c.TargetSet(s.Forecast.TargetSet) == nil {
		bad(SettingsFile, "forecast.target_set", s.Forecast.TargetSet, "a set id of "+c.Sources[TargetsFile])
	}
	for i, id := range s.Report.TargetSets {
		switch {
		case c.TargetSet(id) == nil:
			bad(SettingsFile, "report.target_sets", id, "a set id of "+c.Sources[TargetsFile])
		case slices.Contains(s.Report.TargetSets[:i], id):
			bad(SettingsFile, "report.target_sets", id, "each set once (it is listed twice)")
		}
	}
	sectors := append([]string{domain.National}, c.Mappings.SectorCodes()...)
	seen := map[string]bool{}
	for i, set := range c.Targets.Sets {
		key := fmt.Sprintf("sets[%d]", i)
		if set.ID == "" || seen[set.ID] {
			bad(TargetsFile, key+".id", fmt.Sprintf("%q", set.ID), "a unique, non-empty id")
		}
		seen[set.ID] = true
		if set.BaselineYear < 1990 || set.BaselineYear > 2100 {
			bad(TargetsFile, key+".baseline_year", set.BaselineYear, "a year in 1990..2100")
		}
		if set.Horizon <= set.BaselineYear || set.Horizon > set.BaselineYear+MaxHorizonYears {
			bad(TargetsFile, key+".horizon", set.Horizon, fmt.Sprintf("a year after baseline_year %d, at most %d years after it", set.BaselineYear, MaxHorizonYears))
		}
		for j, t := range set.Targets {
			tk := fmt.Sprintf("%s.targets[%d]", key, j)
			if t.ID == "" || seen[set.ID+"/"+t.ID] {
				bad(TargetsFile, tk+".id", fmt.Sprintf("%q", t.ID), "a unique, non-empty id")
			}
			seen[set.ID+"/"+t.ID] = true
			if !slices.Contains([]domain.Metric{domain.MetricJobs, domain.MetricExports, domain.MetricInvestment}, t.Metric) {
				bad(TargetsFile, tk+".metric", t.Metric, "jobs, exports or investment")
			}
			if !slices.Contains([]domain.TargetKind{domain.KindIncrease, domain.KindLevel, domain.KindCumulative}, t.Kind) {
				bad(TargetsFile, tk+".kind", t.Kind, "increase, level or cumulative")
			}
			if !slices.Contains(sectors, t.Sector) {
				bad(TargetsFile, tk+".sector", t.Sector, fmt.Sprintf("one of %v", sectors))
			}
			if !(t.Value > 0 && t.Value <= 1e15) {
				bad(TargetsFile, tk+".value", t.Value, "a positive, finite number (at most 1e15)")
			}
			if t.Baseline != nil && !(*t.Baseline > 0 && *t.Baseline <= 1e15) {
				bad(TargetsFile, tk+".baseline", *t.Baseline, "a positive, finite number (at most 1e15), or no baseline to read it from the data")
			}
			if t.Kind == domain.KindCumulative && t.From != 0 && (t.From <= set.BaselineYear || t.From > set.Horizon) {
				bad(TargetsFile, tk+".from", t.From, fmt.Sprintf("a year in %d..%d", set.BaselineYear+1, set.Horizon))
			}
		}
	}
	cols := map[string]bool{}
	for _, col := range c.Mappings.Columns {
		cols[col.Name] = true
	}
	for _, want := range []string{"operator_id", "operator_name", "sector", "region", "period", "headcount", "hires", "hires_youth", "hires_disabled", "export_revenue_mad", "total_revenue_mad", "investment_mad"} {
		if !cols[want] {
			bad(MappingsFile, "columns", "missing "+want, "every canonical column")
		}
	}
	if len(c.Mappings.Sectors) == 0 || len(c.Mappings.Regions) == 0 {
		bad(MappingsFile, "sectors/regions", "empty", "at least one entry each")
	}
	return errors.Join(errs...)
}

// overlaps refuses paths that contain one another or the configuration:
// ingest removes what it takes from the inbox, so an inbox that is the
// working folder, or holds the warehouse, the quarantine or the outbox,
// would remove them (issue 13: paths.inbox: . deleted the configuration,
// the outbox and the warehouse).
func (c *Config) overlaps() []error {
	type folder struct{ key, path string }
	p := c.Settings.Paths
	folders := []folder{{"paths.inbox", p.Inbox}, {"paths.warehouse", p.Warehouse}, {"paths.quarantine", p.Quarantine}, {"paths.outbox", p.Outbox}}
	var errs []error
	for i, a := range folders {
		if a.path == "" {
			continue
		}
		for _, b := range folders[i+1:] {
			if b.path == "" {
				continue
			}
			if within(a.path, b.path) || within(b.path, a.path) {
				errs = append(errs, fmt.Errorf("configuration %s: %s (%s) and %s (%s) overlap; want separate folders, neither inside the other",
					c.Sources[SettingsFile], a.key, a.path, b.key, b.path))
			}
		}
		for _, name := range []string{SettingsFile, TargetsFile, MappingsFile} {
			if f := c.Sources[name]; f != "" && f != "embedded" && within(f, a.path) {
				errs = append(errs, fmt.Errorf("configuration %s: %s (%s) holds the configuration file %s; want a folder of its own",
					c.Sources[SettingsFile], a.key, a.path, f))
			}
		}
	}
	return errs
}

// within reports whether path is dir or inside it, comparing cleaned
// absolute paths with symbolic links resolved where they exist.
func within(path, dir string) bool {
	path, dir = RealPath(path), RealPath(dir)
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// RealPath is path made absolute and clean, with the symbolic links of its
// longest existing prefix resolved: two names of one file give one
// RealPath, whether or not the file exists yet.
func RealPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(p) == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// atMostEvery fails when sched fires more often than every min: an
// @every of zero or a negative duration (which robfig/cron runs every
// second), or fields firing every second or minute.
func atMostEvery(spec string, sched cron.Schedule, loc *time.Location, min time.Duration) error {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(spec), "@every"); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil || d <= 0 {
			return fmt.Errorf("@every takes a positive duration")
		}
		if d < min {
			return fmt.Errorf("it fires every %s; at most once every %s", d, min)
		}
		return nil
	}
	t := sched.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
	for range 200 {
		n := sched.Next(t)
		if n.IsZero() {
			return nil
		}
		if n.Sub(t) < min {
			return fmt.Errorf("it fires %s apart (%s, then %s); at most once every %s", n.Sub(t), t.Format(time.DateTime), n.Format(time.DateTime), min)
		}
		t = n
	}
	return nil
}

// TargetSet returns the set with that id, or nil.
func (c *Config) TargetSet(id string) *TargetSet {
	for i := range c.Targets.Sets {
		if c.Targets.Sets[i].ID == id {
			return &c.Targets.Sets[i]
		}
	}
	return nil
}

// ErrInvalid matches (errors.Is) Init's error when the configuration files
// in the folder do not load: a person must fix them.
var ErrInvalid = errors.New("invalid configuration")

// invalid is a Load error found by Init: its text unchanged, matching
// ErrInvalid.
type invalid struct{ error }

func (invalid) Is(target error) bool { return target == ErrInvalid }
func (e invalid) Unwrap() error      { return e.error }

// Init makes dir a working folder: it writes the embedded configuration
// files that are not there yet (WriteDefaults), loads them, and creates
// the folders they name (inbox, warehouse, quarantine, outbox). It returns
// the files written; an error matching ErrInvalid when the files already
// there do not load.
func Init(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	written, err := WriteDefaults(dir)
	if err != nil {
		return nil, err
	}
	cfg, err := Load("", dir)
	if err != nil {
		return written, invalid{err}
	}
	p := cfg.Settings.Paths
	for _, d := range []string{p.Inbox, p.Warehouse, p.Quarantine, p.Outbox} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return written, err
		}
	}
	return written, nil
}

// WriteDefaults writes the embedded files into dir, never overwriting an
// existing file; it returns the paths written.
func WriteDefaults(dir string) ([]string, error) {
	var written []string
	err := fs.WalkDir(Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dst := filepath.Join(dir, p)
		if fileExists(dst) {
			return nil
		}
		b, err := Files.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
		written = append(written, dst)
		return nil
	})
	return written, err
}
