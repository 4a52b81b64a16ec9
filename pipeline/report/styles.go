package report

import (
	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// The statuses an assessment carries (assess.Assessment.Status).
var (
	statusMet      = forecast.StatusMet
	statusOnTrack  = forecast.StatusOnTrack
	statusAtRisk   = forecast.StatusAtRisk
	statusOffTrack = forecast.StatusOffTrack
	statusUnknown  = forecast.StatusUnknown
	// A closed target's: its horizon is past and observed.
	statusAchieved    = assess.StatusAchieved
	statusNotAchieved = assess.StatusNotAchieved
)

// Built-in number formats: Excel shows them with the reader's own separators
// (1 234 in French, 1,234 in English).
const (
	numFmtInteger   = 3 // #,##0
	numFmtPercent   = 9 // 0%
	numFmtPlainYear = 1 // 0
)

// Status fills: green, light green, orange, red; grey when undetermined;
// a closed target's verdict green or deep red.
var statusFill = map[forecast.Status]string{
	statusMet:         "63BE7B",
	statusOnTrack:     "C6EFCE",
	statusAtRisk:      "FFC000",
	statusOffTrack:    "FF7C80",
	statusUnknown:     "D9D9D9",
	statusAchieved:    "63BE7B",
	statusNotAchieved: "E06666",
}

// statusOrder is the order of the legend; the statuses of optionalStatus
// are listed only when a target carries them.
var statusOrder = []forecast.Status{statusMet, statusOnTrack, statusAtRisk, statusOffTrack, statusUnknown, statusAchieved, statusNotAchieved}

// optionalStatus are the statuses the legend lists only when seen.
var optionalStatus = map[forecast.Status]bool{statusUnknown: true, statusAchieved: true, statusNotAchieved: true}

// styles are the cell styles of the workbook, created once per file.
type styles struct {
	title, subtitle, setTitle, header, note, noteBold int
	text, textBold, textCenter, integer, year         int
	percent, growth                                   int
	date, dataHeader, dataPeriod, dataNumber          int
	dataDecimal                                       int
	status                                            map[forecast.Status]int
}

func newStyles(f *excelize.File, l *labels) (*styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1},
		{Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1},
		{Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	growthFmt := "0.0%"
	dateFmt := l.dateFormat
	type def struct {
		id *int
		s  excelize.Style
	}
	var (
		st   styles
		defs []def
	)
	add := func(id *int, s excelize.Style) { defs = append(defs, def{id, s}) }
	add(&st.title, excelize.Style{Font: font(excelize.Font{Bold: true, Size: 16, Color: "1F4E79"})})
	add(&st.subtitle, excelize.Style{Font: font(excelize.Font{Color: "404040"})})
	add(&st.setTitle, excelize.Style{Font: font(excelize.Font{Bold: true, Size: 12, Color: "1F4E79"})})
	add(&st.header, excelize.Style{
		Font:      font(excelize.Font{Bold: true, Color: "FFFFFF"}),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    border,
	})
	add(&st.note, excelize.Style{Font: font(excelize.Font{Italic: true, Color: "404040"})})
	add(&st.noteBold, excelize.Style{Font: font(excelize.Font{Bold: true})})
	add(&st.text, excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center"}})
	add(&st.textBold, excelize.Style{Border: border, Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Vertical: "center"}})
	add(&st.textCenter, excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	add(&st.integer, excelize.Style{Border: border, NumFmt: numFmtInteger})
	add(&st.year, excelize.Style{Border: border, NumFmt: numFmtPlainYear, Alignment: &excelize.Alignment{Horizontal: "center"}})
	add(&st.percent, excelize.Style{Border: border, NumFmt: numFmtPercent, Alignment: &excelize.Alignment{Horizontal: "center"}})
	add(&st.growth, excelize.Style{Border: border, CustomNumFmt: &growthFmt, Alignment: &excelize.Alignment{Horizontal: "center"}})
	add(&st.date, excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left"}})
	add(&st.dataHeader, excelize.Style{
		Font:      font(excelize.Font{Bold: true}),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    border,
	})
	add(&st.dataPeriod, excelize.Style{Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Horizontal: "center"}})
	add(&st.dataNumber, excelize.Style{NumFmt: numFmtInteger})
	add(&st.dataDecimal, excelize.Style{NumFmt: 4}) // #,##0.00
	st.status = make(map[forecast.Status]int, len(statusFill))
	ids := make([]int, len(statusOrder))
	for i, code := range statusOrder {
		add(&ids[i], excelize.Style{
			Font:      font(excelize.Font{Bold: true}),
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{statusFill[code]}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			Border:    border,
		})
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	for i, code := range statusOrder {
		st.status[code] = ids[i]
	}
	return &st, nil
}

// font completes f with the workbook's font and size: a font without a name
// is drawn by some readers in a serif face (family 2 is "roman").
func font(f excelize.Font) *excelize.Font {
	if f.Family == "" {
		f.Family = "Calibri"
	}
	if f.Size == 0 {
		f.Size = 11
	}
	return &f
}
