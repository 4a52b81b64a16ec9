package synth

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/template"
)

func mappings(t testing.TB) *config.Mappings {
	t.Helper()
	c, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &c.Mappings
}

// latest keeps, per operator × period, the return of the file received last,
// as the warehouse does.
func latest(files []File) map[string]domain.Return {
	out := map[string]domain.Return{}
	for _, f := range files {
		for _, r := range f.Rows {
			if o, ok := out[r.Key()]; !ok || r.Newer(&o) {
				out[r.Key()] = r
			}
		}
	}
	return out
}

// totals sums the latest returns per period: jobs (headcount), exports and
// investment, nationally and for one sector's jobs.
type totals struct {
	jobs, exports, invest, crmJobs map[domain.Period]float64
}

func sum(files []File) totals {
	t := totals{map[domain.Period]float64{}, map[domain.Period]float64{}, map[domain.Period]float64{}, map[domain.Period]float64{}}
	for _, r := range latest(files) {
		t.jobs[r.Period] += float64(r.Headcount)
		t.exports[r.Period] += r.ExportRevenueMAD
		if r.InvestmentMAD != nil {
			t.invest[r.Period] += *r.InvestmentMAD
		}
		if r.Sector == "CRM" {
			t.crmJobs[r.Period] += float64(r.Headcount)
		}
	}
	return t
}

func year(m map[domain.Period]float64, y int) float64 {
	var s float64
	for q := 1; q <= 4; q++ {
		s += m[domain.NewPeriod(y, q)]
	}
	return s
}

