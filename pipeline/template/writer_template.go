package template

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
)

// Options choose how the template is built.
type Options struct {
	// Lang is the language of the headers and instructions: "fr" (the
	// default, also when empty) or "en".
	Lang string
}

// LastRow is the last data row the template's validations cover: data rows
// are 2..LastRow. Number formats cover whole columns.
const LastRow = 5000

// ListsSheet is the name of the hidden sheet that holds the drop-down lists,
// in both languages.
const ListsSheet = "Listes"

// SheetName returns the name of the data sheet for lang: "Return" for "en",
// "Déclaration" otherwise.
func SheetName(lang string) string {
	if normLang(lang) == "en" {
		return "Return"
	}
	return "Déclaration"
}

// InstructionsSheet returns the name of the instructions sheet for lang; it is
// "Instructions" in both languages.
func InstructionsSheet(lang string) string { return "Instructions" }

func normLang(lang string) string { return strings.ToLower(strings.TrimSpace(lang)) }

func checkLang(lang string) (string, error) {
	switch l := normLang(lang); l {
	case "", "fr":
		return "fr", nil
	case "en":
		return "en", nil
	default:
		return "", fmt.Errorf("template: language %q: want fr or en", lang)
	}
}

// cellKind says how a column's cells are formatted and validated.
type cellKind int

const (
	kindText cellKind = iota
	kindInt
	kindAmount
)

// colSpec is what the template knows about a canonical column beyond its
// wordings (which come from mappings.yaml).
type colSpec struct {
	name     string
	kind     cellKind
	width    float64
	required bool
	unit     [2]string // fr, en
	rule     [2]string // fr, en
}

// canonical lists the columns of a return in template order.
var canonical = []colSpec{
	{"operator_id", kindText, 19, true,
		[2]string{"texte", "text"},
		[2]string{"Identifiant commun de l'entreprise : 15 chiffres, zéros de tête compris.", "Common company identifier (ICE): 15 digits, leading zeros included."}},
	{"operator_name", kindText, 34, true,
		[2]string{"texte", "text"},
		[2]string{"Nom légal de l'entreprise.", "Legal name of the company."}},
	{"sector", kindText, 11, true,
		[2]string{"code", "code"},
		[2]string{"Filière : CRM, BPO, ITO, ESO ou KPO (liste déroulante).", "Sector: CRM, BPO, ITO, ESO or KPO (drop-down list)."}},
	{"region", kindText, 28, true,
		[2]string{"texte", "text"},
		[2]string{"Région du site, découpage de 2015 (liste déroulante) ; une ville est acceptée.", "Region of the site, 2015 division (drop-down list); a city is accepted."}},
	{"period", kindText, 11, true,
		[2]string{"trimestre", "quarter"},
		[2]string{"Trimestre déclaré, au format 2016Q1 (année, Q, numéro du trimestre).", "Quarter reported, written 2016Q1 (year, Q, quarter number)."}},
	{"headcount", kindInt, 15, true,
		[2]string{"personnes", "persons"},
		[2]string{"Emplois directs au dernier jour du trimestre ; nombre entier >= 0.", "Direct jobs on the last day of the quarter; whole number >= 0."}},
	{"hires", kindInt, 15, false,
		[2]string{"personnes", "persons"},
		[2]string{"Recrutements au cours du trimestre ; nombre entier >= 0.", "People hired during the quarter; whole number >= 0."}},
	{"hires_youth", kindInt, 17, false,
		[2]string{"personnes", "persons"},
		[2]string{"Parmi les recrutements, personnes de moins de 35 ans ; <= recrutements.", "Of the people hired, those under 35; <= hires."}},
	{"hires_disabled", kindInt, 19, false,
		[2]string{"personnes", "persons"},
		[2]string{"Parmi les recrutements, personnes en situation de handicap ; <= recrutements.", "Of the people hired, people with disabilities; <= hires."}},
	{"export_revenue_mad", kindAmount, 20, true,
		[2]string{"MAD (dirhams, en unités)", "MAD (dirhams, in units)"},
		[2]string{"Chiffre d'affaires à l'export du trimestre ; >= 0.", "Export revenue of the quarter; >= 0."}},
	{"total_revenue_mad", kindAmount, 20, false,
		[2]string{"MAD (dirhams, en unités)", "MAD (dirhams, in units)"},
		[2]string{"Chiffre d'affaires total du trimestre ; >= CA export.", "Total revenue of the quarter; >= export revenue."}},
	{"investment_mad", kindAmount, 20, false,
		[2]string{"MAD (dirhams, en unités)", "MAD (dirhams, in units)"},
		[2]string{"Investissements réalisés au cours du trimestre ; >= 0.", "Investment made during the quarter; >= 0."}},
}

