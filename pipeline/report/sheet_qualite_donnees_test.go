package report

import (
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

func TestFiling(t *testing.T) {
	p := domain.NewPeriod(2018, 1)
	rs := []domain.Return{
		{OperatorID: "a", OperatorName: "A", Period: p - 1, ReceivedAt: (p - 1).End()},
		{OperatorID: "a", OperatorName: "A", Period: p, ReceivedAt: p.End().Add(50 * 24 * time.Hour)},
		{OperatorID: "b", OperatorName: "B", Period: p - 2, ReceivedAt: (p - 2).End()},
		{OperatorID: "c", OperatorName: "C", Period: p - 5, ReceivedAt: (p - 5).End()}, // gone: more than four quarters ago
	}
	c := filing(rs, p, p, 45)[0]
	if c.expected != 2 || c.received != 1 || c.late != 1 || len(c.missing) != 1 || c.missing[0] != "B" {
		t.Errorf("coverage %+v", c)
	}
}
