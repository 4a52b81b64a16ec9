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

// Font sizes, in points, as printed: the sheets print at 100 % (page.go),
// so that no text is under 8 pt on paper.
const (
	sizeTitle    = 14 // a sheet's title
	sizeSetTitle = 11 // a table's title
	sizeSentence = 10 // the verdict sentences and the as-of lines
	sizeText     = 9  // table cells, notes, paragraphs
	sizeHeader   = 8  // table headers: the smallest text of the workbook
)

// numFormats are the number formats of one language. The French ones carry
// the French locale ([$-40C]), so that every reader, whatever its own
// locale, prints 123 000 and 12,5 %: LibreOffice honours the tag; Excel
// shows its reader's separators, French ones for the ministry.
type numFormats struct {
	integer, decimal, percent, growth, date string
	// probability writes below 0.5 % as "< 1 %" and above 99.5 % as
	// "> 99 %", as the verdict sentences do, the cell keeping its value.
	probability string
}

var (
	frFormats = numFormats{
		integer:     `[$-40C]#,##0`,
		decimal:     `[$-40C]#,##0.0`,
		percent:     `[$-40C]0" "%`,
		growth:      `[$-40C]0.0" "%`,
		date:        `[$-40C]dd/mm/yyyy hh:mm`,
		probability: `[$-40C][<0.005]"< 1 %";[>0.995]"> 99 %";0" "%`,
	}
	enFormats = numFormats{
		integer:     `#,##0`,
		decimal:     `#,##0.0`,
		percent:     `0%`,
		growth:      `0.0%`,
		date:        `yyyy-mm-dd hh:mm`,
		probability: `[<0.005]"< 1%";[>0.995]"> 99%";0%`,
	}
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
	sentence, paragraph, paragraphBold                int // wrapped text in merged cells (writer.paragraph)
	text, textBold, textCenter, integer, year         int
	percent, growth, probability                      int
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
	nf := l.formats
	type def struct {
		id *int
		s  excelize.Style
	}
	var (
		st   styles
		defs []def
	)
	add := func(id *int, s excelize.Style) { defs = append(defs, def{id, s}) }
	custom := func(s string) *string { return &s }
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	wrapTop := &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}
	add(&st.title, excelize.Style{Font: font(excelize.Font{Bold: true, Size: sizeTitle, Color: "1F4E79"}), Alignment: wrapTop})
	add(&st.subtitle, excelize.Style{Font: font(excelize.Font{Size: sizeSentence, Color: "404040"})})
	add(&st.setTitle, excelize.Style{Font: font(excelize.Font{Bold: true, Size: sizeSetTitle, Color: "1F4E79"}), Alignment: wrapTop})
	add(&st.header, excelize.Style{
		Font:      font(excelize.Font{Bold: true, Size: sizeHeader, Color: "FFFFFF"}),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    border,
	})
	add(&st.note, excelize.Style{Font: font(excelize.Font{Italic: true, Color: "404040"}), Alignment: wrapTop})
	add(&st.noteBold, excelize.Style{Font: font(excelize.Font{Bold: true, Size: sizeSentence}), Alignment: wrapTop})
	add(&st.sentence, excelize.Style{Font: font(excelize.Font{Size: sizeSentence}), Alignment: wrapTop})
	add(&st.paragraph, excelize.Style{Font: font(excelize.Font{}), Alignment: wrapTop})
	add(&st.paragraphBold, excelize.Style{Font: font(excelize.Font{Bold: true}), Alignment: wrapTop})
	add(&st.text, excelize.Style{Font: font(excelize.Font{}), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	add(&st.textBold, excelize.Style{Border: border, Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	add(&st.textCenter, excelize.Style{Font: font(excelize.Font{}), Border: border, Alignment: center})
	add(&st.integer, excelize.Style{Font: font(excelize.Font{}), Border: border, CustomNumFmt: custom(nf.integer), Alignment: &excelize.Alignment{Vertical: "center"}})
	add(&st.year, excelize.Style{Font: font(excelize.Font{}), Border: border, NumFmt: 1, Alignment: center})
	add(&st.percent, excelize.Style{Font: font(excelize.Font{}), Border: border, CustomNumFmt: custom(nf.percent), Alignment: center})
	add(&st.growth, excelize.Style{Font: font(excelize.Font{}), Border: border, CustomNumFmt: custom(nf.growth), Alignment: center})
	add(&st.probability, excelize.Style{Font: font(excelize.Font{}), Border: border, CustomNumFmt: custom(nf.probability), Alignment: center})
	add(&st.date, excelize.Style{Font: font(excelize.Font{Size: sizeSentence, Color: "404040"}), CustomNumFmt: custom(nf.date), Alignment: &excelize.Alignment{Horizontal: "left"}})
	add(&st.dataHeader, excelize.Style{
		Font:      font(excelize.Font{Bold: true, Size: sizeHeader}),
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    border,
	})
	add(&st.dataPeriod, excelize.Style{Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Horizontal: "center"}})
	add(&st.dataNumber, excelize.Style{Font: font(excelize.Font{}), CustomNumFmt: custom(nf.integer)})
	add(&st.dataDecimal, excelize.Style{Font: font(excelize.Font{}), CustomNumFmt: custom(nf.decimal)})
	st.status = make(map[forecast.Status]int, len(statusFill))
	ids := make([]int, len(statusOrder))
	for i, code := range statusOrder {
		add(&ids[i], excelize.Style{
			Font:      font(excelize.Font{Bold: true}),
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{statusFill[code]}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
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

// font completes f with the workbook's font and size (sizeText when none
// is given): a font without a name is drawn by some readers in a serif
// face (family 2 is "roman").
func font(f excelize.Font) *excelize.Font {
	if f.Family == "" {
		f.Family = "Calibri"
	}
	if f.Size == 0 {
		f.Size = sizeText
	}
	return &f
}
