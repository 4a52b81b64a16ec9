package synth

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/progress"
	"github.com/offshore-ma/offshore/pipeline/template"
)

// Options choose the synthetic workload. Zero fields take their defaults.
type Options struct {
	// Operators is the number of operators, entering and leaving ones
	// included (default 120). The national totals do not depend on it.
	Operators int
	// From and To are the first and last quarters returned (default
	// 2015Q1..2018Q4). The calibration year, 2015, need not be among them.
	From, To domain.Period
	// Seed seeds the generator (default 1; 0 means the default).
	Seed uint64
	// Lang is the language of the template the files are written in:
	// "fr" (default) or "en".
	Lang string
	// Complete makes a full panel: every operator returns every quarter
	// From..To exactly once (no entrants, no leavers, no corrections), so
	// Operators × quarters files, one return each. The national benchmark
	// workload (`offshore gen --scale national`) uses it.
	Complete bool
}

// DefaultOptions returns the default workload: 120 operators, 2015Q1..2018Q4,
// seed 1, French template.
func DefaultOptions() Options {
	return Options{
		Operators: 120,
		From:      domain.NewPeriod(2015, 1),
		To:        domain.NewPeriod(2018, 4),
		Seed:      1,
		Lang:      "fr",
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Operators == 0 {
		o.Operators = d.Operators
	}
	if o.From == 0 {
		o.From = d.From
	}
	if o.To == 0 {
		o.To = d.To
	}
	if o.Seed == 0 {
		o.Seed = d.Seed
	}
	if o.Lang == "" {
		o.Lang = d.Lang
	}
	return o
}

func (o Options) validate() error {
	switch {
	case o.Operators < 0:
		return fmt.Errorf("synth: %d operators: want a positive number", o.Operators)
	case o.From > o.To:
		return fmt.Errorf("synth: periods %s..%s: the first is after the last", o.From, o.To)
	case o.From.Year() < 1990 || o.To.Year() > 2100:
		return fmt.Errorf("synth: periods %s..%s: want years in 1990..2100", o.From, o.To)
	case o.Lang != "fr" && o.Lang != "en":
		return fmt.Errorf("synth: language %q: want fr or en", o.Lang)
	}
	return nil
}

// File is one generated workbook, as an operator sent it.
type File struct {
	// Name is the file name as the operator chose it (varied, deterministic,
	// safe on every file system, unique ignoring case).
	Name string
	// ReceivedAt is when the file reached the ministry (UTC): usually 10–40
	// days after the quarter's end, sometimes 60–200; a correction comes
	// after the file it corrects.
	ReceivedAt time.Time
	// Rows is what the workbook holds: one operator × one quarter. Lineage
	// fields are set as ingest would (SourceName, Sheet, Row, ReceivedAt),
	// except SourceSHA256 and IngestedAt.
	Rows []domain.Return
}

// pcgStream is the second PCG word; the seed is the first.
const pcgStream = 0x6f666673686f7265 // "offshore"

// Calibration: the 2016–2020 contracts' baseline and the pace the workload
// is built to show (see the package comment).
const (
	calYear       = 2015
	calJobs       = 63000.0 // headcount at the end of calYear
	calExports    = 8e9     // exports in calYear, MAD
	investPace    = 282e6   // investment per year around 2017, MAD
	investTrend   = 0.03    // relative growth of the investment pace per year
	correctionPct = 0.025   // share of returns corrected later
)

// sectorModel describes one filière's firms.
type sectorModel struct {
	code         string
	firms        float64    // share of operators
	jobs         float64    // share of national jobs at the end of calYear
	exports      float64    // share of national exports in calYear
	sigma        float64    // spread of log firm size
	jobGrowth    float64    // jobs added per year, as a share of the end-calYear level
	exportGrowth float64    // exports added per year, as a share of the calYear level
	swing        float64    // quarterly swings of the sector's jobs (sd of log)
	turnover     [2]float64 // yearly staff turnover range
	names        []string   // name endings
	stems        []string   // compound-name endings
	tag          string     // short tag used in short names
}

// sectorModels is the sector mix. CRM holds most jobs but grows slower in
// jobs than the others (as the contracts' split of the +60,000 target
// assumes: CRM +15,000); ITO and ESO grow fastest in revenue.
var sectorModels = []sectorModel{
	{code: "CRM", firms: 0.36, jobs: 0.59, exports: 0.46, sigma: 1.7, jobGrowth: 0.115, exportGrowth: 0.035, swing: 0.025, turnover: [2]float64{0.22, 0.30},
		names: []string{"Contact Center", "Call Center", "Relation Client", "Customer Care", "Téléservices", "Centre d'Appels", "Contact", "Multicanal"},
		stems: []string{"tel", "call", "com", "line"}, tag: "CC"},
	{code: "BPO", firms: 0.20, jobs: 0.15, exports: 0.15, sigma: 1.6, jobGrowth: 0.275, exportGrowth: 0.06, swing: 0.03, turnover: [2]float64{0.15, 0.25},
		names: []string{"Business Services", "Outsourcing", "Gestion", "Back Office", "Process Services", "Externalisation", "Services Partagés"},
		stems: []string{"serv", "gest", "process"}, tag: "BPO"},
	{code: "ITO", firms: 0.24, jobs: 0.15, exports: 0.22, sigma: 1.6, jobGrowth: 0.325, exportGrowth: 0.11, swing: 0.03, turnover: [2]float64{0.15, 0.25},
		names: []string{"IT Services", "Digital", "Informatique", "Technologies", "Software", "Systèmes", "Cloud Services", "Consulting"},
		stems: []string{"soft", "tech", "net", "sys", "info"}, tag: "IT"},
	{code: "ESO", firms: 0.12, jobs: 0.08, exports: 0.12, sigma: 1.5, jobGrowth: 0.335, exportGrowth: 0.12, swing: 0.03, turnover: [2]float64{0.15, 0.20},
		names: []string{"Engineering", "Ingénierie", "R&D Center", "Engineering Services", "Aéro Ingénierie", "Études Techniques"},
		stems: []string{"engi", "tech", "aero"}, tag: "ENG"},
	{code: "KPO", firms: 0.08, jobs: 0.03, exports: 0.05, sigma: 1.4, jobGrowth: 0.305, exportGrowth: 0.08, swing: 0.03, turnover: [2]float64{0.15, 0.22},
		names: []string{"Data", "Analytics", "Knowledge Services", "Data Lab", "Insights", "Études"},
		stems: []string{"data", "lytics", "metrix"}, tag: "DATA"},
}

// regionWeights are the shares of operators per region name; regions of the
// mappings not listed here get regionOther.
var regionWeights = map[string]float64{
	"Casablanca-Settat":         0.42,
	"Rabat-Salé-Kénitra":        0.24,
	"Fès-Meknès":                0.08,
	"Tanger-Tétouan-Al Hoceïma": 0.07,
	"L'Oriental":                0.06,
	"Marrakech-Safi":            0.05,
	"Souss-Massa":               0.03,
}

const regionOther = 0.01

// season is the quarterly pattern of export revenue (mean 1): Q4 high, Q3 low.
var season = [4]float64{0.98, 1.01, 0.91, 1.10}

var nameRoots = []string{
	"Atlas", "Anfa", "Argana", "Bouregreg", "Chellah", "Dadès", "Ifrane", "Kasbah", "Majorelle", "Médina",
	"Mogador", "Oudaya", "Rif", "Saïss", "Sebou", "Tafilalet", "Tingis", "Toubkal", "Volubilis", "Zagora",
	"Agdal", "Amane", "Assafa", "Nakhla", "Yasmine", "Tamesna", "Lixus", "Mazagan", "Oum Errabia", "Tensift",
	"Ourika", "Chaouia", "Doukkala", "Hay Riad", "Al Boughaz", "Tamuda", "Ksar", "Nour", "Badr", "Manar",
	"Zellige", "Kenza", "Sahel", "Atlantique", "Alboran", "Palmeraie", "Andalous", "Oasis", "Cèdre", "Arganier",
	"Menara", "Hassania", "Targa", "Tiznit", "Imouzzer", "Bab Doukkala", "Tazekka", "Amlal", "Tilila", "Izdihar",
}

var legalForms = []string{"", "", "", "", "SARL", "SA", "SARL AU", "Maroc", "Morocco"}

// firm is one operator and its simulated quarters.
type firm struct {
	id, name, short string
	sec             int // index into sectorModels
	region          string
	first, last     domain.Period // first and last quarter with a return
	entrant         bool
	base            float64 // size at the end of calYear (entrants: at maturity)
	growth          float64 // jobs added per year, share of base
	productivity    float64 // relative export revenue per job
	exportShare     float64 // export revenue / total revenue
	turnover        float64
	youth, disabled float64
	hiresHabit      int // 0 always reports hires, 1 sometimes not, 2 never
	disabledBlank   bool
	totalBlank      bool
	investBlank     bool // leaves investment blank rather than writing 0
	centimes        bool // writes amounts to the centime
	late            float64
	style           int
	// Per quarter, index k = p - (from - 1): continuous size, exports, investment.
	size, exports, invest []float64
}

// active reports whether the firm operates in p, returned or not: incumbents
// operated before From, entrants only from their first quarter, leavers
// until their last.
func (f *firm) active(p domain.Period) bool { return (!f.entrant || f.first <= p) && p <= f.last }

// gen holds the state of one Generate call.
type gen struct {
	opts     Options
	rng      *rand.Rand
	m        *config.Mappings
	from, to domain.Period
	firms    []*firm
	regions  []string
	regionW  []float64
	// bigRegionW weighs only the regions of regionWeights with 5 % or more.
	bigRegionW []float64
}

// Generate returns the synthetic workbooks of opts, ordered by ReceivedAt then
// Name. The same mappings and Options give the same files. The result is the
// caller's; nothing is written.
func Generate(m *config.Mappings, opts Options) ([]File, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("synth: no mappings")
	}
	codes := map[string]bool{}
	for _, s := range m.Sectors {
		codes[s.Code] = true
	}
	for _, sm := range sectorModels {
		if !codes[sm.code] {
			return nil, fmt.Errorf("synth: mappings have no sector %q", sm.code)
		}
	}
	if len(m.Regions) == 0 {
		return nil, fmt.Errorf("synth: mappings have no region")
	}
	g := &gen{
		opts: opts,
		rng:  rand.New(rand.NewPCG(opts.Seed, pcgStream)),
		m:    m,
		from: opts.From,
		to:   opts.To,
	}
	for _, r := range m.Regions {
		w, ok := regionWeights[r.Name]
		if !ok {
			w = regionOther
		}
		g.regions = append(g.regions, r.Name)
		g.regionW = append(g.regionW, w)
		if w < 0.05 {
			w = 0
		}
		g.bigRegionW = append(g.bigRegionW, w)
	}
	if slices.Max(g.bigRegionW) == 0 {
		g.bigRegionW = g.regionW // renamed regions: no preference
	}
	g.drawFirms()
	g.simulate()
	g.calibrate()
	g.shock()
	return g.files(), nil
}

