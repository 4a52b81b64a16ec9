package daemon

import (
	"slices"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/offshore-ma/offshore/pipeline"
)

// metrics are what /metrics exposes. The last success, duration and
// assessments are loaded from the run records at start-up, so that a
// restart does not reset them; the counters count since the start.
type metrics struct {
	d           *Daemon
	reg         *prometheus.Registry
	lastSuccess *prometheus.GaugeVec
	duration    *prometheus.GaugeVec
	runs        *prometheus.CounterVec
	running     *prometheus.GaugeVec
	files       *prometheus.CounterVec
	pMeet       *prometheus.GaugeVec
}

func newMetrics(d *Daemon) (*metrics, error) {
	m := &metrics{d: d, reg: prometheus.NewRegistry(),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "offshore_job_last_success_timestamp_seconds",
			Help: "End of the job's last successful run, Unix time."}, []string{"job"}),
		duration: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "offshore_job_last_duration_seconds",
			Help: "Duration of the job's last finished run, whatever its status."}, []string{"job"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "offshore_job_runs_total",
			Help: "Runs since the daemon started, by job and status (ok, failed, skipped, interrupted)."}, []string{"job", "status"}),
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "offshore_job_running",
			Help: "Runs of the job in progress."}, []string{"job"}),
		files: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "offshore_ingest_files_total",
			Help: "Files looked at by ingests since the daemon started, by result: accepted, rejected (quarantined) or known (already in the warehouse)."}, []string{"result"}),
		pMeet: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "offshore_target_p_meet",
			Help: "Probability that the target is met, from the last successful nightly run; a closed target (horizon past and observed) has none."}, []string{"target_set", "target", "sector", "metric", "status"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "offshore_build_info", Help: "The running version, as a label.",
		ConstLabels: prometheus.Labels{"version": pipeline.Version()}})
	build.Set(1)
	for _, c := range []prometheus.Collector{m.lastSuccess, m.duration, m.runs, m.running, m.files, m.pMeet, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := m.reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, j := range d.jobs {
		m.running.WithLabelValues(string(j.name))
		for _, s := range []runlog.Status{runlog.StatusOK, runlog.StatusFailed, runlog.StatusSkipped, runlog.StatusInterrupted} {
			m.runs.WithLabelValues(string(j.name), string(s))
		}
	}
	for _, r := range []string{"accepted", "rejected", "known"} {
		m.files.WithLabelValues(r)
	}
	return m, nil
}

// load sets the gauges from the newest records of each job.
func (m *metrics) load() error {
	for _, j := range m.d.jobs {
		last, ok, err := m.d.lastRuns(j.name)
		if err != nil {
			return err
		}
		if last != nil {
			m.duration.WithLabelValues(string(j.name)).Set(last.Finished.Sub(last.Started).Seconds())
		}
		if ok != nil {
			m.success(ok)
		}
	}
	return nil
}

// observe counts a finished run.
func (m *metrics) observe(r *runlog.Record) {
	m.runs.WithLabelValues(string(r.Job), string(r.Status)).Inc()
	if r.Status == runlog.StatusSkipped {
		return
	}
	m.duration.WithLabelValues(string(r.Job)).Set(r.Finished.Sub(r.Started).Seconds())
	m.files.WithLabelValues("accepted").Add(float64(r.Ingest.Accepted))
	m.files.WithLabelValues("rejected").Add(float64(r.Ingest.Rejected))
	m.files.WithLabelValues("known").Add(float64(r.Ingest.Known))
	if r.Succeeded() {
		m.success(r)
	}
}

func (m *metrics) success(r *runlog.Record) {
	m.lastSuccess.WithLabelValues(string(r.Job)).Set(float64(r.Finished.UnixNano()) / 1e9)
	if r.Job != runlog.JobRun {
		return
	}
	m.pMeet.Reset()
	for _, res := range r.Results {
		for _, a := range res.Assessments {
			if a.Closed || slices.Contains(r.Confidential, res.TargetSet+"/"+a.TargetID) {
				continue // judged on its actual: no probability; or hidden by the confidentiality rule
			}
			m.pMeet.WithLabelValues(res.TargetSet, a.TargetID, a.Sector, string(a.Metric), string(a.Status)).Set(a.PMeet)
		}
	}
}