// column is one template column as built: its spec, its wording and letter.
type column struct {
	colSpec
	header string
	note   string
	letter string
}

// texts are the words of the workbook in each language, indexed fr=0, en=1.
type texts struct {
	required, optional                      string
	errTitle                                string
	errICE, errPeriod, errSector, errRegion string
	errWhole, errSub, errAmount, errTotal   string
	listSector, listLabel, listRegion       string
	title                                   string
	paragraphs                              []string
	tableHead                               [5]string
	sectorsHead, regionsHead                string
	yes, no                                 string
}

var words = [2]texts{
	{
		required: "Obligatoire.", optional: "Facultatif.",
		errTitle:   "Valeur refusée",
		errICE:     "L'ICE compte exactement 15 chiffres (saisis comme texte, zéros de tête compris).",
		errPeriod:  "Écrivez le trimestre au format 2016Q1.",
		errSector:  "Choisissez la filière dans la liste : CRM, BPO, ITO, ESO ou KPO.",
		errRegion:  "Choisissez la région dans la liste (découpage de 2015). Continuer quand même ?",
		errWhole:   "Saisissez un nombre entier de personnes, supérieur ou égal à 0.",
		errSub:     "Saisissez un nombre entier entre 0 et le nombre de recrutements de la ligne.",
		errAmount:  "Saisissez un montant en dirhams (MAD), supérieur ou égal à 0.",
		errTotal:   "Le CA total doit être supérieur ou égal au CA export de la ligne.",
		listSector: "Filière", listLabel: "Libellé", listRegion: "Région",
		title: "Déclaration trimestrielle des opérateurs de l'offshoring : mode d'emploi",
		paragraphs: []string{
			"Remplissez la feuille « Déclaration » : une ligne par opérateur et par trimestre, à partir de la ligne 2. Ne modifiez pas la ligne d'en-tête.",
			"Période : le trimestre déclaré, au format 2016Q1 (année, lettre Q, numéro du trimestre de 1 à 4). 2016Q1 = janvier à mars 2016.",
			"Montants : en dirhams (MAD), en unités ; pas en milliers ni en millions de dirhams.",
			"Effectifs et recrutements : nombres entiers de personnes. L'effectif est celui du dernier jour du trimestre.",
			"Une case facultative dont le chiffre n'est pas connu reste vide : n'écrivez pas 0 à la place d'un chiffre inconnu.",
			"Correction : pour corriger une déclaration déjà envoyée, renvoyez simplement le fichier complet corrigé. La dernière déclaration reçue pour un opérateur et un trimestre remplace les précédentes.",
			"Chaque cellule d'en-tête porte un commentaire qui rappelle la règle de la colonne.",
		},
		tableHead:   [5]string{"Nom technique", "En-tête", "Unité", "Règle", "Obligatoire"},
		sectorsHead: "Filières (codes de la liste déroulante)",
		regionsHead: "Régions (liste déroulante)",
		yes:         "Oui", no: "Non",
	},
	{
		required: "Required.", optional: "Optional.",
		errTitle:   "Value refused",
		errICE:     "The ICE has exactly 15 digits (entered as text, leading zeros included).",
		errPeriod:  "Write the quarter as 2016Q1.",
		errSector:  "Choose the sector from the list: CRM, BPO, ITO, ESO or KPO.",
		errRegion:  "Choose the region from the list (2015 division). Continue anyway?",
		errWhole:   "Enter a whole number of persons, 0 or more.",
		errSub:     "Enter a whole number between 0 and the row's number of hires.",
		errAmount:  "Enter an amount in dirhams (MAD), 0 or more.",
		errTotal:   "Total revenue must be at least the row's export revenue.",
		listSector: "Sector", listLabel: "Label", listRegion: "Region",
		title: "Quarterly return of offshoring operators: how to fill it in",
		paragraphs: []string{
			"Fill in the \"Return\" sheet: one row per operator and quarter, from row 2. Do not change the header row.",
			"Period: the quarter reported, written 2016Q1 (year, letter Q, quarter number 1 to 4). 2016Q1 = January to March 2016.",
			"Amounts: in Moroccan dirhams (MAD), in units; not in thousands or millions of dirhams.",
			"Headcount and hires: whole numbers of persons. Headcount is counted on the last day of the quarter.",
			"Leave an optional cell empty when the figure is not known: do not write 0 for an unknown figure.",
			"Corrections: to correct a return already sent, simply send the whole corrected file again. The latest return received for an operator and a quarter replaces the earlier ones.",
			"Each header cell has a comment that recalls the column's rule.",
		},
		tableHead:   [5]string{"Field", "Header", "Unit", "Rule", "Required"},
		sectorsHead: "Sectors (codes of the drop-down list)",
		regionsHead: "Regions (drop-down list)",
		yes:         "Yes", no: "No",
	},
}

