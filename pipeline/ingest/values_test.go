package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
)

func TestReadNumber(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		ok      bool
		alt     float64
		percent bool
	}{
		{"1234.5", 1234.5, true, 0, false},
		{"1 234 567,50", 1234567.5, true, 0, false},
		{"1\u00a0234\u00a0567,50", 1234567.5, true, 0, false},
		{"1\u202f234\u202f567,50", 1234567.5, true, 0, false},
		{"1,234,567.50", 1234567.5, true, 0, false},
		{"1.234.567,50", 1234567.5, true, 0, false},
		{"1.234.567", 1234567, true, 0, false},
		{"1,234,567", 1234567, true, 0, false},
		{"1'234'567.5", 1234567.5, true, 0, false},
		{"1,234", 1.234, true, 1234, false},
		{"1.234", 1.234, true, 1234, false},
		{"12,5", 12.5, true, 0, false},
		{"12,5 %", 0.125, true, 0, true},
		{"60%", 0.6, true, 0, true},
		{"1 500 000 MAD", 1500000, true, 0, false},
		{"250000 DH", 250000, true, 0, false},
		{"MAD 15,000,000", 15000000, true, 0, false},
		{"(1 200)", -1200, true, 0, false},
		{"1.5E+7", 1.5e7, true, 0, false},
		{"−5", -5, true, 0, false},
		{"1,2,3", 0, false, 0, false},
		{"1.23.4", 0, false, 0, false},
		{"12,34.5", 0, false, 0, false},
		{"abc", 0, false, 0, false},
		{"NaN", 0, false, 0, false},
		{"Inf", 0, false, 0, false},
		{"", 0, false, 0, false},
		{"1e400", 0, false, 0, false},
	}
	for _, tt := range tests {
		n, ok := readNumber(tt.in)
		if ok != tt.ok || ok && (n.v != tt.want || n.percent != tt.percent || n.hasAlt && n.alt != tt.alt || !n.hasAlt && tt.alt != 0) {
			t.Errorf("readNumber(%q) = %+v, %v; want %v ok=%v alt=%v", tt.in, n, ok, tt.want, tt.ok, tt.alt)
		}
	}
}

