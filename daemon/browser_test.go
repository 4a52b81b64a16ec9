package daemon

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browserServer serves d to a browser. A headless browser cannot send a
// bearer token, so it is served without one (as on loopback, which
// CheckListen allows): when the page's authentication changes, give the
// browser its session here.
func browserServer(t *testing.T, d *Daemon) *httptest.Server {
	t.Helper()
	h, err := d.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// chromium runs headless Chromium with args and returns its standard
// output; it skips the test when Chromium is not installed.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("Chromium is not installed (chromium, chromium-browser, google-chrome): the page is not checked in a browser; on Debian: apt-get install chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
		"--user-data-dir=" + filepath.Join(t.TempDir(), "profile"), "--lang=fr-FR", "--window-size=1280,2400",
		// Wait for the charts, which load after the page, before the shot.
		"--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// screenshot saves Chromium's picture of u as name (and in
// $OFFSHORE_SCREENSHOTS when set, to look at).
func screenshot(t *testing.T, u, name string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	chromium(t, "--screenshot="+file, u)
	b, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) || len(b) < 10_000 {
		t.Fatalf("no screenshot of %s: %v (%d bytes)", u, err, len(b))
	}
	if dir := os.Getenv("OFFSHORE_SCREENSHOTS"); dir != "" {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	return file
}

// TestPageInChromium opens the workbench page in headless Chromium, fills
// the form the way a browser submits it (its fields read from the DOM
// Chromium built) with a BPO what-if for 2030, checks the answer's page
// and its charts, and downloads the French CSV its link names.
func TestPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: Chromium takes a few seconds")
	}
	srv := browserServer(t, newDaemon(t, benchWorkdir(t)))
	chromium(t, "--dump-dom", "about:blank") // skips here without Chromium

	// The form, as Chromium built it.
	dom := string(chromium(t, "--dump-dom", srv.URL+"/ask"))
	screenshot(t, srv.URL+"/ask", "ask-form.png")
	form := formFields(t, dom, "ask")
	for _, f := range []string{"sector", "region", "metric", "horizon", "target", "as_of", "what_if", "model", "lang"} {
		if _, ok := form[f]; !ok {
			t.Fatalf("the form has no field %q: %v", f, form)
		}
	}
	// Filled in: BPO, jobs, 2030, a target of 40 000 written the French
	// way, the growth needed and the best year.
	v := url.Values{}
	for name := range form {
		v.Set(name, "")
	}
	v.Set("sector", "BPO")
	v.Set("metric", "jobs")
	v.Set("horizon", "2030")
	v.Set("target", "40 000")
	v.Set("lang", "fr")
	v["what_if"] = []string{"required", "best"}
	answer := srv.URL + "/ask?" + v.Encode()
	dom = string(chromium(t, "--dump-dom", answer))
	for _, want := range []string{"Emplois — BPO, 2030", "Croissance nécessaire", "Comme sa meilleure année", "\u202f%"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the answer's page lacks %q", want)
		}
	}
	shot := screenshot(t, answer, "ask-bpo-2030.png")
	// A sector's page in English: its exports, yearly, with the official
	// target absent (none is set on ITO) and the series year by year.
	sector := string(chromium(t, "--dump-dom", srv.URL+"/sectors/ITO?metric=exports&lang=en"))
	for _, want := range []string{"Export revenue — ITO", "no target", "The series, year by year", " MDH"} {
		if !strings.Contains(sector, want) {
			t.Errorf("the ITO page in English lacks %q", want)
		}
	}
	screenshot(t, srv.URL+"/sectors/ITO?metric=exports&lang=en", "sector-ito-exports-en.png")
	t.Logf("screenshots: %s (set OFFSHORE_SCREENSHOTS=DIR to keep them)", filepath.Dir(shot))

	// Each chart the page shows is an image the server draws.
	imgs := regexp.MustCompile(`<img src="([^"]+)"`).FindAllStringSubmatch(dom, -1)
	if len(imgs) != 3 {
		t.Errorf("%d charts on the page, want 3 (forecast, growth needed, best year)", len(imgs))
	}
	for _, m := range imgs {
		if body := get(t, srv.URL+html.UnescapeString(m[1])); !bytes.HasPrefix(body, []byte("\x89PNG")) {
			t.Errorf("chart %s is not a PNG", m[1])
		}
	}
	// The French CSV, by the link the page gives.
	link := regexp.MustCompile(`id="csv-fr" href="([^"]+)"`).FindStringSubmatch(dom)
	if link == nil {
		t.Fatal("no French CSV link on the page")
	}
	csv := get(t, srv.URL+html.UnescapeString(link[1]))
	if !bytes.HasPrefix(csv, []byte("\ufeffscenario;period;")) || !bytes.Contains(csv, []byte("\nbest;2030Q4;false;")) || !regexp.MustCompile(`;\d+,\d+;`).Match(csv) {
		t.Errorf("French CSV:\n%s", csv[:min(400, len(csv))])
	}
}

// get fetches u and returns its body, failing on any status but 200.
func get(t *testing.T, u string) []byte {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, b)
	}
	return b
}

// formFields returns the names of the fields (input, select) of the form
// of class class in dom, with their values as the DOM has them.
func formFields(t *testing.T, dom, class string) map[string][]string {
	t.Helper()
	start := strings.Index(dom, `<form class="`+class+`"`)
	end := strings.Index(dom[max(start, 0):], "</form>")
	if start < 0 || end < 0 {
		t.Fatalf("no form of class %q in the DOM", class)
	}
	fields := map[string][]string{}
	for _, m := range regexp.MustCompile(`<(?:input|select)[^>]*\bname="([^"]+)"[^>]*>`).FindAllStringSubmatch(dom[start:start+end], -1) {
		value := ""
		if v := regexp.MustCompile(`\bvalue="([^"]*)"`).FindStringSubmatch(m[0]); v != nil {
			value = html.UnescapeString(v[1])
		}
		fields[m[1]] = append(fields[m[1]], value)
	}
	return fields
}
