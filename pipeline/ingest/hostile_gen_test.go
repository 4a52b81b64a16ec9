package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostileBooks are hostile workbooks generated at test time (small zips,
// large contents), with the code each must be refused with ("ok": read).
// OFFSHORE_WRITE_HOSTILE=DIR writes them (full size) into DIR, to measure
// `offshore validate` and `ingest` on them.
func hostileBooks(t testing.TB, full bool) []struct {
	name, code string
	data       []byte
} {
	scale := 10 // the sizes of the issue / scale, in `go test`
	if full {
		scale = 1
	}
	var xfd strings.Builder // 1,000 rows each holding one cell in column XFD
	for r := 3; r < 1003; r++ {
		fmt.Fprintf(&xfd, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
	}
	rows := 1<<20 - 2 // with the header and the first return: every row of a sheet
	if !full {
		rows = 150_000 // over the tests' max_rows (100,000)
	}
	var many strings.Builder
	for r := 3; r < 3+rows; r++ {
		// Shared strings 8 to 11 are the first return's name, sector,
		// region and period; the ICE a number, one per row.
		fmt.Fprintf(&many, `<row r="%d"><c><v>%d</v></c><c t="s"><v>8</v></c><c t="s"><v>9</v></c><c t="s"><v>10</v></c><c t="s"><v>11</v></c><c><v>10</v></c><c><v>1000000</v></c></row>`,
			r, 1234567000000+r)
	}
	return []struct {
		name, code string
		data       []byte
	}{
		{"every-row.xlsx", "too_many_rows", partsBook{styles: true, sst: true, extraRows: many.String()}.bytes(t)},
		{"column-xfd.xlsx", "bad_count", partsBook{sheetViews: true, styles: true, sst: true, extraRows: xfd.String()}.bytes(t)},
		{"long-name-shared.xlsx", "text_too_long", partsBook{styles: true, sst: true, name: strings.Repeat("Atlas ", (40<<20)/6/scale)}.bytes(t)},
		{"long-name-inline.xlsx", "text_too_long", partsBook{styles: true, name: strings.Repeat("Atlas ", (40<<20)/6/scale)}.bytes(t)},
		{"spaces-in-sheetdata.xlsx", "xml_padding", partsBook{styles: true, sst: true, extraRows: strings.Repeat(" ", (190<<20)/scale)}.bytes(t)},
		{"name-at-the-cell-limit.xlsx", "bad_count", partsBook{styles: true, sst: true, name: strings.Repeat("é", maxCellChars)}.bytes(t)},
	}
}

// TestHostileGenerated: each generated hostile file is refused with its
// code (a text too long names its cell), quickly, and gets a feedback.
func TestHostileGenerated(t *testing.T) {
	full := os.Getenv("OFFSHORE_WRITE_HOSTILE")
	for _, h := range hostileBooks(t, full != "") {
		if full != "" {
			if err := os.WriteFile(filepath.Join(full, h.name), h.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(h.name, func(t *testing.T) {
			if len(h.data) > 4<<20 {
				t.Errorf("%d bytes zipped: not small", len(h.data))
			}
			start := time.Now()
			res := Read(h.name, "sha", h.data, corpusNow, matcher(t), corpusOptions())
			var codes []string
			for _, p := range res.Problems {
				codes = append(codes, p.Code)
			}
			if !strings.Contains(" "+strings.Join(codes, " ")+" ", " "+h.code+" ") {
				t.Fatalf("codes %v, want %s", codes, h.code)
			}
			for _, p := range res.Problems {
				if p.Code == "text_too_long" && p.Cell == "" && !strings.Contains(p.MessageFR, "la cellule B2 de la feuille « Déclaration »") {
					t.Errorf("the cell is not named: %s", p.MessageFR)
				}
				if strings.Contains(p.MessageFR+p.ExpectedFR, ".yaml") || strings.Contains(p.ExpectedFR, "characters") {
					t.Errorf("message for the ministry's staff, or in English: %s / %s", p.MessageFR, p.ExpectedFR)
				}
			}
			if _, err := WriteFeedback(h.data, res, FeedbackOptions{Timeout: 10 * time.Second}); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			t.Logf("%d KB zipped, %s, heap %d MB", len(h.data)>>10, time.Since(start).Round(time.Millisecond), m.HeapAlloc>>20)
		})
	}
}