// layout resolves the canonical columns against the mappings.
func layout(m *config.Mappings, li int) ([]column, error) {
	if m == nil {
		return nil, fmt.Errorf("template: no mappings")
	}
	byName := make(map[string]config.Column, len(m.Columns))
	for _, c := range m.Columns {
		byName[c.Name] = c
	}
	cols := make([]column, len(canonical))
	for i, spec := range canonical {
		mc, ok := byName[spec.name]
		if !ok {
			return nil, fmt.Errorf("template: mappings have no column %q", spec.name)
		}
		header, note := mc.FR, mc.Note
		if li == 1 {
			header = mc.EN
			note = spec.rule[1] + " Unit: " + spec.unit[1] + ". " + words[1].optional
			if spec.required {
				note = spec.rule[1] + " Unit: " + spec.unit[1] + ". " + words[1].required
			}
		}
		if header == "" {
			return nil, fmt.Errorf("template: mappings column %q has no %s wording", spec.name, []string{"fr", "en"}[li])
		}
		if note == "" {
			note = spec.rule[li]
		}
		letter, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return nil, err
		}
		cols[i] = column{colSpec: spec, header: header, note: note, letter: letter}
	}
	return cols, nil
}

// New builds the blank return template workbook operators fill in, in the
// language of opts. The data sheet is first and active. The caller closes the
// returned file.
func New(m *config.Mappings, opts Options) (*excelize.File, error) {
	lang, err := checkLang(opts.Lang)
	if err != nil {
		return nil, err
	}
	li := 0
	if lang == "en" {
		li = 1
	}
	cols, err := layout(m, li)
	if err != nil {
		return nil, err
	}
	if len(m.Sectors) == 0 || len(m.Regions) == 0 {
		return nil, fmt.Errorf("template: mappings need at least one sector and one region")
	}
	f := excelize.NewFile()
	b := &builder{f: f, m: m, li: li, lang: lang, cols: cols, data: SheetName(lang)}
	if err := b.build(); err != nil {
		f.Close()
		return nil, fmt.Errorf("template: %w", err)
	}
	return f, nil
}

