package daemon

import (
	"math"

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
	// The delivery of the workbooks by mail: attempts by outcome since the
	// start, the last message accepted (read back from the records at
	// start-up), and whether the latest workbook is still undelivered.
	mailAttempts    *prometheus.CounterVec
	mailLastSuccess prometheus.Gauge
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
	m.mailAttempts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "offshore_mail_deliveries_total",
		Help: "Attempts at delivering a workbook by mail since the daemon started, by outcome: sent (the server accepted it) or failed."}, []string{"status"})
	m.mailLastSuccess = prometheus.NewGauge(prometheus.GaugeOpts{Name: "offshore_mail_last_success_timestamp_seconds",
		Help: "When the SMTP server last accepted a workbook's mail, Unix time; 0 for never."})
	undelivered := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "offshore_mail_undelivered",
		Help: "1 when the latest workbook's mail is not sent yet (an attempt failed, or under way), 2 when the daemon gave up on it, 0 when sent, or mail is off or owes nothing."},
		func() float64 {
			st, err := d.mailStatus()
			switch {
			case err != nil:
				return math.NaN()
			case st.Status == "failed":
				return 2
			case st.Status == "retrying" || st.Status == "sending":
				return 1
			}
			return 0
		})
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "offshore_build_info", Help: "The running version, as a label.",
		ConstLabels: prometheus.Labels{"version": pipeline.Version()}})
	build.Set(1)
	for _, c := range []prometheus.Collector{m.lastSuccess, m.duration, m.runs, m.running, m.files, m.pMeet, build,
		m.mailAttempts, m.mailLastSuccess, undelivered,
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
	for _, st := range []runlog.DeliveryStatus{runlog.DeliverySent, runlog.DeliveryFailed} {
		m.mailAttempts.WithLabelValues(string(st))
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
	return m.loadMail()
}

// loadMail sets the last delivery's time from the newest record holding a
// sent one. It stops at the first workbook written while mail was off: an
// older delivery says nothing of the mail as it is now, and a history
// without mail is not read whole at each start.
func (m *metrics) loadMail() error {
	return runlog.Each(m.d.cfg, runlog.JobRun, func(r *runlog.Record) bool {
		if !r.Succeeded() || r.Report == "" || r.UnchangedSince != "" {
			return true
		}
		if r.Delivery != nil && r.Delivery.SentAt != nil {
			m.mailLastSuccess.Set(float64(r.Delivery.SentAt.UnixNano()) / 1e9)
			return false
		}
		return r.Delivery != nil
	})
}

// delivery counts an attempt of del, which just ended.
func (m *metrics) delivery(del *runlog.Delivery) {
	switch del.Status {
	case runlog.DeliverySent:
		m.mailAttempts.WithLabelValues(string(runlog.DeliverySent)).Inc()
		m.mailLastSuccess.Set(float64(del.SentAt.UnixNano()) / 1e9)
	case runlog.DeliveryFailed:
		m.mailAttempts.WithLabelValues(string(runlog.DeliveryFailed)).Inc()
	}
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
	if r.Job == runlog.JobRun && r.UnchangedSince == "" && r.Delivery != nil {
		m.delivery(r.Delivery) // the nightly run's own attempt
	}
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
	for _, res := range r.Published().Results {
		for _, a := range res.Assessments {
			if a.Closed || a.Secret {
				continue // judged on its actual: no probability; or hidden by the confidentiality rule
			}
			m.pMeet.WithLabelValues(res.TargetSet, a.TargetID, a.Sector, string(a.Metric), string(a.Status)).Set(a.PMeet)
		}
	}
}
