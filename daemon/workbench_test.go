package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchWorkdir is workdir with a warehouse of 30 operators' returns for
// 2015Q1–2018Q4, enough for every sector to be published: the analysts'
// workbench is tested on it (ingested once, then copied).
func benchWorkdir(t *testing.T) *config.Config {
	t.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "offshore-workbench-test-")
		if err != nil {
			benchErr = err
			return
		}
		cfg, err := config.Default(dir)
		if err != nil {
			benchErr = err
			return
		}
		cfg.Settings.Ingest.Backfill = true
		src := filepath.Join(dir, "returns")
		if _, err := synth.WriteDir(context.Background(), src, &cfg.Mappings, synth.Options{Operators: 30, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2018, 4), Seed: 11}); err != nil {
			benchErr = err
			return
		}
		if _, err := pipeline.IngestFiles(context.Background(), cfg, []string{src}, nil); err != nil && !errors.Is(err, pipeline.ErrRejected) {
			benchErr = err
			return
		}
		benchDir = cfg.Settings.Paths.Warehouse
	})
	if benchErr != nil {
		t.Fatal(benchErr)
	}
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Schedule.Run, cfg.Settings.Schedule.Ingest = "0 0 1 1 *", ""
	if err := os.CopyFS(cfg.Settings.Paths.Warehouse, os.DirFS(benchDir)); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestAskAPI asks the API and downloads each format through a real HTTP
