package chart

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	target := 5.0
	f := Fan{Title: "t", HistoryX: []float64{2016, 2017}, History: []float64{1, 2}, X: []float64{2018, 2019}, Median: []float64{3, 4},
		Lo80: []float64{2.5, 3}, Hi80: []float64{3.5, 5}, Target: &target, Years: true, YLabels: func(v float64) string { return "≈" },
		Lines: []Line{{Label: "growth needed", X: []float64{2017, 2019}, Y: []float64{2, 5}, Dotted: true}}}
	for _, tt := range []struct{ format, prefix string }{{"png", "\x89PNG"}, {"svg", "<?xml"}} {
		var b bytes.Buffer
		if err := f.Write(&b, tt.format); err != nil || !strings.HasPrefix(b.String(), tt.prefix) {
			t.Errorf("%s: %v, begins %q", tt.format, err, b.String()[:min(8, b.Len())])
		}
		if tt.format == "svg" && (!strings.Contains(b.String(), "growth needed") || !strings.Contains(b.String(), "2018") || !strings.Contains(b.String(), "≈")) {
			t.Error("the SVG lacks the line's legend, the year ticks or the y labels")
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b, "gif"); err == nil {
		t.Error("gif accepted")
	}
	f.Lines[0].Y = f.Lines[0].Y[:1]
	if err := f.Write(&b, "png"); err == nil {
		t.Error("a line of 2 x for 1 y accepted")
	}
}
