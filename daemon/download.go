package daemon

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/table"
)

// download answers GET /api/ask.{ext}?… with the answer as a file: csv (the
// French convention by default: ";", decimal comma, UTF-8 BOM; sep=, for
// the plain one), xlsx, or the fan chart of the forecast or of one what-if
// (what=required…) as png or svg. Bad input is 400 in JSON, as /api/ask.
func (d *Daemon) download(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		vals := r.URL.Query()
		lng := lang(nil, r)
		f := table.Format{Name: ext, Sep: ';'}
		switch sep := vals.Get("sep"); sep {
		case "", ";":
		case ",":
			f.Sep = ','
		default:
			writeError(w, http.StatusBadRequest, fmt.Sprintf("sep is %q; want ; (French: decimal comma, UTF-8 BOM) or ,", sep))
			return
		}
		what := vals.Get("what")
		vals.Del("sep")
		vals.Del("what")
		q, err := question(vals)
		if err != nil {
			writeAskError(w, http.StatusBadRequest, err)
			return
		}
		a, status, err := d.answer(r.Context(), q)
		if err != nil {
			writeAskError(w, status, err)
			return
		}
		if ext == "png" || ext == "svg" {
			if a.Outcome(what) == nil {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("what is %q; want one of the what-ifs asked (what_if=…) or empty for the forecast", what))
				return
			}
		}
		var b bytes.Buffer
		switch ext {
		case "png", "svg":
			err = pipeline.WriteAnswerChart(&b, a, what, ext, lng)
			if err != nil {
				writeError(w, http.StatusNotFound, err.Error())
				return
			}
		default:
			if err := pipeline.WriteAnswerTable(&b, a, f); err != nil {
				writeError(w, http.StatusInternalServerError, err.Error())
				return
			}
		}
		name := fileName(a, what) + "." + ext
		w.Header().Set("Content-Type", contentTypes[ext])
		if ext == "csv" || ext == "xlsx" {
			w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
		} else {
			w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", name))
		}
		w.Write(b.Bytes())
	}
}

// contentTypes are the downloads' media types.
var contentTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"png":  "image/png",
	"svg":  "image/svg+xml",
}

// fileName names a download after its question, in plain ASCII:
// offshore_BPO_jobs_2030_2018Q4[_required].
func fileName(a *pipeline.Answer, what string) string {
	subject := a.Question.Sector
	if a.Question.Region != "" {
		subject = a.Question.Region
	}
	if subject == domain.National {
		subject = "national"
	}
	parts := []string{"offshore", subject, string(a.Question.Metric), fmt.Sprint(a.Horizon), a.AsOf.String()}
	if what != "" && what != pipeline.BaseName {
		parts = append(parts, what)
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		}
		return '-'
	}, strings.Join(parts, "_"))
}