// Write builds the template (see New) and writes it to w as .xlsx.
func Write(w io.Writer, m *config.Mappings, opts Options) error {
	f, err := New(m, opts)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Write(w); err != nil {
		return fmt.Errorf("template: writing workbook: %w", err)
	}
	return nil
}

// Fill builds the template (see New) and writes rows into its data sheet, one
// Return per row from row 2, in the order given; it is meant for the
// synthetic generator and tests. Optional figures that are nil are left
// blank, never written as 0. Lineage fields of the returns are not written.
// The caller closes the returned file.
func Fill(m *config.Mappings, opts Options, rows []domain.Return) (*excelize.File, error) {
	if len(rows) > LastRow-1 {
		return nil, fmt.Errorf("template: %d rows do not fit in rows 2..%d", len(rows), LastRow)
	}
	f, err := New(m, opts)
	if err != nil {
		return nil, err
	}
	sheet := SheetName(opts.Lang)
	for i := range rows {
		r := &rows[i]
		vals := map[string]any{
			"operator_id":        r.OperatorID,
			"operator_name":      r.OperatorName,
			"sector":             r.Sector,
			"region":             r.Region,
			"period":             r.Period.String(),
			"headcount":          r.Headcount,
			"hires":              intOrNil(r.Hires),
			"hires_youth":        intOrNil(r.HiresYouth),
			"hires_disabled":     intOrNil(r.HiresDisabled),
			"export_revenue_mad": r.ExportRevenueMAD,
			"total_revenue_mad":  floatOrNil(r.TotalRevenueMAD),
			"investment_mad":     floatOrNil(r.InvestmentMAD),
		}
		for j, spec := range canonical {
			v := vals[spec.name]
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+2)
			if err != nil {
				f.Close()
				return nil, err
			}
			if s, ok := v.(string); ok {
				if s == "" {
					continue
				}
				// SetCellStr keeps "001…" and "2016Q1" as text whatever they look like.
				err = f.SetCellStr(sheet, cell, s)
			} else {
				err = f.SetCellValue(sheet, cell, v)
			}
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("template: writing %s!%s: %w", sheet, cell, err)
			}
		}
	}
	return f, nil
}

