package runlog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/config"
)

// TestCopiedWorkingFolderNamesItsOwnWorkbook reproduces issue 19: run
// records stored absolute paths, so a working folder copied elsewhere
// pointed at the original's workbook. They are now stored relative to the
// working folder; old absolute ones are read as they are.
func TestCopiedWorkingFolderNamesItsOwnWorkbook(t *testing.T) {
	orig := filepath.Join(t.TempDir(), "orig")
	cfg, err := config.Default(orig)
	if err != nil {
		t.Fatal(err)
	}
	r := New(JobRun, TriggerCLI)
	r.Report = filepath.Join(cfg.Settings.Paths.Outbox, "Synthese_2018Q4.xlsx")
	r.Delivery = &Delivery{Workbook: r.Report}
	r.Ingest.Quarantined = []string{filepath.Join(cfg.Settings.Paths.Quarantine, "bad.xlsx")}
	outside := New(JobForecast, TriggerCLI)
	outside.Report = "/elsewhere/r.xlsx"
	for _, rec := range []*Record{r, outside} {
		if err := Save(cfg, rec); err != nil {
			t.Fatal(err)
		}
	}
	if r.Report != filepath.Join(orig, "outbox", "Synthese_2018Q4.xlsx") {
		t.Errorf("Save changed the record in memory: %s", r.Report)
	}
	b, err := os.ReadFile(filepath.Join(orig, "warehouse", "runs", r.ID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), orig) || !strings.Contains(string(b), `"report": "outbox/Synthese_2018Q4.xlsx"`) {
		t.Errorf("record stores absolute paths:\n%s", b)
	}
	// An old record, with an absolute path.
	old := filepath.Join(orig, "warehouse", "runs", "20200101T000000.000000Z-run.json")
	if err := os.WriteFile(old, []byte(`{"id":"20200101T000000.000000Z-run","status":"ok","report":"/old/place/w.xlsx"}`), 0o644); err != nil {
		t.Fatal(err)
	}

	copied := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(copied, os.DirFS(orig)); err != nil {
		t.Fatal(err)
	}
	cfg2, err := config.Default(copied)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(cfg2, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(copied, "outbox", "Synthese_2018Q4.xlsx")
	if got.Report != want || got.Delivery.Workbook != want || got.Ingest.Quarantined[0] != filepath.Join(copied, "quarantine", "bad.xlsx") {
		t.Errorf("copied folder's record: report %s, delivery %s, quarantined %v; want them under %s", got.Report, got.Delivery.Workbook, got.Ingest.Quarantined, copied)
	}
	var seen []string
	if err := Each(cfg2, "", func(rec *Record) bool { seen = append(seen, rec.Report); return true }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 3 || seen[0] != "/elsewhere/r.xlsx" || seen[1] != want || seen[2] != "/old/place/w.xlsx" {
		t.Errorf("Each: %v; want the copy's workbook, the outside path and the old absolute one as they were", seen)
	}
}
