package report

import (
	"fmt"
	"regexp"
	"strings"
)

// methodWords name the forecasting methods and say why one was chosen, in
// the workbook's language. The forecast package names its methods and
// explains its choice in English (assess.Assessment's Model and
// ModelReason); these are the same facts in the reader's words.
type methodWords struct {
	names   map[string]string // forecast's method names → words
	weight  string            // "%s (%s)": a method and its weight
	and     string            // the last separator of a list
	imposed string            // the reason of a model the configuration fixed, which gives none
	// translate is false when ModelReason is already in the workbook's
	// language (English) and is printed as it is.
	translate bool
	// The parts of a reason, as forecast writes them (model_auto.go).
	cv, lowest, combined, aicc, only, seasonal, leftOut, notPositive string
	multiplicative, additive                                         string
	etsForm, etsLeftOut, outliers, levelScale                        string
	untranslated                                                     string
}

// modelText names model (assess.Assessment.Model: one method, or a
// combination "damped 66% + rw-drift 17% + theta 17%") in words.
func (l *labels) modelText(model string) string {
	if model == "" {
		return ""
	}
	var parts []string
	for _, p := range strings.Split(model, " + ") {
		name, pct, ok := strings.Cut(p, " ")
		if !ok || !strings.HasSuffix(pct, "%") {
			parts = append(parts, l.methodName(p))
			continue
		}
		parts = append(parts, fmt.Sprintf(l.models.weight, l.methodName(name), strings.TrimSuffix(pct, "%")+l.percentSpace+"%"))
	}
	return l.list(parts)
}

// methodName names one method, or a candidate of several ("theta+damped").
func (l *labels) methodName(name string) string {
	var out []string
	for _, m := range strings.Split(name, "+") {
		if s, ok := l.models.names[m]; ok {
			out = append(out, s)
		} else {
			out = append(out, m)
		}
	}
	return strings.Join(out, " + ")
}

// list joins words: "a, b et c".
func (l *labels) list(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + l.models.and + words[len(words)-1]
}

// The reasons forecast's automatic model gives (model_auto.go), part by
// part ("; " between them).
var (
	reCV       = regexp.MustCompile(`^rolling-origin cross-validation over (\d+) origins, up to (\d+) steps, (\d+) candidates \((.*)\)$`)
	reLowest   = regexp.MustCompile(`^the lowest mean absolute scaled error: (.+)$`)
	reCombined = regexp.MustCompile(`^the (\d+) lowest mean absolute scaled errors, combined with weights inverse to them: (.+)$`)
	reAICc     = regexp.MustCompile(`^(\d+) points, too few for (\d+) rolling origins: lowest AICc among single methods$`)
	reOnly     = regexp.MustCompile(`^(\d+) points: the only method that fits$`)
	reSeasonal = regexp.MustCompile(`^seasonal at lag (\d+) \(classical (multiplicative|additive) adjustment\)$`)
	reLeftOut  = regexp.MustCompile(`^(\S+) left out: needs (\d+) points, has (\d+)$`)
	reWeighted = regexp.MustCompile(`^(\S+) \((\d+) %\)$`)
	reScore    = regexp.MustCompile(`^(\S+) ([\d.]+)$`)
	reETSForm  = regexp.MustCompile(`^ets form (ETS\([A-Z],[A-Za-z]+,[A-Z]\))$`)
	reOutliers = regexp.MustCompile(`^(\d+) outlier\(s\) replaced by their neighbours' level for the fit and left out of the errors$`)
)

// reasonText says why the model was chosen (assess.Assessment.ModelReason)
// in words: as it is when the workbook is in English, the untranslated
// sentence when a part is not one forecast writes, "" when there is no
// reason (a model the configuration fixed: the caller writes imposed).
// origins is the number of rolling origins the reason cites (0: none).
func (l *labels) reasonText(reason string) (text string, origins int) {
	w := l.models
	if reason == "" {
		return "", 0
	}
	if m := reCV.FindStringSubmatch(strings.Split(reason, "; ")[0]); m != nil {
		fmt.Sscan(m[1], &origins)
	}
	if !w.translate {
		return reason, origins
	}
	var out []string
	for _, part := range strings.Split(reason, "; ") {
		s, ok := l.reasonPart(part)
		if !ok {
			return w.untranslated, origins
		}
		out = append(out, s)
	}
	return strings.Join(out, " ; "), origins
}

// reasonPart is one part of a reason in words; ok is false when the part
// is not one forecast writes.
func (l *labels) reasonPart(part string) (string, bool) {
	w := l.models
	if m := reCV.FindStringSubmatch(part); m != nil {
		var scores []string
		for _, sc := range strings.Split(m[4], ", ") {
			s := reScore.FindStringSubmatch(sc)
			if s == nil {
				return "", false
			}
			scores = append(scores, l.methodName(s[1])+" "+l.decimal(s[2]))
		}
		return fmt.Sprintf(w.cv, m[1], m[2], m[3], strings.Join(scores, " ; ")), true
	}
	if m := reLowest.FindStringSubmatch(part); m != nil {
		c, ok := l.weighted(m[1])
		return fmt.Sprintf(w.lowest, c), ok
	}
	if m := reCombined.FindStringSubmatch(part); m != nil {
		var cs []string
		for _, c := range strings.Split(m[2], " and ") {
			s, ok := l.weighted(c)
			if !ok {
				return "", false
			}
			cs = append(cs, s)
		}
		return fmt.Sprintf(w.combined, m[1], l.list(cs)), true
	}
	if m := reAICc.FindStringSubmatch(part); m != nil {
		return fmt.Sprintf(w.aicc, m[1], m[2]), true
	}
	if m := reOnly.FindStringSubmatch(part); m != nil {
		return fmt.Sprintf(w.only, m[1]), true
	}
	if m := reSeasonal.FindStringSubmatch(part); m != nil {
		kind := w.additive
		if m[2] == "multiplicative" {
			kind = w.multiplicative
		}
		return fmt.Sprintf(w.seasonal, m[1], kind), true
	}
	if m := reLeftOut.FindStringSubmatch(part); m != nil {
		return fmt.Sprintf(w.leftOut, l.methodName(m[1]), m[2], m[3]), true
	}
	if part == "log-linear-trend left out: values not all positive" {
		return w.notPositive, true
	}
	if m := reETSForm.FindStringSubmatch(part); m != nil {
		return fmt.Sprintf(w.etsForm, m[1]), true
	}
	if strings.HasPrefix(part, "ets left out: ") {
		return w.etsLeftOut, true
	}
	if m := reOutliers.FindStringSubmatch(part); m != nil {
		return fmt.Sprintf(w.outliers, m[1]), true
	}
	if part == "errors too large for the log scale: measured as changes of the level, interval bounded below by zero" {
		return w.levelScale, true
	}
	return "", false
}

// weighted is a candidate and its weight ("damped (50 %)") in words.
func (l *labels) weighted(s string) (string, bool) {
	m := reWeighted.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return fmt.Sprintf(l.models.weight, l.methodName(m[1]), m[2]+l.percentSpace+"%"), true
}

// decimal writes a number printed by forecast ("0.034") with the
// workbook's decimal mark.
func (l *labels) decimal(s string) string {
	if l.decimalComma {
		return strings.ReplaceAll(s, ".", ",")
	}
	return s
}
