package devhttp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
)

// serve starts a loopback server and returns a client pinned to it with its port.
func serve(t *testing.T, h http.Handler, timeout time.Duration, useTLS bool) (*Client, int) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	return New(nil, ap.Addr(), timeout), int(ap.Port())
}

func TestGetJSON(t *testing.T) {
	c, port := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/shelly":
			w.Write([]byte(`{"type":"SHSW-1","fw":"1.14.0"}`))
		case "/broken":
			w.Write([]byte(`{"type":`))
		default:
			http.NotFound(w, r)
		}
	}), 0, false)
	var v struct{ Type, FW string }
	res, err := c.GetJSON(context.Background(), port, "/shelly", &v)
	if err != nil || v.Type != "SHSW-1" || res.Status != 200 || !strings.HasPrefix(res.Asked, "GET http://127.0.0.1:") {
		t.Fatalf("GetJSON = %+v, %v; decoded %+v", res, err, v)
	}
	if _, err := c.GetJSON(context.Background(), port, "/broken", &v); err == nil || !strings.Contains(err.Error(), "not the JSON expected") {
		t.Errorf("invalid JSON: err = %v", err)
	}
	if _, err := c.GetJSON(context.Background(), port, "/missing", &v); !errors.Is(err, ErrStatus) {
		t.Errorf("404: err = %v, want ErrStatus", err)
	}
}

func TestHostileAnswers(t *testing.T) {
	release := make(chan struct{})
	c, port := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect-out":
			http.Redirect(w, r, "http://8.8.8.8/steal", http.StatusFound)
		case "/huge":
			chunk := []byte(strings.Repeat("x", 64<<10))
			for i := 0; i < 64; i++ { // 4 MiB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/drip":
			w.WriteHeader(200)
			for {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-release:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		case "/headers":
			for i := 0; i < 5000; i++ {
				w.Header().Add("X-Junk-"+strconv.Itoa(i), strings.Repeat("y", 64))
			}
			w.WriteHeader(200)
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write([]byte{0x1f, 0x8b, 0, 0})
		}
	}), 500*time.Millisecond, false)
	defer close(release)
	ctx := context.Background()

	res, err := c.Do(ctx, Request{Port: port, Path: "/redirect-out"})
	if err != nil || res.Status != http.StatusFound || res.Location != "http://8.8.8.8/steal" {
		t.Errorf("redirect: %+v, %v; want it reported and not followed", res, err)
	}
	res, err = c.Do(ctx, Request{Port: port, Path: "/huge"})
	if err != nil || !res.Truncated || len(res.Body) != MaxBody {
		t.Errorf("huge body: %d bytes, truncated %v, %v; want exactly MaxBody and truncated", len(res.Body), res.Truncated, err)
	}
	if _, err := c.Do(ctx, Request{Port: port, Path: "/drip"}); err == nil {
		t.Error("an answer that never ends did not time out")
	}
	if _, err := c.Do(ctx, Request{Port: port, Path: "/headers"}); err == nil {
		t.Error("320 KB of headers were accepted")
	}
	res, err = c.Do(ctx, Request{Port: port, Path: "/gzip"})
	if err != nil || string(res.Body) != "\x1f\x8b\x00\x00" {
		t.Errorf("gzip: %q, %v; want the raw bytes, never decompressed", res.Body, err)
	}
}

func TestPinnedToTheDevice(t *testing.T) {
	c := New(nil, netip.MustParseAddr("127.0.0.1"), time.Second)
	for _, addr := range []string{"127.0.0.2:80", "8.8.8.8:80", "[::1]:80", "not-an-address"} {
		if err := c.onlyTheDevice("tcp", addr, nil); !errors.Is(err, ErrOtherAddress) {
			t.Errorf("connecting to %s: %v, want ErrOtherAddress", addr, err)
		}
	}
	if err := c.onlyTheDevice("tcp", "127.0.0.1:8080", nil); err != nil {
		t.Errorf("connecting to the device itself: %v", err)
	}
	// A request through the real dialer to another address fails before any packet is sent.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	other := New(nil, netip.MustParseAddr("127.0.0.3"), time.Second)
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
	if _, err := other.hc.Do(req); !errors.Is(err, ErrOtherAddress) {
		t.Errorf("a URL naming another address: %v, want ErrOtherAddress", err)
	}
}

