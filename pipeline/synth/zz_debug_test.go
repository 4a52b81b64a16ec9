package synth

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestZZDebug(t *testing.T) {
	m := mappings(t)
	files, _ := Generate(m, DefaultOptions())
	for i, f := range files {
		if i%37 == 0 || corrRE.MatchString(f.Name) && i%3 == 0 {
			r := f.Rows[0]
			fmt.Printf("%-70s %s | %s %s %-28s %s %s hc=%d hires=%v exp=%.2f tot=%v inv=%v\n", f.Name, f.ReceivedAt.Format(time.RFC3339), r.OperatorID, r.Sector, r.OperatorName, r.Region, r.Period, r.Headcount, p(r.Hires), r.ExportRevenueMAD, pf(r.TotalRevenueMAD), pf(r.InvestmentMAD))
		}
	}
	start := time.Now()
	paths, err := WriteDir(context.Background(), t.TempDir(), m, DefaultOptions())
	fmt.Println(len(paths), err, time.Since(start))
}

func p(x *int64) any {
	if x == nil {
		return "nil"
	}
	return *x
}
func pf(x *float64) any {
	if x == nil {
		return "nil"
	}
	return fmt.Sprintf("%.2f", *x)
}