// server, and checks every way a question can be wrong.
func TestAskAPI(t *testing.T) {
	srv := server(t, newDaemon(t, benchWorkdir(t)))
	bpo := "sector=BPO&horizon=2030&target=40000&what_if=required,best&what_if=worst"
	for _, tt := range []struct {
		name, path string
		code       int
		ctype      string
		check      func(t *testing.T, body []byte)
	}{
		{"json", "/api/ask?" + bpo, 200, "application/json", func(t *testing.T, body []byte) {
			var a pipeline.Answer
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatal(err)
			}
			if a.Question.Sector != "BPO" || a.Horizon != 2030 || a.Target == nil || *a.Target != 40000 || a.Official || len(a.WhatIfs) != 3 || a.Base.PMeet == nil {
				t.Errorf("answer %+v", a)
			}
			for i, w := range []string{"required", "best", "worst"} {
				if a.WhatIfs[i].Name != w || a.WhatIfs[i].PMeet == nil || len(a.WhatIfs[i].Path) == 0 {
					t.Errorf("what-if %d: %+v, want %s with its path and P(meet)", i, a.WhatIfs[i], w)
				}
			}
		}},
		{"official target", "/api/ask?metric=exports&horizon=2020", 200, "application/json", func(t *testing.T, body []byte) {
			var a pipeline.Answer
			json.Unmarshal(body, &a)
			if !a.Official || a.TargetID != "pai-2016-2020/exports-2020" || !a.Yearly || a.Base.Path[0].Period != "2019" {
				t.Errorf("official %v %q yearly %v path %+v", a.Official, a.TargetID, a.Yearly, a.Base.Path)
			}
		}},
		{"region", "/api/ask?region=" + url.QueryEscape("Casablanca-Settat") + "&metric=hires", 200, "application/json", nil},
		{"csv, French", "/api/ask.csv?" + bpo, 200, "text/csv", func(t *testing.T, body []byte) {
			if !bytes.HasPrefix(body, []byte("\ufeffscenario;period;observed;value;lo80;hi80;")) || !regexp.MustCompile(`;\d+,\d+;`).Match(body) {
				t.Errorf("French CSV begins %q", body[:min(120, len(body))])
			}
		}},
		{"csv, comma", "/api/ask.csv?sep=,&" + bpo, 200, "text/csv", func(t *testing.T, body []byte) {
			if !bytes.HasPrefix(body, []byte("scenario,period,observed,value,")) {
				t.Errorf("CSV begins %q", body[:min(80, len(body))])
			}
		}},
		{"xlsx", "/api/ask.xlsx?" + bpo, 200, "application/vnd.openxmlformats", func(t *testing.T, body []byte) {
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if rows, _ := f.GetRows("Données"); len(rows) < 20 || rows[0][0] != "scenario" {
				t.Errorf("workbook rows %d, header %v", len(rows), rows[0])
			}
		}},
		{"png", "/api/ask.png?what=best&" + bpo, 200, "image/png", func(t *testing.T, body []byte) {
			if !bytes.HasPrefix(body, []byte("\x89PNG")) {
				t.Error("not a PNG")
			}
		}},
		{"svg", "/api/ask.svg?what=required&" + bpo, 200, "image/svg+xml", func(t *testing.T, body []byte) {
			if !bytes.Contains(body, []byte("<svg")) || !bytes.Contains(body, []byte("Croissance nécessaire")) {
				t.Error("not the SVG of the growth needed")
			}
		}},
		{"as-of after the data", "/api/ask?as_of=2030Q1", 400, "application/json", wantError("after the latest quarter with returns, 2018Q4", "postérieure au dernier trimestre déclaré, T4 2018")},
		{"as-of after the data, a download", "/api/ask.csv?as_of=2026Q1", 400, "application/json", wantError("2018Q4", "T4 2018")},
		{"unknown sector", "/api/ask?sector=XYZ", 400, "application/json", wantError(`sector is "XYZ"`, "filière « XYZ »")},
		{"unknown metric", "/api/ask?metric=salaries", 400, "application/json", wantError(`metric is "salaries"`, "mesure")},
		{"horizon too far", "/api/ask?horizon=2031", 400, "application/json", wantError("horizon is 2031", "horizon 2031")},
		{"horizon not a year", "/api/ask?horizon=soon", 400, "application/json", wantError(`horizon is "soon"`, "horizon « soon »")},
		{"target not a number", "/api/ask?target=lots", 400, "application/json", wantError(`target is "lots"`, "cible « lots »")},
		{"unknown what-if", "/api/ask?what_if=boom", 400, "application/json", wantError(`what-if "boom"`, "hypothèse « boom »")},
		{"sector and region", "/api/ask?sector=BPO&region=Souss-Massa", 400, "application/json", wantError("not both", "pas les deux")},
		{"bad separator", "/api/ask.csv?sep=|", 400, "application/json", nil},
		{"chart of a what-if not asked", "/api/ask.png?what=best", 400, "application/json", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := call(t, "GET", srv.URL+tt.path, token, "", "")
			if code != tt.code || !strings.HasPrefix(h.Get("Content-Type"), tt.ctype) {
				t.Fatalf("%d %s %s, want %d %s", code, h.Get("Content-Type"), body[:min(300, len(body))], tt.code, tt.ctype)
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
	for _, p := range []string{"/api/ask", "/api/ask.csv", "/api/ask.png"} {
		if code, _, _ := call(t, "GET", srv.URL+p, "", "", ""); code != 401 {
			t.Errorf("GET %s without a token: %d, want 401", p, code)
		}
	}
}

// wantError checks a 400's JSON: the English and the French texts.
func wantError(en, fr string) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		var e struct{ Error, Erreur string }
		json.Unmarshal(body, &e)
		if !strings.Contains(e.Error, en) || !strings.Contains(e.Erreur, fr) {
			t.Errorf("error %q / %q, want %q / %q", e.Error, e.Erreur, en, fr)
		}
	}
}