func intOrNil(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func floatOrNil(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// builder holds what the steps of New share.
type builder struct {
	f    *excelize.File
	m    *config.Mappings
	li   int
	lang string
	cols []column
	data string
}

func (b *builder) build() error {
	f := b.f
	if err := f.SetSheetName(f.GetSheetName(0), b.data); err != nil {
		return err
	}
	if _, err := f.NewSheet(InstructionsSheet(b.lang)); err != nil {
		return err
	}
	if _, err := f.NewSheet(ListsSheet); err != nil {
		return err
	}
	steps := []func() error{b.lists, b.dataSheet, b.validations, b.instructions, b.properties}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.SetSheetVisible(ListsSheet, false)
}

// listRefs are the absolute ranges of the drop-down lists on ListsSheet.
func (b *builder) listRefs() (sectors, regions string) {
	return fmt.Sprintf("%s!$A$2:$A$%d", ListsSheet, len(b.m.Sectors)+1),
		fmt.Sprintf("%s!$C$2:$C$%d", ListsSheet, len(b.m.Regions)+1)
}

func (b *builder) lists() error {
	f, w := b.f, words[b.li]
	// Slices, not maps, wherever order reaches the file: the shared strings
	// table follows the order cells are written, and the bytes must not vary.
	for i, v := range []string{w.listSector, w.listLabel, w.listRegion} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(ListsSheet, cell, v); err != nil {
			return err
		}
	}
	for i, s := range b.m.Sectors {
		label := s.FR
		if b.li == 1 {
			label = s.EN
		}
		if err := f.SetCellStr(ListsSheet, fmt.Sprintf("A%d", i+2), s.Code); err != nil {
			return err
		}
		if err := f.SetCellStr(ListsSheet, fmt.Sprintf("B%d", i+2), label); err != nil {
			return err
		}
	}
	for i, r := range b.m.Regions {
		if err := f.SetCellStr(ListsSheet, fmt.Sprintf("C%d", i+2), r.Name); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(ListsSheet, "A", "A", 10); err != nil {
		return err
	}
	return f.SetColWidth(ListsSheet, "B", "C", 45)
}

// Built-in number formats: every reader knows them by id.
const (
	numFmtInt    = 3  // #,##0
	numFmtAmount = 4  // #,##0.00
	numFmtText   = 49 // @
)

func (b *builder) dataSheet() error {
	f, sheet := b.f, b.data
	border := []excelize.Border{{Type: "bottom", Color: "1F3864", Style: 2}}
	head := func(color string) (int, error) {
		return f.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "1F3864"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
			NumFmt:    numFmtText,
		})
	}
	headReq, err := head("B4C6E7")
	if err != nil {
		return err
	}
	headOpt, err := head("DDEBF7")
	if err != nil {
		return err
	}
	bodyFmt := map[cellKind]int{kindText: numFmtText, kindInt: numFmtInt, kindAmount: numFmtAmount}
	bodyStyle := map[cellKind]int{}
	for _, k := range []cellKind{kindText, kindInt, kindAmount} {
		id, err := f.NewStyle(&excelize.Style{NumFmt: bodyFmt[k]})
		if err != nil {
			return err
		}
		bodyStyle[k] = id
	}
	for _, c := range b.cols {
		// Column styles first: they reach every row, the header's own style overrides them.
		if err := f.SetColStyle(sheet, c.letter, bodyStyle[c.kind]); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, c.letter, c.letter, c.width); err != nil {
			return err
		}
		cell := c.letter + "1"
		if err := f.SetCellStr(sheet, cell, c.header); err != nil {
			return err
		}
		style := headOpt
		if c.required {
			style = headReq
		}
		if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
			return err
		}
		if err := f.AddComment(sheet, excelize.Comment{
			Cell: cell, Author: "offshore", Text: c.note, Width: 260, Height: 90,
		}); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(sheet, 1, 48); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}

func (b *builder) validations() error {
	w := words[b.li]
	letter := map[string]string{}
	for _, c := range b.cols {
		letter[c.name] = c.letter
	}
	sectors, regions := b.listRefs()
	rng := func(name string) string { return fmt.Sprintf("%s2:%s%d", letter[name], letter[name], LastRow) }
	type rule struct {
		col      string
		typ      excelize.DataValidationType
		op       excelize.DataValidationOperator
		f1, f2   any
		list     string
		style    excelize.DataValidationErrorStyle
		errorMsg string
	}
	stop, warn := excelize.DataValidationErrorStyleStop, excelize.DataValidationErrorStyleWarning
	geq := excelize.DataValidationOperatorGreaterThanOrEqual
	// Relative references ($G2) are read from the first row of the range, so
	// each row is checked against its own hires or export revenue.
	hires, export := "$"+letter["hires"]+"2", "$"+letter["export_revenue_mad"]+"2"
	rules := []rule{
		{col: "operator_id", typ: excelize.DataValidationTypeTextLength, op: excelize.DataValidationOperatorEqual, f1: 15, f2: "", style: stop, errorMsg: w.errICE},
		{col: "sector", list: sectors, style: stop, errorMsg: w.errSector},
		// A warning, not a stop: the note says a city is accepted too.
		{col: "region", list: regions, style: warn, errorMsg: w.errRegion},
		{col: "period", typ: excelize.DataValidationTypeTextLength, op: excelize.DataValidationOperatorEqual, f1: 6, f2: "", style: stop, errorMsg: w.errPeriod},
		{col: "headcount", typ: excelize.DataValidationTypeWhole, op: geq, f1: 0, f2: "", style: stop, errorMsg: w.errWhole},
		{col: "hires", typ: excelize.DataValidationTypeWhole, op: geq, f1: 0, f2: "", style: stop, errorMsg: w.errWhole},
		{col: "hires_youth", typ: excelize.DataValidationTypeWhole, op: excelize.DataValidationOperatorBetween, f1: 0, f2: hires, style: stop, errorMsg: w.errSub},
		{col: "hires_disabled", typ: excelize.DataValidationTypeWhole, op: excelize.DataValidationOperatorBetween, f1: 0, f2: hires, style: stop, errorMsg: w.errSub},
		{col: "export_revenue_mad", typ: excelize.DataValidationTypeDecimal, op: geq, f1: 0, f2: "", style: stop, errorMsg: w.errAmount},
		{col: "total_revenue_mad", typ: excelize.DataValidationTypeDecimal, op: geq, f1: export, f2: "", style: stop, errorMsg: w.errTotal},
		{col: "investment_mad", typ: excelize.DataValidationTypeDecimal, op: geq, f1: 0, f2: "", style: stop, errorMsg: w.errAmount},
	}
	for _, r := range rules {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = rng(r.col)
		if r.list != "" {
			dv.SetSqrefDropList(r.list)
		} else if err := dv.SetRange(r.f1, r.f2, r.typ, r.op); err != nil {
			return fmt.Errorf("validation of %s: %w", r.col, err)
		}
		dv.SetError(r.style, w.errTitle, r.errorMsg)
		if err := b.f.AddDataValidation(b.data, dv); err != nil {
			return fmt.Errorf("validation of %s: %w", r.col, err)
		}
	}
	return nil
}

