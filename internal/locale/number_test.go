package locale

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	nb := "\u202f"
	for _, tt := range []struct {
		lang string
		v    float64
		dec  int
		want string
	}{
		{"fr", 98685, 0, "98" + nb + "685"},
		{"en", 98685, 0, "98,685"},
		{"fr", 9.46, 1, "9,5"},
		{"en", 9.46, 1, "9.5"},
		{"fr", -1234567.25, 2, "-1" + nb + "234" + nb + "567,25"},
		{"fr", -0.04, 1, "0,0"},
		{"xx", 1000, 0, "1" + nb + "000"},
		{"fr", math.NaN(), 0, "–"},
	} {
		if got := Number(tt.lang, tt.v, tt.dec); got != tt.want {
			t.Errorf("Number(%s, %v, %d) = %q, want %q", tt.lang, tt.v, tt.dec, got, tt.want)
		}
	}
	for _, tt := range []struct{ got, want string }{
		{Md("fr", 9.46e9), "9,5 Md MAD"}, {Md("en", 9.46e9), "9.5 bn MAD"},
		{MDH("fr", 9_460_400_000), "9" + nb + "460 MDH"}, {Persons("fr", 123000), "123" + nb + "000"},
		{Percent("fr", 0.125, 1), "12,5" + nb + "%"}, {Percent("en", 0.125, 1), "12.5%"},
		{Probability("fr", 0.001), "< 1" + nb + "%"}, {Probability("en", 0.999), "> 99%"}, {Probability("fr", 0.25), "25" + nb + "%"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