// trend fits v = a + b·p by least squares over from..to and returns the fit.
func trend(m map[domain.Period]float64, from, to domain.Period) func(domain.Period) float64 {
	var n, sx, sy, sxx, sxy float64
	for p := from; p <= to; p++ {
		x, y := float64(p-from), m[p]
		n++
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	b := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a := (sy - b*sx) / n
	return func(p domain.Period) float64 { return a + b*float64(p-from) }
}

func TestGenerateDefault(t *testing.T) {
	m := mappings(t)
	start := time.Now()
	files, err := Generate(m, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files in %v", len(files), time.Since(start))
	o := DefaultOptions()
	tot := sum(files)

	jobs2015, exports2015 := tot.jobs[domain.YearEnd(2015)], year(tot.exports, 2015)
	t.Logf("2015: jobs at 2015Q4 %.0f (target baseline 63,000), exports %.3f bn MAD (baseline 8 bn)", jobs2015, exports2015/1e9)
	t.Logf("year   jobs(Q4)  CRM jobs(Q4)  exports(bn MAD)  investment(bn MAD)")
	for y := o.From.Year(); y <= o.To.Year(); y++ {
		t.Logf("%d  %9.0f  %12.0f  %15.3f  %18.3f", y, tot.jobs[domain.YearEnd(y)], tot.crmJobs[domain.YearEnd(y)], year(tot.exports, y)/1e9, year(tot.invest, y)/1e9)
	}
	// What a linear trend over the quarters says of 2020.
	end := domain.YearEnd(2020)
	jobs2020 := trend(tot.jobs, o.From, o.To)(end)
	crm2020 := trend(tot.crmJobs, o.From, o.To)(end)
	fx := trend(tot.exports, o.From, o.To)
	fi := trend(tot.invest, o.From, o.To)
	var exports2020, invest float64
	for q := 1; q <= 4; q++ {
		exports2020 += fx(domain.NewPeriod(2020, q))
	}
	for p := domain.NewPeriod(2016, 1); p <= end; p++ {
		if p <= o.To {
			invest += tot.invest[p]
		} else {
			invest += fi(p)
		}
	}
	crm2015 := tot.crmJobs[domain.YearEnd(2015)]
	t.Logf("linear trend to 2020: jobs %.0f (target 123,000), CRM +%.0f (target +15,000; +%.0f by 2018Q4), exports 2020 %.2f bn (target 26), investment 2016-2020 %.3f bn (target 1.5)",
		jobs2020, crm2020-crm2015, tot.crmJobs[o.To]-crm2015, exports2020/1e9, invest/1e9)

	// Sector mix at the baseline.
	jobsBy, exportsBy := map[string]float64{}, map[string]float64{}
	for _, r := range latest(files) {
		if r.Period == domain.YearEnd(2015) {
			jobsBy[r.Sector] += float64(r.Headcount)
		}
		if r.Period.Year() == 2015 {
			exportsBy[r.Sector] += r.ExportRevenueMAD
		}
	}
	var mix []string
	for _, s := range fiveSectors {
		mix = append(mix, fmt.Sprintf("%s %.0f %% of jobs, %.0f %% of exports", s, 100*jobsBy[s]/jobs2015, 100*exportsBy[s]/exports2015))
	}
	t.Logf("2015 mix: %s", strings.Join(mix, "; "))
	if share := jobsBy["CRM"] / jobs2015; share < 0.55 || share > 0.62 {
		t.Errorf("CRM holds %.0f %% of 2015 jobs, want 55-60 %%", 100*share)
	}

	if math.Abs(jobs2015/63000-1) > 0.05 {
		t.Errorf("jobs at 2015Q4 = %.0f, want 63,000 ± 5 %%", jobs2015)
	}
	if math.Abs(exports2015/8e9-1) > 0.05 {
		t.Errorf("exports 2015 = %.0f MAD, want 8 bn ± 5 %%", exports2015)
	}
	// The statuses the demo is meant to show.
	if jobs2020 < 110000 || jobs2020 > 135000 {
		t.Errorf("trend of jobs to 2020 = %.0f, want near 123,000", jobs2020)
	}
	if exports2020 > 20e9 {
		t.Errorf("trend of exports 2020 = %.0f, want well below 26 bn", exports2020)
	}
	if invest < 1.25e9 || invest > 1.6e9 {
		t.Errorf("investment 2016-2020 by trend = %.0f, want near 1.5 bn", invest)
	}
	if crm2020-crm2015 < 15000 || tot.crmJobs[o.To]-crm2015 >= 15000 {
		t.Errorf("CRM jobs: +%.0f by %s, +%.0f by trend in 2020; want below +15,000 now and above by 2020", tot.crmJobs[o.To]-crm2015, o.To, crm2020-crm2015)
	}
	// Seasonality: Q4 above Q3 nationally each year.
	for y := o.From.Year(); y <= o.To.Year(); y++ {
		if tot.exports[domain.NewPeriod(y, 4)] <= tot.exports[domain.NewPeriod(y, 3)] {
			t.Errorf("exports %dQ4 not above %dQ3", y, y)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	m := mappings(t)
	tests := []Options{DefaultOptions(), {}, {Operators: 30, Seed: 7, Lang: "en", From: domain.NewPeriod(2016, 2), To: domain.NewPeriod(2019, 1)}}
	for _, o := range tests {
		a, err := Generate(m, o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Generate(m, o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%+v: two calls differ", o)
		}
	}
	a, _ := Generate(m, Options{Seed: 1})
	b, _ := Generate(m, Options{Seed: 2})
	if reflect.DeepEqual(a, b) {
		t.Error("seeds 1 and 2 give the same files")
	}
}

var (
	iceRE  = regexp.MustCompile(`^[0-9]{15}$`)
	safeRE = regexp.MustCompile(`^[A-Za-z0-9 ._()-]+\.xlsx$`)
	corrRE = regexp.MustCompile(`(?i)corr|rectif`)
)

func TestGenerateRules(t *testing.T) {
	m := mappings(t)
	tests := []struct {
		name string
		opts Options
		// typical: the workload is big enough for the shares (corrections,
		// entries, exits, heavy tail) to be asserted.
		typical bool
	}{
		{"default", DefaultOptions(), true},
		{"seed 2, english", Options{Seed: 2, Lang: "en"}, true},
		{"one operator", Options{Operators: 1}, false},
		{"three operators, one quarter", Options{Operators: 3, From: domain.NewPeriod(2017, 2), To: domain.NewPeriod(2017, 2)}, false},
		{"without 2015", Options{Operators: 40, From: domain.NewPeriod(2019, 1), To: domain.NewPeriod(2020, 4)}, false},
		{"long range", Options{Operators: 40, From: domain.NewPeriod(2010, 1), To: domain.NewPeriod(2025, 4)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Generate(m, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkRules(t, m, tt.opts.withDefaults(), files, tt.typical)
		})
	}
}

// checkRules checks every file and row of one workload against the rules;
// with typical, also the shares a workload of that size should show.
func checkRules(t *testing.T, m *config.Mappings, o Options, files []File, typical bool) {
	t.Helper()
	sectors, regions := map[string]bool{}, map[string]bool{}
	for _, s := range m.Sectors {
		sectors[s.Code] = true
	}
	for _, r := range m.Regions {
		regions[r.Name] = true
	}
	names := map[string]bool{}
	byKey := map[string][]File{}
	var late, corrections int
	for i, f := range files {
		if len(f.Rows) != 1 {
			t.Fatalf("%s: %d rows, want 1", f.Name, len(f.Rows))
		}
		if i > 0 && f.ReceivedAt.Before(files[i-1].ReceivedAt) {
			t.Errorf("%s: files not ordered by ReceivedAt", f.Name)
		}
		low := strings.ToLower(f.Name)
		if names[low] {
			t.Errorf("file name %q used twice", f.Name)
		}
		names[low] = true
		if !safeRE.MatchString(f.Name) || len(f.Name) > 120 {
			t.Errorf("file name %q is not file-system safe", f.Name)
		}
		r := f.Rows[0]
		where := f.Name
		if !iceRE.MatchString(r.OperatorID) {
			t.Errorf("%s: ICE %q, want 15 digits", where, r.OperatorID)
		}
		if r.OperatorName == "" || !sectors[r.Sector] || !regions[r.Region] {
			t.Errorf("%s: name %q sector %q region %q", where, r.OperatorName, r.Sector, r.Region)
		}
		if r.Period < o.From || r.Period > o.To {
			t.Errorf("%s: period %s outside %s..%s", where, r.Period, o.From, o.To)
		}
		if r.Headcount < 0 || r.ExportRevenueMAD < 0 || math.IsInf(r.ExportRevenueMAD, 0) || math.IsNaN(r.ExportRevenueMAD) {
			t.Errorf("%s: headcount %d exports %f", where, r.Headcount, r.ExportRevenueMAD)
		}
		if r.Hires != nil && (*r.Hires < 0 || r.HiresYouth != nil && (*r.HiresYouth < 0 || *r.HiresYouth > *r.Hires) || r.HiresDisabled != nil && (*r.HiresDisabled < 0 || *r.HiresDisabled > *r.Hires)) {
			t.Errorf("%s: hires %d youth %v disabled %v", where, *r.Hires, r.HiresYouth, r.HiresDisabled)
		}
		if r.Hires == nil && (r.HiresYouth != nil || r.HiresDisabled != nil) {
			t.Errorf("%s: youth or disabled hires without hires", where)
		}
		if r.TotalRevenueMAD != nil && *r.TotalRevenueMAD < r.ExportRevenueMAD {
			t.Errorf("%s: total revenue %f < exports %f", where, *r.TotalRevenueMAD, r.ExportRevenueMAD)
		}
		if r.InvestmentMAD != nil && *r.InvestmentMAD < 0 {
			t.Errorf("%s: investment %f", where, *r.InvestmentMAD)
		}
		if r.SourceName != f.Name || !r.ReceivedAt.Equal(f.ReceivedAt) || r.Row != 2 || r.Sheet != template.SheetName(o.Lang) {
			t.Errorf("%s: lineage %q %v %q %d", where, r.SourceName, r.ReceivedAt, r.Sheet, r.Row)
		}
		delay := f.ReceivedAt.Sub(r.Period.End())
		if delay < 10*24*time.Hour {
			t.Errorf("%s: received %v, %v after the quarter's end", where, f.ReceivedAt, delay)
		}
		if delay > 50*24*time.Hour {
			late++
		}
		if corrRE.MatchString(f.Name) {
			corrections++
		}
		byKey[r.Key()] = append(byKey[r.Key()], f)
	}
	// Corrections: a second file, received later, named as such, slightly different.
	var twice int
	for key, fs := range byKey {
		switch len(fs) {
		case 1:
			if corrRE.MatchString(fs[0].Name) {
				t.Errorf("%s: %q is named a correction but corrects nothing", key, fs[0].Name)
			}
		case 2:
			twice++
			orig, corr := fs[0], fs[1]
			if !corr.ReceivedAt.After(orig.ReceivedAt) || !corrRE.MatchString(corr.Name) || corrRE.MatchString(orig.Name) {
				t.Errorf("%s: original %q at %v, correction %q at %v", key, orig.Name, orig.ReceivedAt, corr.Name, corr.ReceivedAt)
			}
			a, b := orig.Rows[0], corr.Rows[0]
			a.SourceName, a.ReceivedAt = b.SourceName, b.ReceivedAt
			if reflect.DeepEqual(a, b) {
				t.Errorf("%s: the correction has the same figures", key)
			}
		default:
			t.Errorf("%s: %d files", key, len(fs))
		}
	}
	share := float64(twice) / float64(len(byKey))
	t.Logf("%d files, %d operator-quarters, %d corrected (%.1f %%), %d received over 50 days late (%.1f %%)",
		len(files), len(byKey), twice, 100*share, late, 100*float64(late)/float64(len(files)))
	if corrections != twice {
		t.Errorf("%d files named as corrections, %d corrections", corrections, twice)
	}
	if typical && (share < 0.01 || share > 0.05) {
		t.Errorf("%d corrections (%d named so) of %d returns; want about 2-3 %%", twice, corrections, len(byKey))
	}
	if typical && late == 0 {
		t.Error("no late return")
	}

	// Orders of magnitude: 2015's 8 bn MAD over 63,000 jobs is about 32,000
	// MAD of exports per job and quarter.
	var jobs, exports float64
	for _, r := range latest(files) {
		jobs += float64(r.Headcount)
		exports += r.ExportRevenueMAD
	}
	if perJob := exports / jobs; perJob < 10e3 || perJob > 100e3 {
		t.Errorf("exports per job and quarter %.0f MAD, want about 32,000", perJob)
	}

	// Per operator: hires cover the net jobs created, fixed traits, entries and exits.
	type op struct {
		first, last domain.Period
		max         int64
		seen        map[domain.Period]domain.Return
		traits      [4]string
	}
	ops := map[string]*op{}
	for _, r := range latest(files) {
		x := ops[r.OperatorID]
		if x == nil {
			x = &op{first: r.Period, last: r.Period, seen: map[domain.Period]domain.Return{}, traits: [4]string{r.OperatorName, r.Sector, r.Region}}
			ops[r.OperatorID] = x
		}
		if x.traits != [4]string{r.OperatorName, r.Sector, r.Region} {
			t.Errorf("operator %s changes name, sector or region", r.OperatorID)
		}
		x.first, x.last = min(x.first, r.Period), max(x.last, r.Period)
		x.max = max(x.max, r.Headcount)
		x.seen[r.Period] = r
	}
	if len(ops) != o.Operators {
		t.Errorf("%d operators, want %d", len(ops), o.Operators)
	}
	var entering, leaving int
	var sizes []int64
	for id, x := range ops {
		if x.first > o.From {
			entering++
		}
		if x.last < o.To {
			leaving++
		}
		if int(x.last-x.first+1) != len(x.seen) {
			t.Errorf("operator %s: %d returns over %s..%s", id, len(x.seen), x.first, x.last)
		}
		sizes = append(sizes, x.max)
		for p := x.first + 1; p <= x.last; p++ {
			r, prev := x.seen[p], x.seen[p-1]
			if r.Hires != nil && *r.Hires < max(0, r.Headcount-prev.Headcount) {
				t.Errorf("operator %s %s: hires %d < jobs created %d", id, p, *r.Hires, r.Headcount-prev.Headcount)
			}
		}
	}
	slices.Sort(sizes)
	median, largest := sizes[len(sizes)/2], sizes[len(sizes)-1]
	q := func(x float64) int64 { return sizes[int(x*float64(len(sizes)-1))] }
	t.Logf("operators: %d entering, %d leaving; largest headcount per operator: max %d, p90 %d, p75 %d, median %d, p25 %d, p10 %d",
		entering, leaving, largest, q(0.9), q(0.75), median, q(0.25), q(0.1))
	if !typical {
		return
	}
	if entering == 0 || leaving == 0 {
		t.Errorf("%d entering and %d leaving operators; want some of each", entering, leaving)
	}
	if largest <= 20*median {
		t.Errorf("largest operator %d, median %d: want a heavy tail (> 20×)", largest, median)
	}
}

func TestGenerateErrors(t *testing.T) {
	m := mappings(t)
	noCRM := *m
	noCRM.Sectors = noCRM.Sectors[1:]
	tests := []struct {
		name string
		m    *config.Mappings
		opts Options
		want string
	}{
		{"periods", m, Options{From: domain.NewPeriod(2018, 1), To: domain.NewPeriod(2017, 1)}, "first is after the last"},
		{"operators", m, Options{Operators: -1}, "operators"},
		{"language", m, Options{Lang: "ar"}, `language "ar"`},
		{"sector", &noCRM, Options{}, `no sector "CRM"`},
		{"mappings", nil, Options{}, "no mappings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(tt.m, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestWriteDir(t *testing.T) {
	m := mappings(t)
	opts := Options{Operators: 6, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 4), Seed: 3}
	files, err := Generate(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	dirA, dirB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	pa, err := WriteDir(context.Background(), dirA, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := WriteDir(context.Background(), dirB, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(pa) != len(files) || len(pb) != len(files) {
		t.Fatalf("wrote %d and %d files, want %d", len(pa), len(pb), len(files))
	}
	entries, _ := os.ReadDir(dirA)
	if len(entries) != len(files) {
		t.Errorf("%d entries in the folder, want %d (no temporary file left)", len(entries), len(files))
	}
	for i, f := range files {
		if filepath.Base(pa[i]) != f.Name {
			t.Fatalf("path %s for file %s", pa[i], f.Name)
		}
		a, err := os.ReadFile(pa[i])
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(pb[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: bytes differ between two writes", f.Name)
		}
		st, _ := os.Stat(pa[i])
		if !st.ModTime().Equal(f.ReceivedAt) {
			t.Errorf("%s: modification time %v, want %v", f.Name, st.ModTime(), f.ReceivedAt)
		}
		if i > 0 {
			continue
		}
		// Two writes a moment apart cannot show that the clock is not in the
		// file (zip times have a 2-second grain): look at the times inside.
		zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range zr.File {
			if e.Modified.Year() >= 2000 {
				t.Errorf("%s: zip entry %s dated %v: the writer's clock leaks into the file", f.Name, e.Name, e.Modified)
			}
		}
		// The first file read back holds its return.
		wb, err := excelize.OpenReader(bytes.NewReader(a))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := wb.GetRows(template.SheetName("fr"), excelize.Options{RawCellValue: true})
		props, _ := wb.GetDocProps()
		wb.Close()
		if want := f.ReceivedAt.Add(-72 * time.Hour).Format("2006-01-02T15:04:05Z"); props == nil || props.Created != want || props.Creator != f.Rows[0].OperatorName {
			t.Errorf("%s: document properties %+v, want created %s by the operator", f.Name, props, want)
		}
		if err != nil || len(rows) != 2 {
			t.Fatalf("%s: rows %q, err %v", f.Name, rows, err)
		}
		r := f.Rows[0]
		if rows[1][0] != r.OperatorID || rows[1][4] != r.Period.String() || rows[1][5] != strconv.FormatInt(r.Headcount, 10) {
			t.Errorf("%s: row %q, want %s %s %d", f.Name, rows[1], r.OperatorID, r.Period, r.Headcount)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteDir(ctx, t.TempDir(), m, opts); err == nil {
		t.Error("WriteDir with a cancelled context: no error")
	}
}

// fiveSectors are the five filières of the embedded mappings.yaml, in its order.
var fiveSectors = []string{"CRM", "BPO", "ITO", "ESO", "KPO"}
