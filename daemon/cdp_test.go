package daemon

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// A test-only client of the Chrome DevTools Protocol (CDP): headless
// Chromium started with a remote-debugging port, one page attached in
// flat mode, the commands the browser test sends, and the events it waits
// for. See https://chromedevtools.github.io/devtools-protocol/.

// cdpTimeout bounds one command's reply and one awaited event.
const cdpTimeout = 30 * time.Second

// cdpOrigin is the Origin the websocket handshake sends (the client
// requires one); Chromium refuses DevTools connections with an Origin
// unless --remote-allow-origins names it.
const cdpOrigin = "http://127.0.0.1"

// cdpMessage is a command's reply or an event.
type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// cdpWaiter is an event awaited: armed before the action that causes it,
// so that an event arriving before the wait is not lost.
type cdpWaiter struct {
	method, session string
	match           func(params json.RawMessage) bool
	ch              chan json.RawMessage // buffered, 1
}

// cdp is a Chromium process and its DevTools connection, with one page.
type cdp struct {
	t       *testing.T
	ws      *websocket.Conn
	session string // the page's flat-mode session id
	dir     string // the profile, screenshots and downloads, under a temporary folder
	stderr  *syncBuffer

	mu      sync.Mutex
	nextID  int64
	replies map[int64]chan cdpMessage
	waiters []*cdpWaiter
	lost    error // why the connection ended, once it has
}

// syncBuffer is Chromium's standard error, written by exec's copier and
// read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startChromium starts headless Chromium with a fresh profile, connects
// to its DevTools websocket and opens a blank page; it skips the test when
// Chromium is not installed. Chromium is closed when the test ends.
func startChromium(t *testing.T) *cdp {
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
	// The temporary folder is made before the cleanup below is registered,
	// so that Chromium has exited (cleanups run last first) before the
	// folder is removed.
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
		"--no-first-run", "--no-default-browser-check", "--lang=fr-FR", "--window-size=1280,1000",
		"--user-data-dir="+profile, "--remote-debugging-port=0", "--remote-allow-origins="+cdpOrigin, "about:blank")
	c := &cdp{t: t, dir: dir, stderr: &syncBuffer{}, replies: map[int64]chan cdpMessage{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if c.ws != nil {
			c.call("", "Browser.close", nil) // Chromium closes the connection as it goes
			c.ws.Close()
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("Chromium did not close within 10 s: killed")
			cmd.Process.Kill()
			<-exited
		}
	})

	// Chromium writes the port it chose, and the browser's websocket
	// path, into DevToolsActivePort once it listens.
	var port, path string
	deadline := time.Now().Add(cdpTimeout)
	for port == "" {
		if b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort")); err == nil {
			if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) == 2 {
				port, path = strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
				break
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("Chromium exited before it listened: %v\n%s", err, c.stderr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("Chromium wrote no DevToolsActivePort within %v:\n%s", cdpTimeout, c.stderr)
		}
	}
	cfg, err := websocket.NewConfig("ws://127.0.0.1:"+port+path, cdpOrigin)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := websocket.DialConfig(cfg)
	if err != nil {
		t.Fatalf("DevTools websocket on port %s: %v\n%s", port, err, c.stderr)
	}
	ws.MaxPayloadBytes = 64 << 20 // full-page screenshots, base64
	c.ws = ws
	go c.read()

	var target struct{ TargetID string }
	c.decode(c.browser("Target.createTarget", map[string]any{"url": "about:blank"}), &target)
	var attached struct{ SessionID string }
	c.decode(c.browser("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}), &attached)
	c.session = attached.SessionID
	c.page("Page.enable", nil)
	c.page("Network.enable", nil) // for the responses' status
	return c
}

// read hands each message to its command's caller or to the waiter of
// its event, until the connection ends.
func (c *cdp) read() {
	for {
		var m cdpMessage
		if err := websocket.JSON.Receive(c.ws, &m); err != nil {
			c.mu.Lock()
			c.lost = err
			for id, ch := range c.replies {
				close(ch)
				delete(c.replies, id)
			}
			c.mu.Unlock()
			return
		}
		c.mu.Lock()
		if m.Method == "" {
			if ch, ok := c.replies[m.ID]; ok {
				ch <- m
				delete(c.replies, m.ID)
			}
		} else {
			for i, w := range c.waiters {
				if w.method == m.Method && w.session == m.SessionID && (w.match == nil || w.match(m.Params)) {
					w.ch <- m.Params
					c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
					break
				}
			}
		}
		c.mu.Unlock()
	}
}

// call sends method with params to session ("": the browser) and returns
// the result, or the protocol's error.
func (c *cdp) call(session, method string, params any) (json.RawMessage, error) {
	c.mu.Lock()
	if c.lost != nil {
		c.mu.Unlock()
		return nil, fmt.Errorf("%s: the DevTools connection ended: %w", method, c.lost)
	}
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMessage, 1)
	c.replies[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	if err := websocket.JSON.Send(c.ws, msg); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s: the DevTools connection ended", method)
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		return m.Result, nil
	case <-time.After(cdpTimeout):
		return nil, fmt.Errorf("%s: no reply within %v", method, cdpTimeout)
	}
}