func TestParseICE(t *testing.T) {
	tests := []struct{ in, want string }{
		{"001234567000089", "001234567000089"},
		{"1234567000089", "001234567000089"},
		{"001 234 567 000 089", "001234567000089"},
		{"001-234567-000089", "001234567000089"},
		{"1.234567000089E+12", "001234567000089"},
		{"1234567000089.0", "001234567000089"},
		{"ICE: 001234567000089", "001234567000089"},
		{"1234567890123456", ""},
		{"12A", ""},
		{"1.5", ""},
		{"-12", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got, _ := parseICE(tt.in); got != tt.want {
			t.Errorf("parseICE(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParsePeriodSpellings(t *testing.T) {
	x := matcher(t)
	q1, q2, q3, q4 := domain.NewPeriod(2016, 1), domain.NewPeriod(2016, 2), domain.NewPeriod(2016, 3), domain.NewPeriod(2016, 4)
	tests := []struct {
		in   string
		d    bool // 1904 date system
		want domain.Period
		ok   bool
	}{
		{"2016Q1", false, q1, true}, {"2016q1", false, q1, true}, {"T1 2016", false, q1, true}, {"2016-T1", false, q1, true},
		{"1er trimestre 2016", false, q1, true}, {"1er Trimestre 2016", false, q1, true}, {"Q1 2016", false, q1, true},
		{"2016/1", false, q1, true}, {"2016-1", false, q1, true}, {"2016.1", false, q1, true}, {"Q1-2016", false, q1, true},
		{"premier trimestre 2016", false, q1, true}, {"First quarter 2016", false, q1, true}, {"1T2016", false, q1, true},
		{"2e trimestre 2016", false, q2, true}, {"2ème trimestre 2016", false, q2, true}, {"deuxième trimestre 2016", false, q2, true},
		{"T2-16", false, q2, true}, {"1T16", false, q1, true}, {"16Q1", false, q1, true}, {"Q1/16", false, q1, true}, {"Q3 16", false, q3, true}, {"Trimestre 3 2016", false, q3, true}, {"2016 T4", false, q4, true},
		{"4e trimestre de l'année 2016", false, q4, true}, {"3rd quarter of 2016", false, q3, true},
		{"31/03/2016", false, q1, true}, {"2016-06-30", false, q2, true}, {"30.09.2016", false, q3, true}, {"31/12/16", false, q4, true},
		{"mars 2016", false, 0, false}, {"décembre 2016", false, 0, false}, {"June 2016", false, 0, false}, {"03/2016", false, 0, false}, // a month: refused (periodHint)
		{"2016-03-31T00:00:00", false, q1, true},
		{"janvier-mars 2016", false, q1, true}, {"Avril à juin 2016", false, q2, true}, {"Jul - Sep 2016", false, q3, true},
		{"du 01/10/2016 au 31/12/2016", false, q4, true}, {"janvier-juin 2016", false, 0, false}, {"1er T 2016", false, q1, true},
		{"42460", false, q1, true}, // 31/03/2016 as a 1900 serial
		{"40998", true, q1, true},  // 31/03/2016 as a 1904 serial
		{"2016", false, 0, false}, {"2016Q5", false, 0, false}, {"T5 2016", false, 0, false}, {"S1 2016", false, 0, false},
		{"2016/5", false, 0, false}, {"Q1", false, 0, false}, {"premier 2016", false, 0, false}, {"31/02/2016", false, 0, false},
		{"T1 2016 2017", false, 0, false}, {"", false, 0, false}, {"n/a", false, 0, false},
	}
	for _, tt := range tests {
		got, ok := x.parsePeriod(tt.in, tt.d)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parsePeriod(%q, 1904=%v) = %v, %v; want %v, %v", tt.in, tt.d, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSerialDate(t *testing.T) {
	tests := []struct {
		v    float64
		d    bool
		want time.Time
	}{
		{42460, false, time.Date(2016, 3, 31, 0, 0, 0, 0, time.UTC)},
		{42460.75, false, time.Date(2016, 3, 31, 0, 0, 0, 0, time.UTC)},
		{40998, true, time.Date(2016, 3, 31, 0, 0, 0, 0, time.UTC)},
		{61, false, time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)},
		{1, false, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got, ok := serialDate(tt.v, tt.d); !ok || !got.Equal(tt.want) {
			t.Errorf("serialDate(%v, %v) = %v, %v; want %v", tt.v, tt.d, got, ok, tt.want)
		}
	}
}

func TestHeaderWordings(t *testing.T) {
	x := matcher(t)
	tests := []struct {
		in     string
		col    string
		factor float64
		pct    bool
	}{
		{"ICE", "operator_id", 0, false},
		{"CA export (en KMAD)", "export_revenue_mad", 1000, false},
		{"Export revenue, MAD millions", "export_revenue_mad", 1e6, false},
		{"CA export en MDH", "export_revenue_mad", 1e6, false},
		{"Chiffre d'affaires export (milliers de dirhams)", "export_revenue_mad", 1000, false},
		{"CA TOTAL\n(MAD)", "total_revenue_mad", 1, false},
		{"Effectif\nfin de période", "headcount", 0, false},
		{"EFFECTIF FIN DE PERIODE", "headcount", 0, false},
		{"  Raison   sociale : ", "operator_name", 0, false},
		{"dont jeunes (%)", "hires_youth", 0, true},
		{"Investissements (KDH)", "investment_mad", 1000, false},
		{"Revenue export", "export_revenue_mad", 0, false},
		{"Recrutement", "hires", 0, false},
		{"CA Export HT (MAD)", "export_revenue_mad", 1, false},
		{"Employees at quarter end", "headcount", 0, false},
		{"Investissement réalisé", "investment_mad", 0, false},
		{"Commentaire", "", 0, false},
		{"Période (AAAA-TN)", "period", 0, false},
		{"ICE [15 chiffres]", "operator_id", 0, false},
		{"CA export (en milliers de dirhams) (1)", "export_revenue_mad", 1000, false},
		{"Total", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		h := x.Header(tt.in)
		if h.Column != tt.col || tt.col != "" && (h.Factor != tt.factor || h.Percent != tt.pct) {
			t.Errorf("Header(%q) = %+v, want %s ×%v pct=%v", tt.in, h, tt.col, tt.factor, tt.pct)
		}
	}
}

func TestSectorsAndRegions(t *testing.T) {
	x := matcher(t)
	sectors := map[string]string{"CRM": "CRM", "crm": "CRM", "Relation client": "CRM", "Centres d'appels": "CRM", "Services informatiques": "ITO",
		"Ingénierie": "ESO", "INGENIERIE": "ESO", "Externalisation des processus métiers": "BPO", "CRM - centre d'appels": "CRM", "Centre d'appel": "CRM", "Service informatique": "ITO",
		"Relation client / Call center": "CRM", "BPO (back office)": "BPO", "Relation client (France)": "CRM", "CRM / Ingénierie": "", "Boulangerie": "", "CRM / BPO": ""}
	for in, want := range sectors {
		if got, _ := x.Sector(in); got != want {
			t.Errorf("Sector(%q) = %q, want %q", in, got, want)
		}
	}
	regions := map[string]string{"Casa": "Casablanca-Settat", "Fès": "Fès-Meknès", "Fes": "Fès-Meknès", "Tanger": "Tanger-Tétouan-Al Hoceïma",
		"Oujda": "L'Oriental", "Casablanca (Sidi Maarouf)": "Casablanca-Settat", "RABAT - Technopolis": "Rabat-Salé-Kénitra", "Paris": "",
		"Région de Casablanca-Settat": "Casablanca-Settat", "Site de Fès Shore": "Fès-Meknès"}
	for in, want := range regions {
		if got, _ := x.Region(in); got != want {
			t.Errorf("Region(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScale(t *testing.T) {
	tests := []struct{ v, f, want float64 }{{1234.567, 1000, 1234567}, {15234.5005, 1000, 15234500.5}, {1.5, 1e6, 1500000}, {0.1, 1000, 100}, {7, 1, 7}, {2.5, 3, 7.5}}
	for _, tt := range tests {
		if got := scale(tt.v, tt.f); got != tt.want {
			t.Errorf("scale(%v, %v) = %v, want %v", tt.v, tt.f, got, tt.want)
		}
	}
}

// TestOldMappingsFile: a mappings.yaml written before the units, periods and
// labels sections gets them from the embedded defaults.
func TestOldMappingsFile(t *testing.T) {
	c, err := config.Default("")
	if err != nil {
		t.Fatal(err)
	}
	old := c.Mappings
	old.Units, old.Periods, old.Labels = nil, config.PeriodWords{}, config.LabelWords{}
	x := NewMatcher(&old)
	if p, ok := x.parsePeriod("T1 2016", false); !ok || p != domain.NewPeriod(2016, 1) {
		t.Errorf("T1 2016 → %v %v", p, ok)
	}
	if h := x.Header("CA export (KMAD)"); h.Column != "export_revenue_mad" || h.Factor != 1000 {
		t.Errorf("header %+v", h)
	}
}

// FuzzNormalizeASCII: Normalize's ASCII fast path agrees with the general one.
func FuzzNormalizeASCII(f *testing.F) {
	for _, s := range []string{"", "CA export (en KMAD)", "  Total  ", "dont jeunes (-35 ans)", "ICE\t15", "a_b-c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ascii(s) {
			return
		}
		if got, want := Normalize(s), normalizeRunes(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestPeriodHints: a half-year, a month (typed as text) or a year where a
// quarter is expected is refused, saying what to send instead; a date is
// the quarter it falls in.
func TestPeriodHints(t *testing.T) {
	x := matcher(t)
	tests := []struct{ in, want string }{
		{"S1 2017", "envoyez T1 et T2 2017"},
		{"2e semestre 2017", "envoyez T3 et T4 2017"},
		{"H2 2018", "envoyez T3 et T4 2018"},
		{"janvier 2017", "écrivez T1 2017"},
		{"Aug 2019", "écrivez T3 2019"},
		{"mars 2017", "écrivez T1 2017"},
		{"12/2018", "écrivez T4 2018"},
		{"2017", "par exemple T4 2017"},
	}
	for _, tt := range tests {
		if _, ok := x.parsePeriod(tt.in, false); ok {
			t.Errorf("parsePeriod(%q) accepted", tt.in)
		}
		if msg, ok := x.periodHint(tt.in); !ok || !strings.Contains(msg.fr, tt.want) {
			t.Errorf("periodHint(%q) = %q, want it to say %q", tt.in, msg.fr, tt.want)
		}
	}
	for _, in := range []string{"janvier-mars 2017", "T1 2017", "31/03/2017"} {
		if _, ok := x.parsePeriod(in, false); !ok {
			t.Errorf("parsePeriod(%q) refused", in)
		}
	}
}
