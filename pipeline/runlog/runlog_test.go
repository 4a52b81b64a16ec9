package runlog

import (
	"runtime"
	"testing"

	"github.com/offshore-ma/offshore/config"
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