func TestCheckLocal(t *testing.T) {
	for addr, local := range map[string]bool{
		"127.77.0.1": true, "192.168.1.20": true, "10.0.0.5": true, "172.16.3.4": true,
		"fe80::1": true, "fd12:3456::1": true, "::1": true, "::ffff:192.168.1.2": true,
		"8.8.8.8": false, "2001:4860::8888": false, "100.64.0.1": false, "224.0.0.251": false,
	} {
		if err := CheckLocal(netip.MustParseAddr(addr)); (err == nil) != local {
			t.Errorf("CheckLocal(%s) = %v, want local %v", addr, err, local)
		}
	}
	public := New(nil, netip.MustParseAddr("8.8.8.8"), time.Second)
	if err := public.onlyTheDevice("tcp", "8.8.8.8:80", nil); !errors.Is(err, ErrNotLocal) {
		t.Errorf("a client for a public address may connect: %v", err)
	}
}

func TestTLSIsObserved(t *testing.T) {
	c, port := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }), 0, true)
	res, err := c.Do(context.Background(), Request{TLS: true, Port: port, Path: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if res.TLS == nil || res.TLS.Version == "" || res.TLS.Trusted || !res.TLS.SelfSigned || len(res.TLS.SPKISHA256) != 64 {
		t.Errorf("TLS = %+v; want version, self-signed, untrusted, and a key fingerprint", res.TLS)
	}
}

// TestRequireKey: with the device's key pinned, requests go through over
// TLS; with another key pinned, the handshake fails before the request
// (with its secret) is sent; and plain HTTP is refused outright.
func TestRequireKey(t *testing.T) {
	var reached int
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ })
	probe, port := serve(t, h, time.Second, true)
	res, err := probe.Do(context.Background(), Request{TLS: true, Port: port, Path: "/"})
	if err != nil || res.TLS == nil || res.TLS.SPKISHA256 == "" {
		t.Fatalf("reading the key: %v %+v", err, res)
	}
	key := res.TLS.SPKISHA256
	reached = 0
	tests := []struct {
		name    string
		pin     string
		tls     bool
		want    error
		reaches int
	}{
		{"the pinned key", key, true, nil, 1},
		{"another key", strings.Repeat("0", 64), true, ErrKeyChanged, 0},
		{"plain HTTP with a pinned key", key, false, ErrNotTLS, 0},
		{"no pin", "", true, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached = 0
			c := New(nil, probe.Addr(), time.Second)
			c.RequireKey(tt.pin)
			_, err := c.Do(context.Background(), Request{TLS: tt.tls, Port: port, Path: "/api/secret-key/config"})
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if reached != tt.reaches {
				t.Errorf("the device was reached %d times, want %d", reached, tt.reaches)
			}
		})
	}
}

// TestTLSSubjectIsShownSafely: a certificate's subject is the device's own
// text, so escape sequences, controls and bidi characters in it are
// neutralised and its length is capped (devtext.Message).
func TestTLSSubjectIsShownSafely(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{CommonName: "Evil\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\u0085",
			Organization: []string{strings.Repeat("O", 2*devtext.Message)}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	res, err := New(nil, ap.Addr(), time.Second).Do(context.Background(), Request{TLS: true, Port: int(ap.Port()), Path: "/"})
	if err != nil || res.TLS == nil {
		t.Fatalf("%v %+v", err, res)
	}
	s := res.TLS.Subject
	if r, bad := devtexttest.Unsafe(s); bad || !strings.Contains(s, "CN=Evil\uFFFD") {
		t.Errorf("subject %+q holds %U, or not what the certificate says", s, r)
	}
	if n := utf8.RuneCountInString(s); n > devtext.Message {
		t.Errorf("subject of %d characters, more than %d", n, devtext.Message)
	}
}

// TestURLKeepsTheZone: a link-local IPv6 address is asked at its zone,
// written as RFC 6874 says, and the connection is to that address only.
func TestURLKeepsTheZone(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"fe80::2%plveth1a", "http://[fe80::2%25plveth1a]:49000/desc.xml"},
		{"fd12:3456::1", "http://[fd12:3456::1]:49000/desc.xml"},
		{"192.168.1.2", "http://192.168.1.2:49000/desc.xml"},
	}
	for _, tt := range tests {
		c := New(nil, netip.MustParseAddr(tt.addr), time.Second)
		if got := c.URL(Request{Port: 49000, Path: "/desc.xml"}); got != tt.want {
			t.Errorf("URL at %s = %q, want %q", tt.addr, got, tt.want)
		}
	}
	c := New(nil, netip.MustParseAddr("fe80::2%plveth1a"), time.Second)
	if err := c.onlyTheDevice("tcp", "[fe80::2%plveth1a]:49000", nil); err != nil {
		t.Errorf("the device at its zone refused: %v", err)
	}
	if err := c.onlyTheDevice("tcp", "[fe80::2%eth0]:49000", nil); !errors.Is(err, ErrOtherAddress) {
		t.Errorf("the same address on another interface allowed: %v", err)
	}
}
