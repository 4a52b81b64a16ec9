package seriesfile

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/offshore-ma/offshore/forecast"
)

// FuzzRead: Read never panics, whatever the bytes; what it reads has at
// least one series, each of one known frequency, with finite values where
// not missing and its first and last observed; and such series forecast
// and write without a NaN.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"two.good.csv", "odd.good.csv", "fr.good.csv", "months.good.csv", "cells.bad.csv", "quote.bad.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("serie;periode;valeur\na;T1 2016;1\na;2016Q3;1e308\na;mars 2016;-1e308\n"))
	f.Add([]byte("\ufeffid,date,value\nx,01/01/2016,1\nx,1/4/2016,2\nx,2016-07-01,3\n"))
	model, _ := forecast.ByName("rw-drift")
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			return
		}
		if len(file.Series) == 0 {
			t.Fatal("no series and no error")
		}
		for _, s := range file.Series {
			if s.Freq != 1 && s.Freq != 4 && s.Freq != 12 {
				t.Fatalf("%s: frequency %d", s.ID, s.Freq)
			}
			for i, v := range s.Values {
				missing := s.Missing != nil && s.Missing[i]
				if !missing && !finite(v) {
					t.Fatalf("%s: value %v read", s.ID, v)
				}
				if missing && (i == 0 || i == len(s.Values)-1) {
					t.Fatalf("%s: an end is missing", s.ID)
				}
			}
		}
		res, _ := Forecast(context.Background(), file.Series, Options{Horizon: 2, Model: model, Workers: 1}, nil)
		var out bytes.Buffer
		if err := Write(&out, CSV, file.Style, res); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out.Bytes(), []byte("NaN")) || bytes.Contains(out.Bytes(), []byte("Inf")) {
			t.Fatalf("NaN written:\n%s", out.String())
		}
	})
}