// Helpers over the random source.

func (g *gen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.rng.Float64() }
func (g *gen) chance(p float64) bool          { return g.rng.Float64() < p }
func (g *gen) pick(s []string) string         { return s[g.rng.IntN(len(s))] }

func (g *gen) weighted(w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	u := g.rng.Float64() * sum
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// drawFirms draws the operators' fixed traits.
func (g *gen) drawFirms() {
	n := g.opts.Operators
	// Sector of each operator: the shares, rounded by largest remainder, shuffled.
	counts := make([]int, len(sectorModels))
	rem := make([]float64, len(sectorModels))
	total := 0
	for i, sm := range sectorModels {
		x := sm.firms * float64(n)
		counts[i] = int(x)
		rem[i] = x - float64(counts[i])
		total += counts[i]
	}
	for total < n {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
		total++
	}
	secs := make([]int, 0, n)
	for i, c := range counts {
		for range c {
			secs = append(secs, i)
		}
	}
	g.rng.Shuffle(len(secs), func(i, j int) { secs[i], secs[j] = secs[j], secs[i] })

	span := int(g.to - g.from + 1)
	nEnter, nLeave := 0, 0
	if span >= 8 && !g.opts.Complete {
		nEnter = int(math.Round(0.08 * float64(n)))
		nLeave = int(math.Round(0.05 * float64(n)))
	}
	names, ices := map[string]bool{}, map[string]bool{}
	for i := range n {
		sm := &sectorModels[secs[i]]
		f := &firm{sec: secs[i], first: g.from, last: g.to}
		f.name, f.short = g.companyName(sm, names)
		f.id = g.ice(ices)
		// Heavy tail: log-normal sizes, a few CRM centres of thousands.
		z := math.Max(-2.5, math.Min(2.3, g.rng.NormFloat64()))
		f.base = math.Max(8, math.Exp(4.6+sm.sigma*z))
		// Big sites are in the main offshoring regions, small firms anywhere.
		w := g.regionW
		if z > 1 {
			w = g.bigRegionW
		}
		f.region = g.regions[g.weighted(w)]
		f.growth = sm.jobGrowth + 0.10*g.rng.NormFloat64()
		f.productivity = math.Exp(0.3 * g.rng.NormFloat64())
		f.exportShare = g.uniform(0.85, 0.95)
		if g.chance(0.1) {
			f.exportShare = 1 // free-zone firms that sell only abroad
		}
		f.turnover = g.uniform(sm.turnover[0], sm.turnover[1])
		f.youth = g.uniform(0.6, 0.8)
		f.disabled = g.uniform(0, 0.02)
		switch u := g.rng.Float64(); {
		case u < 0.78:
			f.hiresHabit = 0
		case u < 0.92:
			f.hiresHabit = 1
		default:
			f.hiresHabit = 2
		}
		f.disabledBlank = g.chance(0.15)
		f.totalBlank = g.chance(0.08)
		f.investBlank = g.chance(0.4)
		f.centimes = g.chance(0.3)
		f.late = 0.04
		if g.chance(0.15) {
			f.late = 0.25
		}
		f.style = g.rng.IntN(len(nameStyles))
		g.firms = append(g.firms, f)
	}
	// Entrants start after From, smaller; leavers, mostly small, stop before To.
	order := g.rng.Perm(n)
	for _, i := range order[:nEnter] {
		f := g.firms[i]
		f.entrant = true
		// New firms start small: no new centre of thousands in a quarter.
		f.base = 0.6 * math.Min(f.base, math.Exp(4.6+sectorModels[f.sec].sigma))
		f.first = g.from + 2 + domain.Period(g.rng.IntN(span-4))
	}
	var small []*firm
	for _, i := range order[nEnter:] {
		if g.firms[i].base < 150 {
			small = append(small, g.firms[i])
		}
	}
	for i := 0; i < nLeave && i < len(small); i++ {
		small[i].last = g.from + 3 + domain.Period(g.rng.IntN(span-5))
	}
	// Recentre growth so that each sector's size-weighted growth is its
	// model's, whatever the draws: the aggregate trend must not hang on one
	// big firm's luck.
	for s, sm := range sectorModels {
		var w, wg float64
		for _, f := range g.firms {
			if f.sec == s && !f.entrant {
				w += f.base
				wg += f.base * f.growth
			}
		}
		if w == 0 {
			continue
		}
		shift := sm.jobGrowth - wg/w
		for _, f := range g.firms {
			if f.sec == s {
				f.growth = math.Max(-0.12, f.growth+shift)
			}
		}
	}
}

// years is the time from the end of calYear to the end of p, in years.
func years(p domain.Period) float64 { return float64(p-domain.YearEnd(calYear)) / 4 }

// lin is a linear trend 1 + a·t, kept positive far from calYear.
func lin(a, t float64) float64 { return math.Max(0.2, 1+a*t) }

// shock applies each sector's common swings in jobs (contracts won and lost,
// campaigns) to its firms: an AR(1) of log jobs, zero at the end of calYear
// so the baseline stays calibrated. Without it the national series would be a
// straight line that no forecast could be unsure of.
func (g *gen) shock() {
	anchor := domain.YearEnd(calYear)
	n := int(g.to-g.from) + 2
	for s, sm := range sectorModels {
		e := make([]float64, n)
		for k := range n {
			prev := 0.0
			if k > 0 {
				prev = e[k-1]
			}
			e[k] = 0.5*prev + sm.swing*g.rng.NormFloat64()
		}
		if k := int(anchor - (g.from - 1)); k >= 0 && k < n {
			base := e[k]
			for i := range e {
				e[i] -= base
			}
		}
		for _, f := range g.firms {
			if f.sec == s {
				for k := range f.size {
					f.size[k] *= math.Exp(e[k])
				}
			}
		}
	}
}

// simulate draws each firm's continuous size, exports and raw investment for
// quarters from-1..to, before calibration.
func (g *gen) simulate() {
	for _, f := range g.firms {
		sm := &sectorModels[f.sec]
		n := int(g.to-g.from) + 2
		f.size = make([]float64, n)
		f.exports = make([]float64, n)
		f.invest = make([]float64, n)
		noise := 0.0
		for k := range n {
			p := g.from - 1 + domain.Period(k)
			noise = 0.6*noise + 0.015*g.rng.NormFloat64()
			var size float64
			if f.entrant {
				q := float64(p - f.first)
				if q >= 0 {
					size = f.base * math.Min(1, 0.4+0.15*q) * lin(f.growth, q/4)
				}
			} else {
				size = f.base * lin(f.growth, years(p))
			}
			size *= math.Exp(noise)
			f.size[k] = size
			// Exports follow the firm's jobs times its sector's productivity
			// trend, so that the sector's exports grow at exportGrowth.
			t := years(p)
			prod := lin(sm.exportGrowth, t) / lin(sm.jobGrowth, t)
			f.exports[k] = size * f.productivity * prod * season[p.Quarter()-1] * math.Max(0.7, 1+0.05*g.rng.NormFloat64())
			// Investment: lumpy projects, small capex, mostly nothing.
			switch u := g.rng.Float64(); {
			case f.entrant && p == f.first:
				f.invest[k] = f.base * g.uniform(30e3, 80e3)
			case u < 0.08:
				f.invest[k] = size * g.uniform(15e3, 60e3) * math.Exp(0.7*g.rng.NormFloat64())
			case u < 0.35:
				f.invest[k] = size * g.uniform(300, 2500)
			}
		}
	}
}

// calibrate fixes the levels and trends the workload is built to show.
// Per sector: first the trend, a tilt (1 + κ·t) of all its firms' figures so
// that jobs at To are the end-calYear jobs times (1 + jobGrowth·years) and
// the last full year's exports are calYear's times (1 + exportGrowth·years),
// whatever entrants, leavers and noise did; then the level, a factor that
// brings end-calYear jobs and calYear exports to the sector's share of the
// baseline. Growth rates and levels are nudged by a few per cent so that
// seeds differ. Ranges that do not hold calYear get the model's trend and
// level, uncalibrated.
func (g *gen) calibrate() {
	anchor := domain.YearEnd(calYear)
	at := func(p domain.Period) int { return int(p - (g.from - 1)) }
	inRange := func(p domain.Period) bool { return g.from <= p && p <= g.to }
	// Model values for periods outside the simulated range are recomputed
	// without noise, so the level is right whatever From and To are.
	sizeAt := func(f *firm, p domain.Period) float64 {
		if inRange(p) {
			return f.size[at(p)]
		}
		if f.entrant {
			q := float64(p - f.first)
			if q < 0 {
				return 0
			}
			return f.base * math.Min(1, 0.4+0.15*q) * lin(f.growth, q/4)
		}
		return f.base * lin(f.growth, years(p))
	}
	// mid is the time from the middle of calYear to the middle of p, in years.
	mid := func(p domain.Period) float64 { return (float64(p-domain.NewPeriod(calYear, 1)) - 1.5) / 4 }
	lastFull := g.to.Year()
	if g.to.Quarter() != 4 {
		lastFull--
	}
	for s, sm := range sectorModels {
		var sector []*firm
		for _, f := range g.firms {
			if f.sec == s {
				sector = append(sector, f)
			}
		}
		// Jobs trend.
		if T := years(g.to); inRange(anchor) && T >= 1 {
			var j0, jT float64
			for _, f := range sector {
				if f.active(anchor) {
					j0 += f.size[at(anchor)]
				}
				if f.active(g.to) {
					jT += f.size[at(g.to)]
				}
			}
			if j0 > 0 && jT > 0 {
				kappa := (j0*lin(sm.jobGrowth*g.uniform(0.95, 1.05), T)/jT - 1) / T
				for _, f := range sector {
					for k := range f.size {
						tilt := lin(kappa, years(g.from-1+domain.Period(k)))
						f.size[k] *= tilt
						f.exports[k] *= tilt // revenue per job unchanged
					}
				}
			}
		}
		// Exports trend.
		if inRange(domain.NewPeriod(calYear, 1)) && lastFull > calYear {
			var x0, x1, x1t float64
			for _, f := range sector {
				for q := 1; q <= 4; q++ {
					if p := domain.NewPeriod(calYear, q); f.active(p) {
						x0 += f.exports[at(p)]
					}
					if p := domain.NewPeriod(lastFull, q); f.active(p) {
						x1 += f.exports[at(p)]
						x1t += f.exports[at(p)] * mid(p)
					}
				}
			}
			if x0 > 0 && x1t > 0 {
				want := x0 * lin(sm.exportGrowth*g.uniform(0.95, 1.05), float64(lastFull-calYear))
				kappa := (want - x1) / x1t
				for _, f := range sector {
					for k := range f.exports {
						f.exports[k] *= lin(kappa, mid(g.from-1+domain.Period(k)))
					}
				}
			}
		}
		// Levels.
		var jobs, exports float64
		for _, f := range sector {
			if f.active(anchor) {
				jobs += sizeAt(f, anchor)
			}
			for q := 1; q <= 4; q++ {
				p := domain.NewPeriod(calYear, q)
				switch {
				case !f.active(p):
				case inRange(p):
					exports += f.exports[at(p)]
				default:
					t := years(p)
					exports += sizeAt(f, p) * f.productivity * lin(sm.exportGrowth, t) / lin(sm.jobGrowth, t) * season[q-1]
				}
			}
		}
		js := sm.jobs * calJobs * g.uniform(0.97, 1.03) / jobs
		xs := sm.exports * calExports * g.uniform(0.97, 1.03) / exports
		for _, f := range sector {
			for k := range f.size {
				if jobs > 0 {
					f.size[k] *= js
					f.invest[k] *= js
				}
				if exports > 0 {
					f.exports[k] *= xs
				}
			}
		}
	}
	// Investment: each calendar year's returns sum to the pace of that year
	// (for the quarters returned), so the trend is the pace's, not the lumps'.
	for y := g.from.Year(); y <= g.to.Year(); y++ {
		var raw float64
		nq := 0
		for q := 1; q <= 4; q++ {
			p := domain.NewPeriod(y, q)
			if p < g.from || p > g.to {
				continue
			}
			nq++
			for _, f := range g.firms {
				if f.active(p) {
					raw += f.invest[at(p)]
				}
			}
		}
		if raw == 0 {
			continue
		}
		want := investPace * (1 + investTrend*float64(y-2017)) * float64(nq) / 4 * g.uniform(0.95, 1.05)
		for q := 1; q <= 4; q++ {
			p := domain.NewPeriod(y, q)
			if p < g.from || p > g.to {
				continue
			}
			for _, f := range g.firms {
				f.invest[at(p)] *= want / raw
			}
		}
	}
}

// files turns the calibrated firms into returns and files.
func (g *gen) files() []File {
	sheet := template.SheetName(g.opts.Lang)
	var out []File
	used := map[string]bool{}
	for _, f := range g.firms {
		sm := &sectorModels[f.sec]
		for p := f.first; p <= f.last; p++ {
			k := int(p - (g.from - 1))
			r := domain.Return{
				OperatorID:   f.id,
				OperatorName: f.name,
				Sector:       sm.code,
				Region:       f.region,
				Period:       p,
				Headcount:    max(1, int64(math.Round(f.size[k]))),
			}
			prev := int64(0)
			if p > f.first || !f.entrant {
				prev = max(1, int64(math.Round(f.size[k-1])))
			}
			hires := max(0, r.Headcount-prev) + int64(math.Round(float64(prev)*f.turnover/4*g.uniform(0.7, 1.3)))
			youth := min(hires, int64(math.Round(float64(hires)*math.Min(0.9, math.Max(0.5, f.youth+0.04*g.rng.NormFloat64())))))
			disabled := min(hires, int64(math.Floor(float64(hires)*f.disabled*g.uniform(0.5, 1.5)+g.rng.Float64())))
			blankHires := f.hiresHabit == 2 || (f.hiresHabit == 1 && g.chance(0.35))
			if !blankHires {
				r.Hires, r.HiresYouth = domain.Int64(hires), domain.Int64(youth)
				if !(f.disabledBlank && g.chance(0.7)) {
					r.HiresDisabled = domain.Int64(disabled)
				}
			}
			r.ExportRevenueMAD = f.amount(f.exports[k])
			share := math.Min(1, f.exportShare+0.01*g.rng.NormFloat64())
			if !(f.totalBlank && g.chance(0.5)) {
				r.TotalRevenueMAD = domain.Float64(math.Max(r.ExportRevenueMAD, f.amount(f.exports[k]/share)))
			}
			if inv := f.amount(f.invest[k]); inv > 0 || !f.investBlank {
				r.InvestmentMAD = domain.Float64(inv)
			}

			received := g.received(f, p)
			style := f.style
			if g.chance(0.12) {
				style = g.rng.IntN(len(nameStyles)) // someone else in the firm filed it
			}
			if g.chance(correctionPct) && !g.opts.Complete {
				orig := g.spoil(r)
				out = append(out, g.file(f, orig, style, false, received, used))
				later := received.Add(time.Duration(3+g.rng.IntN(88))*24*time.Hour + time.Duration(g.rng.IntN(8*3600))*time.Second)
				out = append(out, g.file(f, r, style, true, later, used))
				continue
			}
			out = append(out, g.file(f, r, style, false, received, used))
		}
	}
	for i := range out {
		r := &out[i].Rows[0]
		r.SourceName, r.Sheet, r.Row, r.ReceivedAt = out[i].Name, sheet, 2, out[i].ReceivedAt
	}
	slices.SortStableFunc(out, func(a, b File) int {
		if c := a.ReceivedAt.Compare(b.ReceivedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// amount rounds MAD to the dirham, or to the centime for firms that write them.
func (f *firm) amount(v float64) float64 {
	if f.centimes {
		return math.Round(v*100) / 100
	}
	return math.Round(v)
}

// spoil returns the figures of a return as first (wrongly) sent, before the
// correction that carries r. The rules still hold in the spoiled copy.
func (g *gen) spoil(r domain.Return) domain.Return {
	o := r
	switch g.rng.IntN(4) {
	case 0: // headcount under-reported (lower, so hires still cover the change)
		o.Headcount = max(0, r.Headcount-max(1, int64(math.Round(float64(r.Headcount)*g.uniform(0.01, 0.06)))))
	case 1: // export revenue off by a few per cent
		x := 1 + g.uniform(0.02, 0.10)*float64(1-2*g.rng.IntN(2))
		o.ExportRevenueMAD = math.Round(r.ExportRevenueMAD * x)
		if r.TotalRevenueMAD != nil {
			o.TotalRevenueMAD = domain.Float64(math.Max(o.ExportRevenueMAD, math.Round(*r.TotalRevenueMAD*x)))
		}
	case 2: // hires left out, then supplied
		if r.Hires != nil {
			o.Hires, o.HiresYouth, o.HiresDisabled = nil, nil, nil
		} else {
			o.Headcount = max(0, r.Headcount-1)
		}
	default: // investment forgotten
		if r.InvestmentMAD != nil && *r.InvestmentMAD > 0 {
			o.InvestmentMAD = nil
		}
	}
	if sameFigures(o, r) { // nothing to spoil (zeros): a typo in exports
		o.ExportRevenueMAD = r.ExportRevenueMAD + 1000
		if r.TotalRevenueMAD != nil {
			o.TotalRevenueMAD = domain.Float64(*r.TotalRevenueMAD + 1000)
		}
	}
	return o
}

// sameFigures reports whether a and b hold the same figures.
func sameFigures(a, b domain.Return) bool {
	eqI := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqF := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Headcount == b.Headcount && eqI(a.Hires, b.Hires) && eqI(a.HiresYouth, b.HiresYouth) &&
		eqI(a.HiresDisabled, b.HiresDisabled) && a.ExportRevenueMAD == b.ExportRevenueMAD &&
		eqF(a.TotalRevenueMAD, b.TotalRevenueMAD) && eqF(a.InvestmentMAD, b.InvestmentMAD)
}

// received draws when the return of p reaches the ministry (UTC, office hours).
func (g *gen) received(f *firm, p domain.Period) time.Time {
	days := g.uniform(10, 40)
	if g.chance(f.late) {
		days = g.uniform(60, 200)
	}
	t := p.End().Add(time.Duration(days) * 24 * time.Hour)
	t = time.Date(t.Year(), t.Month(), t.Day(), 8+g.rng.IntN(10), g.rng.IntN(60), g.rng.IntN(60), 0, time.UTC)
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, 2)
	case time.Sunday:
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// file names and wraps one return.
func (g *gen) file(f *firm, r domain.Return, style int, correction bool, at time.Time, used map[string]bool) File {
	name := nameStyles[style].name(f, r.Period)
	if correction {
		name += nameStyles[style].correction
	}
	name = safeName(name)
	base := name
	for i := 2; used[strings.ToLower(name+".xlsx")]; i++ {
		name = fmt.Sprintf("%s (%d)", base, i)
	}
	name += ".xlsx"
	used[strings.ToLower(name)] = true
	return File{Name: name, ReceivedAt: at, Rows: []domain.Return{r}}
}

// nameStyle is one way operators name their files.
type nameStyle struct {
	name       func(f *firm, p domain.Period) string
	correction string
}

var ordinals = [4]string{"1er", "2e", "3e", "4e"}

var nameStyles = []nameStyle{
	{func(f *firm, p domain.Period) string {
		return fmt.Sprintf("Declaration_T%d_%d_%s", p.Quarter(), p.Year(), strings.ReplaceAll(safeName(f.name), " ", "_"))
	}, "_corrige"},
	{func(f *firm, p domain.Period) string { return fmt.Sprintf("%s - %s", f.short, p) }, " (corrige)"},
	{func(f *firm, p domain.Period) string {
		return fmt.Sprintf("Reporting offshoring %s T%d %d", f.name, p.Quarter(), p.Year())
	}, " - rectificatif"},
	{func(f *firm, p domain.Period) string { return fmt.Sprintf("%d-T%d_%s", p.Year(), p.Quarter(), f.id) }, "_rectif"},
	{func(f *firm, p domain.Period) string {
		return fmt.Sprintf("Etat trimestriel %s - %s trimestre %d", f.short, ordinals[p.Quarter()-1], p.Year())
	}, " CORRIGE"},
	{func(f *firm, p domain.Period) string {
		return fmt.Sprintf("%s_declaration_%d_q%d", strings.ToLower(strings.ReplaceAll(f.short, " ", "")), p.Year(), p.Quarter())
	}, "_correction"},
	{func(f *firm, p domain.Period) string {
		return fmt.Sprintf("DECL_%s_%dT%d", f.id, p.Year(), p.Quarter())
	}, "_v2_corrigee"},
}

var ascii = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "À", "A", "Â", "A",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "É", "E", "È", "E", "Ê", "E",
	"î", "i", "ï", "i", "Î", "I", "Ï", "I",
	"ô", "o", "ö", "o", "Ô", "O",
	"ù", "u", "û", "u", "ü", "u", "Û", "U",
	"ç", "c", "Ç", "C", "&", "", "'", " ", "’", " ",
)

// safeName keeps letters, digits, space, '-', '_', '(', ')' and '.', so the
// name is valid on Windows, macOS and Linux; accents are dropped.
func safeName(s string) string {
	s = ascii.Replace(s)
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == ' ', c == '-', c == '_', c == '(', c == ')', c == '.':
			b.WriteRune(c)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// companyName invents a unique company name and the short name its staff use.
func (g *gen) companyName(sm *sectorModel, used map[string]bool) (name, short string) {
	for try := 0; ; try++ {
		root := g.pick(nameRoots)
		if g.chance(0.25) {
			stem := strings.ToLower(strings.ReplaceAll(safeName(root), " ", ""))
			if len(stem) > 6 {
				stem = stem[:5]
			}
			name = strings.ToUpper(stem[:1]) + stem[1:] + g.pick(sm.stems)
			short = strings.ToUpper(name)
		} else {
			name = root + " " + g.pick(sm.names)
			short = strings.ToUpper(safeName(root)) + " " + sm.tag
		}
		if legal := g.pick(legalForms); legal != "" {
			name += " " + legal
		}
		if try >= 50 { // the combinations are running out
			name = fmt.Sprintf("%s %d", name, len(used))
		}
		key, skey := strings.ToLower(name), "short:"+strings.ToLower(short)
		// Prefer a short name of its own, but do not insist.
		if !used[key] && (!used[skey] || try >= 20) {
			used[key], used[skey] = true, true
			return name, short
		}
	}
}

// ice invents a unique 15-digit ICE: a 9-digit company number (often with
// leading zeros), a 4-digit establishment number and a 2-digit key (97 minus
// the 13 digits modulo 97, as bank keys do; the real ICE key is not public).
func (g *gen) ice(used map[string]bool) string {
	for {
		company := 1_000_000 + g.rng.Uint64N(9_000_000) // written 00xxxxxxx
		if g.chance(0.2) {
			company = 10_000_000 + g.rng.Uint64N(90_000_000) // 0xxxxxxxx
		}
		estab := uint64(0)
		if g.chance(0.15) {
			estab = 1 + g.rng.Uint64N(9)
		}
		body := company*10000 + estab
		id := fmt.Sprintf("%013d%02d", body, 97-body%97)
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

// WriteDir generates the files of opts (see Generate) and writes each as a
// filled-in template workbook into dir, created if needed; an existing file
// of the same name is replaced. Each file's modification time is set to its
// ReceivedAt, and its document properties to fixed dates derived from it, so
// that the same Options write the same bytes. Files are written by several
// goroutines (one per CPU); ctx is checked before each file. It returns the
// paths written, in the order of Generate; on error, those written so far.
func WriteDir(ctx context.Context, dir string, m *config.Mappings, opts Options) ([]string, error) {
	files, err := Generate(m, opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	lang := opts.withDefaults().Lang
	bar := progress.Start(ctx, "gen", "files", len(files))
	defer bar.Done()
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(files))) {
		wg.Go(func() {
			for i := range next {
				if errs[i] = ctx.Err(); errs[i] == nil {
					errs[i] = writeFile(filepath.Join(dir, files[i].Name), m, lang, files[i])
					bar.Add(1)
				}
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	paths := make([]string, 0, len(files))
	for i, f := range files {
		if errs[i] != nil {
			return paths, errs[i]
		}
		paths = append(paths, filepath.Join(dir, f.Name))
	}
	return paths, nil
}

// writeFile writes one workbook durably: a temporary name in dir, synced,
// renamed, then dated.
func writeFile(path string, m *config.Mappings, lang string, file File) error {
	wb, err := template.Fill(m, template.Options{Lang: lang}, file.Rows)
	if err != nil {
		return fmt.Errorf("synth: %s: %w", file.Name, err)
	}
	defer wb.Close()
	const iso = "2006-01-02T15:04:05Z"
	name := file.Rows[0].OperatorName
	if err := wb.SetDocProps(&excelize.DocProperties{
		Created:        file.ReceivedAt.Add(-72 * time.Hour).UTC().Format(iso),
		Modified:       file.ReceivedAt.Add(-2 * time.Hour).UTC().Format(iso),
		Creator:        name,
		LastModifiedBy: name,
	}); err != nil {
		return fmt.Errorf("synth: %s: %w", file.Name, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".synth-*.xlsx.tmp")
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := wb.Write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("synth: writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("synth: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("synth: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := os.Chtimes(path, file.ReceivedAt, file.ReceivedAt); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// NationalReturns returns every version of every return of the national
// workload's default generation (1,500 operators, 2015Q1–2020Q4), for the
// stages' benchmarks. Each return's SourceSHA256 is its file name, standing
// in for the hash ingest sets.
func NationalReturns(m *config.Mappings) ([]domain.Return, error) {
	files, err := Generate(m, Options{Operators: 1500, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2020, 4)})
	if err != nil {
		return nil, err
	}
	var rs []domain.Return
	for _, f := range files {
		for _, r := range f.Rows {
			r.SourceSHA256 = f.Name
			rs = append(rs, r)
		}
	}
	return rs, nil
}
