package locale

import (
	"math"
	"strconv"
	"strings"
)

// Languages the package writes; any other reads as French.
const (
	French  = "fr"
	English = "en"
)

// Lang returns lang when it is one the package writes, else French.
func Lang(lang string) string {
	if lang == English {
		return English
	}
	return French
}

// Number writes v with decimals digits after the point, grouped by
// thousands: "118 300" and "9,5" in French (a narrow no-break space
// U+202F, a decimal comma), "118,300" and "9.5" in English. A value that
// rounds to zero has no minus sign; NaN and ±Inf are written "–".
func Number(lang string, v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	full := strconv.FormatFloat(v, 'f', decimals, 64)
	s := strings.TrimPrefix(full, "-")
	sign := ""
	if len(s) < len(full) && strings.Trim(s, "0.") != "" {
		sign = "-"
	}
	whole, frac, _ := strings.Cut(s, ".")
	sep, point := ",", "."
	if Lang(lang) == French {
		sep, point = "\u202f", ","
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point + frac)
	}
	return b.String()
}

// Persons writes a count of persons, rounded to the unit: "98 685".
func Persons(lang string, v float64) string { return Number(lang, v, 0) }

// MDH writes an amount of MAD in millions of dirhams, rounded to the
// million, with its unit: "9 460 MDH" (the workbook's tables).
func MDH(lang string, mad float64) string { return Number(lang, mad/1e6, 0) + " MDH" }

// Md writes an amount of MAD in milliards (billions) of dirhams with one
// decimal and its unit: "9,5 Md MAD" ("9.5 bn MAD" in English), as the
// workbook's sentences and charts.
func Md(lang string, mad float64) string {
	if Lang(lang) == English {
		return Number(lang, mad/1e9, 1) + " bn MAD"
	}
	return Number(lang, mad/1e9, 1) + " Md MAD"
}

// Percent writes a share or a rate (0.125) as a percentage with decimals
// digits: "12,5 %" (a narrow no-break space before the sign) in French,
// "12.5%" in English.
func Percent(lang string, p float64, decimals int) string {
	if Lang(lang) == English {
		return Number(lang, 100*p, decimals) + "%"
	}
	return Number(lang, 100*p, decimals) + "\u202f%"
}

// Probability writes a probability as a whole percent, "< 1 %" and
// "> 99 %" at the ends where rounding would claim a certainty no model has.
func Probability(lang string, p float64) string {
	switch {
	case math.IsNaN(p):
		return "–"
	case p < 0.005:
		return "< " + Percent(lang, 0.01, 0)
	case p > 0.995:
		return "> " + Percent(lang, 0.99, 0)
	}
	return Percent(lang, p, 0)
}
