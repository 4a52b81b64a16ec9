// Package mailtest starts a real SMTP server for tests: aiosmtpd, run by
// the Python script pipeline/mail/testdata/smtpd.py, whose answers the test
// controls (accept and save, 451 for the first attempts, any reply written
// to a file while it runs). The mail package's tests and the daemon's use it.
//
// Debian's python3-aiosmtpd (installed by .ci/run) is importable by
// /usr/bin/python3 only: a pyenv python3 first on the PATH does not see it.
// Start looks for an interpreter that imports aiosmtpd, /usr/bin/python3
// first, and skips the test, saying so, only when there is none.
package mailtest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options choose how the server behaves.
type Options struct {
	// Fail is how many attempts (DATA commands) are answered 451 before
	// the server accepts.
	Fail int
	// TLS is "" (plain), "starttls" (offered and required) or "tls" (TLS
	// from the first byte), with a certificate for 127.0.0.1 made for the
	// test (Server.CAFile).
	TLS string
	// User and Password, when set, make AUTH required.
	User, Password string
}

// Server is a running SMTP server.
type Server struct {
	Host string // 127.0.0.1
	Port int
	// Dir holds what the server received (msg-<n>.eml, msg-<n>.json),
	// attempts.log and the reply file.
	Dir string
	// CAFile is the PEM certificate the server's is checked against (TLS
	// only).
	CAFile string
}

var (
	pythonOnce sync.Once
	python     string
)

// Python returns an interpreter that imports aiosmtpd, or "".
func Python() string {
	pythonOnce.Do(func() {
		candidates := []string{"/usr/bin/python3"}
		if p, err := exec.LookPath("python3"); err == nil {
			candidates = append(candidates, p)
		}
		for _, p := range candidates {
			if exec.Command(p, "-c", "import aiosmtpd").Run() == nil {
				python = p
				return
			}
		}
	})
	return python
}

// script is the path of smtpd.py, found from this file's.
func script() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "smtpd.py")
}

// Start starts a server with o, stopped when the test ends. It skips the
// test when no interpreter imports aiosmtpd.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	py := Python()
	if py == "" {
		t.Skip("no python3 imports aiosmtpd (Debian: apt-get install python3-aiosmtpd, as .ci/run does): the SMTP delivery is not tested")
	}
	s := &Server{Host: "127.0.0.1", Dir: t.TempDir()}
	args := []string{script(), "--dir", s.Dir, "--fail", fmt.Sprint(o.Fail)}
	if o.TLS != "" {
		cert, key := certificate(t)
		s.CAFile = cert
		args = append(args, "--tls", o.TLS, "--cert", cert, "--key", key)
	}
	if o.User != "" {
		args = append(args, "--user", o.User, "--password", o.Password)
	}
	cmd := exec.Command(py, args...)
	stdin, err := cmd.StdinPipe() // closed when the test ends: the server exits
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
	}()
	select {
	case l, ok := <-line:
		if _, err := fmt.Sscanf(l, "listening %d", &s.Port); !ok || err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the SMTP server did not start (%q): %s", l, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the SMTP server did not say it listens within 30 s: %s", stderr.String())
	}
	return s
}

// Reply makes the server answer every attempt with reply (such as "550
// 5.1.1 No such mailbox"); "" returns to its options.
func (s *Server) Reply(t testing.TB, reply string) {
	t.Helper()
	p := filepath.Join(s.Dir, "reply")
	if reply == "" {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(p+".tmp", []byte(reply+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
}

// Attempts returns the code answered to each attempt so far, in order
// ("451", "250", "550").
func (s *Server) Attempts(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Dir, "attempts.log"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range strings.Lines(string(b)) {
		code, _, _ := strings.Cut(l, " ")
		out = append(out, code)
	}
	return out
}

// Message is one message the server accepted.
type Message struct {
	From string   `json:"mail_from"`
	Rcpt []string `json:"rcpt_tos"`
	Raw  []byte   `json:"-"` // as received
}

// Messages returns the messages accepted so far, in order.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(s.Dir, "msg-*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var out []Message
	for _, n := range names {
		var m Message
		b, err := os.ReadFile(strings.TrimSuffix(n, ".eml") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m.Raw, err = os.ReadFile(n); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// ClosedPort returns a port of 127.0.0.1 on which nobody listens: a
// connection to it is refused.
func ClosedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// certificate writes a self-signed certificate for 127.0.0.1 and its key,
// and returns their paths.
func certificate(t testing.TB) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "offshore test SMTP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}
