package runlog

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// TestDeadRunWithAReusedPID reproduces issue 13: a record left running by
// a process whose pid now belongs to another (pid 1 of a restarted
// container) was never marked interrupted. The pid's start time tells them
// apart.
func TestDeadRunWithAReusedPID(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	live := New(JobIngest, TriggerCLI) // this process: alive
	dead := New(JobIngest, TriggerCLI)
	dead.PIDStart = "another-boot/1" // the same pid, another incarnation
	for _, r := range []*Record{live, dead} {
		if err := Save(cfg, r); err != nil {
			t.Fatal(err)
		}
	}
	n, err := MarkDead(cfg)
	if live.PIDStart == "" {
		// Linux (the project's machines and CI) has /proc: the start time
		// must be there. Elsewhere the pid alone judges: both records
		// belong to this live process, and neither is marked.
		if runtime.GOOS == "linux" {
			t.Fatal("no process start time recorded on Linux")
		}
		if err != nil || n != 0 {
			t.Fatalf("MarkDead without start times: %d, %v; want none marked (the pid is alive)", n, err)
		}
		return
	}
	if err != nil || n != 1 {
		t.Fatalf("MarkDead: %d, %v; want the reused pid's record marked", n, err)
	}
	runs, _ := List(cfg, "", 0)
	for _, r := range runs {
		want := map[string]Status{live.ID: StatusRunning, dead.ID: StatusInterrupted}[r.ID]
		if r.Status != want {
			t.Errorf("%s: %s, want %s", r.ID, r.Status, want)
		}
	}
}

// TestPublishedMasksConfidential: what the page and the API serve hides
// the assessments the workbook hides, and only those; the record keeps them.
func TestPublishedMasksConfidential(t *testing.T) {
	rec := &Record{ID: "x", Results: []*assess.Result{{TargetSet: "s", Assessments: []assess.Assessment{
		{TargetID: "crm", Sector: "CRM", Latest: 12345, Projected: 13000, PMeet: 0.4, Status: "at_risk", Model: "theta"},
		{TargetID: "all", Sector: "ALL", Latest: 99000, Status: "on_track"},
	}}}, Confidential: []string{"s/crm"}}
	pub := rec.Published()
	b, err := json.Marshal(pub)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "12345") || strings.Contains(string(b), "13000") || strings.Contains(string(b), "theta") || !strings.Contains(string(b), `"secret":true`) {
		t.Errorf("published record reveals the confidential assessment: %s", b)
	}
	if !strings.Contains(string(b), "99000") {
		t.Errorf("published record hides a public assessment: %s", b)
	}
	if rec.Results[0].Assessments[0].Latest != 12345 {
		t.Error("Published modified the record")
	}
}
