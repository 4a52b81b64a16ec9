package daemon

import (
	"embed"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/net/netutil"
)

//go:embed static
var staticFiles embed.FS

// contentPolicy allows the page nothing but its own style sheet, images
// (the fan charts) and forms: no script, no inline style, no framing.
const contentPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// secureHeaders sets, on every response, what keeps a browser from
// sniffing a type, framing the page, leaking its address or caching what
// a login showed. Static files (the style sheet) may be cached.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", contentPolicy)
		h.Set("X-Frame-Options", "DENY")
		// same-origin, not no-referrer: with no-referrer browsers send
		// "Origin: null" on the page's own forms, which the Origin check
		// would refuse.
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "public, max-age=3600")
		} else {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// hosts checks the Host header against the loopback names and
// schedule.allowed_hosts: a page of another site whose name was made to
// resolve to this machine (DNS rebinding) sends its own name, and gets
// 421. The loopback names are always allowed: no other site's page can
// be at them.
type hosts struct {
	allowed []string // lowercase host or host:port
}

var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

// ok tells whether r's Host is allowed. An allowed name without a port
// matches the Host without one (a proxy's) and with the port the request
// came in on; with a port, that port only. The loopback names match with
// the port the request came in on.
func (h hosts) ok(r *http.Request) bool {
	host, port := splitHost(strings.ToLower(r.Host))
	local := localPort(r)
	for _, n := range loopbackNames {
		if host == n && (port == local || port == "" && local == "80") {
			return true
		}
	}
	for _, a := range h.allowed {
		ah, ap := splitHost(a)
		if ah != host {
			continue
		}
		if ap == port || ap == "" && (port == "" || port == local) {
			return true
		}
	}
	return false
}

// splitHost splits host[:port], [v6]:port or [v6].
func splitHost(s string) (host, port string) {
	if h, p, err := net.SplitHostPort(s); err == nil {
		return h, p
	}
	return strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), ""
}

// localPort is the port r came in on.
func localPort(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil {
			return p
		}
	}
	return ""
}

func (h hosts) check(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.ok(r) {
			infoOf(r).set(func(i *reqInfo) { i.note = "Host not allowed" })
			http.Error(w, "this server does not answer to that name (Host "+truncate(r.Host, 100)+"): add it to schedule.allowed_hosts", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses a state-changing request sent by a page of another
// origin (Sec-Fetch-Site, else Origin compared with Host, which hosts
// has checked), with 403.
func crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoOf(r).set(func(i *reqInfo) { i.note = "cross-origin request refused" })
		http.Error(w, "cross-origin request refused: a form or script of another site cannot act here", http.StatusForbidden)
	}))
	return p.Handler(next)
}

// Limits of the HTTP server, sized for its handlers: a request body is at
// most maxBody (64 KiB, the forms and forecast requests); the largest
// answer is the workbook (a few MB); keep-alive connections are closed
// after a few idle seconds so that they do not hold descriptors.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 5 * time.Second
	maxHeaderBytes    = 16 << 10
)

// serverLimits are the http.Server's timeouts; the tests shorten them.
type serverLimits struct {
	readHeader, read, write, idle time.Duration
}

var defaultLimits = serverLimits{readHeaderTimeout, readTimeout, writeTimeout, idleTimeout}

// httpServer is the server of h: timeouts, a header size limit, and a
// count of its open connections (offshore_http_connections).
func (d *Daemon) httpServer(h http.Handler, lim serverLimits) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: lim.readHeader, ReadTimeout: lim.read, WriteTimeout: lim.write,
		IdleTimeout: lim.idle, MaxHeaderBytes: maxHeaderBytes, ConnState: d.connState,
		ErrorLog: log.New(slogWriter{d.log}, "", 0)}
}

// limitListener accepts at most n connections at once: the others wait
// in the kernel's backlog, holding no descriptor of this process, so that
// idle or slow clients cannot take the descriptors the jobs need.
func limitListener(ln net.Listener, n int) net.Listener { return netutil.LimitListener(ln, n) }

// connState counts the server's open connections.
func (d *Daemon) connState(_ net.Conn, s http.ConnState) {
	switch s {
	case http.StateNew:
		d.conns.Add(1)
	case http.StateClosed, http.StateHijacked:
		d.conns.Add(-1)
	}
}

// connGauge exposes the open connections in /metrics.
func connGauge(n *atomic.Int64) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "offshore_http_connections",
		Help: "HTTP connections open now; schedule.max_connections caps them."}, func() float64 { return float64(n.Load()) })
}

// slogWriter passes net/http's messages (TLS handshakes, bad requests) to
// the log at debug level: a client's misbehaviour is not the daemon's.
type slogWriter struct{ log *slog.Logger }

func (s slogWriter) Write(b []byte) (int, error) {
	s.log.Debug("http: " + strings.TrimSpace(string(b)))
	return len(b), nil
}

// maxBodies bounds every request body to maxBody.
func maxBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// static serves the page's style sheet.
func static() http.Handler {
	return http.FileServerFS(staticFiles)
}