// browser sends a command to the browser, page one to the page; both fail
// the test on an error.
func (c *cdp) browser(method string, params any) json.RawMessage {
	c.t.Helper()
	r, err := c.call("", method, params)
	if err != nil {
		c.t.Fatal(err)
	}
	return r
}

func (c *cdp) page(method string, params any) json.RawMessage {
	c.t.Helper()
	r, err := c.call(c.session, method, params)
	if err != nil {
		c.t.Fatal(err)
	}
	return r
}

func (c *cdp) decode(raw json.RawMessage, v any) {
	c.t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		c.t.Fatalf("decoding %s: %v", raw, err)
	}
}

// expect arms a waiter for the next event method of the page (browser
// false) or of the browser, whose params match (nil: any).
func (c *cdp) expect(method string, browser bool, match func(json.RawMessage) bool) *cdpWaiter {
	w := &cdpWaiter{method: method, session: c.session, match: match, ch: make(chan json.RawMessage, 1)}
	if browser {
		w.session = ""
	}
	c.mu.Lock()
	c.waiters = append(c.waiters, w)
	c.mu.Unlock()
	return w
}

// await waits for w's event and returns its params; it fails the test
// after cdpTimeout, naming what did not happen.
func (c *cdp) await(w *cdpWaiter, what string) json.RawMessage {
	c.t.Helper()
	select {
	case p := <-w.ch:
		return p
	case <-time.After(cdpTimeout):
		c.t.Fatalf("after %v: %s (event %s) did not happen", cdpTimeout, what, w.method)
		return nil
	}
}

// navigate loads u in the page and waits for its load event (after its
// images).
func (c *cdp) navigate(u string) {
	c.t.Helper()
	loaded := c.expect("Page.loadEventFired", false, nil)
	var nav struct{ ErrorText string }
	c.decode(c.page("Page.navigate", map[string]any{"url": u}), &nav)
	if nav.ErrorText != "" {
		c.t.Fatalf("navigating to %s: %s", u, nav.ErrorText)
	}
	c.await(loaded, "loading "+u)
}

// status loads u in the page and returns the HTTP status of its answer
// (the last, after redirects).
func (c *cdp) status(u string) int {
	c.t.Helper()
	answered := c.expect("Network.responseReceived", false, func(p json.RawMessage) bool {
		var r struct {
			Type     string
			Response struct{ URL string }
		}
		json.Unmarshal(p, &r)
		return r.Type == "Document" && r.Response.URL == u
	})
	c.navigate(u)
	var r struct{ Response struct{ Status int } }
	c.decode(c.await(answered, "the answer to "+u), &r)
	return r.Response.Status
}