func (b *builder) instructions() error {
	f, sheet, w := b.f, InstructionsSheet(b.lang), words[b.li]
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "1F3864"}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "1F3864", Style: 1}},
	})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	for i, width := range []float64{22, 36, 14, 70, 13} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	put := func(cell string, v string, style int) error {
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(sheet, cell, cell, style)
		}
		return nil
	}
	if err := put("A1", w.title, title); err != nil {
		return err
	}
	row := 3
	for _, p := range w.paragraphs {
		// Paragraphs overflow to the right across the empty cells of their row.
		if err := put(fmt.Sprintf("A%d", row), p, 0); err != nil {
			return err
		}
		row++
	}
	row++
	for i, h := range w.tableHead {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := put(cell, h, bold); err != nil {
			return err
		}
	}
	row++
	for _, c := range b.cols {
		req := w.no
		if c.required {
			req = w.yes
		}
		for i, v := range []string{c.name, c.header, c.unit[b.li], c.rule[b.li], req} {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := put(cell, v, wrap); err != nil {
				return err
			}
		}
		row++
	}
	row++
	if err := put(fmt.Sprintf("A%d", row), w.sectorsHead, bold); err != nil {
		return err
	}
	row++
	for _, s := range b.m.Sectors {
		label := s.FR
		if b.li == 1 {
			label = s.EN
		}
		if err := put(fmt.Sprintf("A%d", row), s.Code, 0); err != nil {
			return err
		}
		if err := put(fmt.Sprintf("B%d", row), label, 0); err != nil {
			return err
		}
		row++
	}
	row++
	if err := put(fmt.Sprintf("A%d", row), w.regionsHead, bold); err != nil {
		return err
	}
	row++
	for _, r := range b.m.Regions {
		if err := put(fmt.Sprintf("A%d", row), r.Name, 0); err != nil {
			return err
		}
		row++
	}
	return nil
}

func (b *builder) properties() error {
	title := map[string]string{"fr": "Déclaration trimestrielle offshoring", "en": "Offshoring quarterly return"}[b.lang]
	language := map[string]string{"fr": "fr-FR", "en": "en-GB"}[b.lang]
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:    title,
		Creator:  "offshore",
		Language: language,
	})
}