// TestAskPages opens the workbench's pages: French by default with French
// numbers, English on request (remembered), the as-of error in French, a
// page per sector and per region, and no inline script or style anywhere
// (a strict CSP).
func TestAskPages(t *testing.T) {
	cfg := benchWorkdir(t)
	srv := server(t, newDaemon(t, cfg))
	nnbsp := "\u202f"
	for _, tt := range []struct {
		name, path string
		cookie     string
		code       int
		want       []string
	}{
		{"form", "/ask", "", 200, []string{`<html lang="fr">`, "Interroger l'entrepôt", `name="what_if" value="best"`, "/sectors/BPO", "/regions/Casablanca-Settat"}},
		{"BPO what-ifs 2030", "/ask?sector=BPO&horizon=2030&target=40+000&what_if=required&what_if=best", "", 200,
			[]string{"Emplois — BPO, 2030", "cible de l'analyste", "40" + nnbsp + "000", "Croissance nécessaire", "Comme sa meilleure année", nnbsp + "%", "/api/ask.csv?", "sep=%2C", "/api/ask.png?", "what=best"}},
		{"exports, yearly, MDH", "/ask?metric=exports&horizon=2030", "", 200, []string{"cible officielle", " MDH", "Les flux sont jugés par année", "<td>2019</td>"}},
		{"English", "/ask?sector=BPO&lang=en", "", 200, []string{`<html lang="en">`, "Jobs — BPO", "Latest actual"}},
		{"English remembered", "/ask?sector=ITO", "offshore_lang=en", 200, []string{"Jobs — ITO"}},
		{"as-of after the data", "/ask?as_of=2030Q1", "", 400, []string{`class="error"`, "la date des données 2030Q1 est postérieure au dernier trimestre déclaré, T4 2018"}},
		{"unknown sector", "/ask?sector=XYZ", "", 400, []string{"la filière « XYZ » n'existe pas"}},
		{"sector page", "/sectors/CRM", "", 200, []string{"Emplois — CRM", "La série, année par année", "<td>2018</td>"}},
		{"region page", "/regions/" + url.PathEscape("Casablanca-Settat"), "", 200, []string{"région Casablanca-Settat"}},
		{"home", "/", "", 200, []string{`<a href="/ask">Interroger</a>`, "Dernière évaluation officielle", "Historique des exécutions"}},
		{"home in English", "/?lang=en", "", 200, []string{`<a href="/ask">Ask</a>`, "Latest official assessment", "Run history", `href="/?lang=fr"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+tt.path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(res.Body)
			page := html.UnescapeString(b.String())
			if res.StatusCode != tt.code {
				t.Errorf("status %d, want %d", res.StatusCode, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			for _, bad := range []string{"<script", "style=", "<style"} {
				if strings.Contains(page, bad) {
					t.Errorf("the page holds %q: a strict CSP would block it", bad)
				}
			}
			if strings.Contains(tt.path, "lang=en") && !strings.Contains(res.Header.Get("Set-Cookie"), "offshore_lang=en") {
				t.Errorf("?lang=en set no cookie: %q", res.Header.Get("Set-Cookie"))
			}
		})
	}
	code, h, css := call(t, "GET", srv.URL+"/static/offshore.css", token, "", "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || !bytes.Contains(css, []byte("form.ask")) {
		t.Errorf("stylesheet: %d %s", code, h.Get("Content-Type"))
	}
}

// TestAnswersCached: the charts and downloads that follow a page ask its
// question again; the answer is reused for a minute, not recomputed, and a
// job the daemon runs (which may change the warehouse) drops it.
func TestAnswersCached(t *testing.T) {
	d := newDaemon(t, benchWorkdir(t))
	q := pipeline.Question{Sector: "BPO", Horizon: 2030}
	a1, _, err := d.answer(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if a2, _, _ := d.answer(context.Background(), q); a2 != a1 {
		t.Error("the same question within a minute was answered again")
	}
	if a3, _, _ := d.answer(context.Background(), pipeline.Question{Sector: "ITO", Horizon: 2030}); a3 == a1 {
		t.Error("another question got the first one's answer")
	}
	d.answers.clear()
	if a4, _, _ := d.answer(context.Background(), q); a4 == a1 {
		t.Error("after a job, the old answer was kept")
	}
	now := time.Now()
	d.answers.put("k", a1, now.Add(-answerTTL))
	if d.answers.get("k", now) != nil {
		t.Error("an answer older than a minute was kept")
	}
}