// submit runs js, which sends a form or follows a link, and waits for the
// next page's load event.
func (c *cdp) submit(js, what string) {
	c.t.Helper()
	loaded := c.expect("Page.loadEventFired", false, nil)
	c.eval(js, nil)
	c.await(loaded, what)
}

// eval evaluates the JavaScript expression js in the page (awaiting it
// when it is a promise) and decodes its value, passed as JSON, into v
// (nil: ignored). A thrown exception fails the test.
func (c *cdp) eval(js string, v any) {
	c.t.Helper()
	var r struct {
		Result struct {
			Type  string
			Value json.RawMessage
		}
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	c.decode(c.page("Runtime.evaluate", map[string]any{"expression": js, "returnByValue": true, "awaitPromise": true}), &r)
	if e := r.ExceptionDetails; e != nil {
		c.t.Fatalf("JavaScript %s: %s %s", js, e.Text, e.Exception.Description)
	}
	if v != nil {
		if len(r.Result.Value) == 0 {
			c.t.Fatalf("JavaScript %s returned %s, no value", js, r.Result.Type)
		}
		c.decode(r.Result.Value, v)
	}
}

// text is the value of the JavaScript expression js, a string.
func (c *cdp) text(js string) string {
	c.t.Helper()
	var s string
	c.eval(js, &s)
	return s
}

// screenshot saves a PNG of the whole page as name in a temporary folder
// (and in $OFFSHORE_SCREENSHOTS when set, to look at) and returns its
// path. A shot that is not a PNG, or is of one colour, fails the test.
func (c *cdp) screenshot(name string) string {
	c.t.Helper()
	var m struct {
		CSSContentSize struct{ Width, Height float64 }
	}
	c.decode(c.page("Page.getLayoutMetrics", nil), &m)
	var shot struct{ Data string }
	c.decode(c.page("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": m.CSSContentSize.Width, "height": m.CSSContentSize.Height, "scale": 1}}), &shot)
	b, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		c.t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	r := img.Bounds()
	blank := true
	first := img.At(r.Min.X, r.Min.Y)
	for y := r.Min.Y; y < r.Max.Y && blank; y += 4 {
		for x := r.Min.X; x < r.Max.X && blank; x += 4 {
			blank = img.At(x, y) == first
		}
	}
	if blank {
		c.t.Errorf("screenshot %s (%dx%d) is of one colour", name, r.Dx(), r.Dy())
	}
	file := filepath.Join(c.dir, "screenshots", name)
	os.MkdirAll(filepath.Dir(file), 0o755)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		c.t.Fatal(err)
	}
	if dir := os.Getenv("OFFSHORE_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
	return file
}

// download runs js, which follows a link the server answers as an
// attachment, lets Chromium save the file and returns the name the server
// suggested and the file's bytes.
func (c *cdp) download(js string) (string, []byte) {
	c.t.Helper()
	dir := filepath.Join(c.dir, "downloads")
	c.browser("Browser.setDownloadBehavior", map[string]any{"behavior": "allowAndName", "downloadPath": dir, "eventsEnabled": true})
	begins := c.expect("Browser.downloadWillBegin", true, nil)
	ends := c.expect("Browser.downloadProgress", true, func(p json.RawMessage) bool {
		var d struct{ State string }
		json.Unmarshal(p, &d)
		return d.State == "completed" || d.State == "canceled"
	})
	c.eval(js, nil)
	var begun struct{ GUID, SuggestedFilename, URL string }
	c.decode(c.await(begins, "the download to begin"), &begun)
	var end struct {
		GUID  string
		State string
	}
	c.decode(c.await(ends, "the download of "+begun.URL+" to end"), &end)
	if end.State != "completed" || end.GUID != begun.GUID {
		c.t.Fatalf("download of %s: %s (guid %s, began as %s)", begun.URL, end.State, end.GUID, begun.GUID)
	}
	// allowAndName saves the file under its guid.
	b, err := os.ReadFile(filepath.Join(dir, begun.GUID))
	if err != nil {
		c.t.Fatalf("download of %s: %v", begun.URL, err)
	}
	return begun.SuggestedFilename, b
}
