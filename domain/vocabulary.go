package domain

// Metric names a quantity a series is built for and a target is set on.
type Metric string

// Metrics. Jobs are a level (persons employed at a quarter's end); the
// others are flows over the quarter: amounts in MAD, hires in persons.
const (
	MetricJobs          Metric = "jobs"           // headcount at the end of the quarter
	MetricExports       Metric = "exports"        // export revenue of the quarter, MAD
	MetricInvestment    Metric = "investment"     // investment of the quarter, MAD
	MetricHires         Metric = "hires"          // hires of the quarter, persons
	MetricHiresYouth    Metric = "hires_youth"    // of which under 35
	MetricHiresDisabled Metric = "hires_disabled" // of which people with disabilities
)

// TargetMetrics are the metrics targets are set on, in the order reports show them.
var TargetMetrics = []Metric{MetricJobs, MetricExports, MetricInvestment}

// Metrics are every metric a series can be built for: TargetMetrics, then
// the hires of the inclusive-employment sheet.
var Metrics = []Metric{MetricJobs, MetricExports, MetricInvestment, MetricHires, MetricHiresYouth, MetricHiresDisabled}

// IsFlow reports whether m is summed over the quarter (every metric but jobs).
func (m Metric) IsFlow() bool { return m != MetricJobs }

// TargetKind says how a target's value is read.
type TargetKind string

// Target kinds.
const (
	KindIncrease   TargetKind = "increase"   // the baseline year's value plus the target
	KindLevel      TargetKind = "level"      // the value itself, in the horizon year
	KindCumulative TargetKind = "cumulative" // a sum over the years up to the horizon
)

// National is the sector key of the whole country (every sector summed).
const National = "ALL"
