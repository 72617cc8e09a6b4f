package sim

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// serveHTTPAttack serves one HTTP attack on 127.0.0.1. ended receives a
// value when a call of the handler returns (the first 16 calls).
func serveHTTPAttack(t *testing.T, a Attack) (srv *httptest.Server, ended <-chan struct{}) {
	t.Helper()
	h, ok := httpAttacks[a]
	if !ok {
		t.Fatalf("no HTTP attack %q", a)
	}
	done := make(chan struct{}, 16)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			select {
			case done <- struct{}{}:
			default:
			}
		}()
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, done
}

// attackClient is a client that follows no redirect, decompresses nothing,
// keeps no connection open and waits at most 5 s for headers.
func attackClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableCompression: true, DisableKeepAlives: true, ResponseHeaderTimeout: 5 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// getAttack sends GET url with a 10 s deadline; cancel ends the request.
func getAttack(t *testing.T, c *http.Client, url string) (resp *http.Response, cancel func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	resp, err = c.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET %s: %v", url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, cancel
}

// waitEnded fails unless a handler call ends within d.
func waitEnded(t *testing.T, ended <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ended:
	case <-time.After(d):
		t.Fatalf("%s: the handler still runs %v after its client went away", what, d)
	}
}

func wantHeader(t *testing.T, resp *http.Response, key, want string) {
	t.Helper()
	if got := resp.Header.Get(key); got != want {
		t.Errorf("%s = %q, want %q", key, got, want)
	}
}

// serveHTTPAttackInMemory serves one HTTP attack over in-memory
// connections, as the demo serves its devices, and returns a client for
// it (see attackClient) and ended as serveHTTPAttack does. Call it inside
// synctest.Test: the attack's timers then run on the bubble's fake clock.
func serveHTTPAttackInMemory(t *testing.T, a Attack) (c *http.Client, ended <-chan struct{}) {
	t.Helper()
	h, ok := httpAttacks[a]
	if !ok {
		t.Fatalf("no HTTP attack %q", a)
	}
	done := make(chan struct{}, 16)
	ln := &pipeListener{addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, conns: make(chan net.Conn), closed: make(chan struct{})}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			select {
			case done <- struct{}{}:
			default:
			}
		}()
		h(w, r)
	})}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	c = attackClient(t)
	c.Transport.(*http.Transport).DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
		client, server := net.Pipe()
		select {
		case ln.conns <- server:
			return client, nil
		case <-ctx.Done():
			client.Close()
			server.Close()
			return nil, ctx.Err()
		}
	}
	t.Cleanup(func() {
		srv.Close()
		<-served
	})
	return c, done
}

// TestHostileSlowDrip checks that the drip answers at once, sends its body a
// byte every DripEvery (on the fake clock, to the nanosecond), and stops as
// soon as the client goes away.
func TestHostileSlowDrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, ended := serveHTTPAttackInMemory(t, AttackSlowDrip)
		resp, cancel := getAttack(t, c, "http://127.0.0.1/shelly")
		defer cancel()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		wantHeader(t, resp, "Content-Type", "application/json")
		first := make([]byte, 1)
		if _, err := io.ReadFull(resp.Body, first); err != nil || first[0] != dripText[0] {
			t.Fatalf("first byte %q, %v; want %q", first, err, dripText[0])
		}
		start := time.Now()
		second := make([]byte, 1)
		if _, err := io.ReadFull(resp.Body, second); err != nil || second[0] != dripText[1] {
			t.Fatalf("second byte %q, %v; want %q", second, err, dripText[1])
		}
		if took := time.Since(start); took != DripEvery {
			t.Errorf("the second byte came %v after the first, want %v", took, DripEvery)
		}
		read := make(chan error, 1)
		go func() {
			_, err := resp.Body.Read(make([]byte, 64))
			read <- err
		}()
		time.Sleep(DripEvery / 2)
		select {
		case err := <-read:
			t.Fatalf("a third byte came within %v (err %v), the drip sends one every %v", DripEvery/2, err, DripEvery)
		default:
		}
		cancel() // the client goes away
		<-read
		// Well before the next byte is due: the handler noticed, not a failed write.
		select {
		case <-ended:
		case <-time.After(DripEvery/2 - time.Nanosecond):
			t.Fatalf("slow drip: the handler still runs %v after its client went away", DripEvery/2)
		}
	})
}

// TestHostileHugeBody checks the promised length and the start of the
// stream, and that the stream stops when the client goes away.
func TestHostileHugeBody(t *testing.T) {
	srv, ended := serveHTTPAttack(t, AttackHugeBody)
	resp, cancel := getAttack(t, attackClient(t), srv.URL+"/json/info")
	defer cancel()
	if resp.StatusCode != http.StatusOK || resp.ContentLength != HugeBodyBytes {
		t.Fatalf("status %d, Content-Length %d; want 200, %d", resp.StatusCode, resp.ContentLength, HugeBodyBytes)
	}
	wantHeader(t, resp, "Content-Type", "application/json")
	head := make([]byte, len(hugeBodyHead)+1<<20)
	if _, err := io.ReadFull(resp.Body, head); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(head, []byte(hugeBodyHead)) || bytes.Count(head[len(hugeBodyHead):], []byte{'A'}) != 1<<20 {
		t.Fatalf("the body starts %.80q", head)
	}
	cancel()
	waitEnded(t, ended, 5*time.Second, "huge body")
}

// TestHostileHeaderFlood counts the header lines on the wire, and checks
// that a client with a header limit gives up.
func TestHostileHeaderFlood(t *testing.T) {
	srv, _ := serveHTTPAttack(t, AttackHeaderFlood)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, "GET /shelly HTTP/1.1\r\nHost: shelly1-header-flood\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	tp := textproto.NewReader(bufio.NewReader(conn))
	if status, err := tp.ReadLine(); err != nil || status != "HTTP/1.1 200 OK" {
		t.Fatalf("status line %q, %v", status, err)
	}
	lines := 0
	for lines <= HeaderFloodLines+10 {
		line, err := tp.ReadLine()
		if err != nil {
			t.Fatalf("after %d header lines: %v", lines, err)
		}
		if line == "" {
			break
		}
		lines++
	}
	if want := HeaderFloodLines + 3; lines != want { // and Content-Type, Connection, Content-Length
		t.Errorf("%d header lines, want %d", lines, want)
	}
	if body, err := io.ReadAll(tp.R); err != nil || string(body) != "{}" {
		t.Errorf("body %q, %v", body, err)
	}

	tr := &http.Transport{MaxResponseHeaderBytes: 64 << 10}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(srv.URL + "/shelly")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a client limited to 64 KiB of headers read %d of them", len(resp.Header))
	}
	if !strings.Contains(err.Error(), "exceeded") {
		t.Errorf("err = %v, want the header limit", err)
	}
}

// TestHostileRedirectLoop follows the loop by hand for a while: every
// answer redirects to the same path with the next number.
func TestHostileRedirectLoop(t *testing.T) {
	srv, _ := serveHTTPAttack(t, AttackRedirectLoop)
	c := attackClient(t)
	path := "/api/config"
	for i := 1; i <= 25; i++ {
		resp, cancel := getAttack(t, c, srv.URL+path)
		resp.Body.Close()
		cancel()
		want := fmt.Sprintf("/api/config?%d", i)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
			t.Fatalf("GET %s: %d to %q, want 302 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
		path = want
	}
	// A path that looks like another host stays a path on this one.
	resp, cancel := getAttack(t, c, srv.URL+"//8.8.8.8/x")
	defer cancel()
	if got := resp.Header.Get("Location"); got != "/8.8.8.8/x?1" {
		t.Errorf("Location %q, want a path of this device", got)
	}
}

// TestHostileRedirectOutside checks where the device points its clients.
// The client follows nothing, so nothing connects there.
func TestHostileRedirectOutside(t *testing.T) {
	srv, _ := serveHTTPAttack(t, AttackRedirectOutside)
	c := attackClient(t)
	for _, tt := range []struct {
		path     string
		status   int
		location string
	}{
		{"/setup/eureka_info", http.StatusFound, "http://8.8.8.8/setup/eureka_info"},
		{"/", http.StatusMovedPermanently, "http://192.168.1.1/"},
		{"/setup/icon.png", http.StatusMovedPermanently, "http://192.168.1.1/"},
	} {
		resp, cancel := getAttack(t, c, srv.URL+tt.path)
		resp.Body.Close()
		cancel()
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
			t.Errorf("GET %s: %d to %q, want %d to %q", tt.path, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
		}
	}
}

// readAttackBody gets path and reads at most max bytes of the answer.
func readAttackBody(t *testing.T, srv *httptest.Server, path string, max int64) (*http.Response, []byte) {
	t.Helper()
	resp, cancel := getAttack(t, attackClient(t), srv.URL+path)
	defer cancel()
	body, err := io.ReadAll(io.LimitReader(resp.Body, max))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	wantHeader(t, resp, "Content-Type", "application/json")
	return resp, body
}

func TestHostileInvalidJSON(t *testing.T) {
	srv, _ := serveHTTPAttack(t, AttackInvalidJSON)
	_, body := readAttackBody(t, srv, "/elgato/accessory-info", 1<<20)
	var v map[string]any
	if err := json.Unmarshal(body, &v); err == nil || !strings.HasPrefix(string(body), `{"productName":"Elgato Key Light"`) {
		t.Errorf("body %q decodes (err %v); want an accessory-info answer that does not", body, err)
	}
}

func TestHostileDeepJSON(t *testing.T) {
	srv, _ := serveHTTPAttack(t, AttackDeepJSON)
	_, body := readAttackBody(t, srv, "/elgato/accessory-info", 1<<20)
	want := strings.Repeat("[", DeepJSONLevels) + strings.Repeat("]", DeepJSONLevels)
	if string(body) != want {
		t.Fatalf("a %d-byte body, want %d levels of arrays", len(body), DeepJSONLevels)
	}
	var v any
	if err := json.Unmarshal(body, &v); err == nil || !strings.Contains(err.Error(), "depth") {
		t.Errorf("json.Unmarshal = %v, want its nesting limit", err)
	}
}

// TestHostileGzipBomb reads the compressed answer, which is small, and
// inflates only its start.
func TestHostileGzipBomb(t *testing.T) {
	srv, _ := serveHTTPAttack(t, AttackGzipBomb)
	resp, body := readAttackBody(t, srv, "/shelly", 4<<20)
	wantHeader(t, resp, "Content-Encoding", "gzip")
	if resp.Uncompressed || int64(len(body)) != resp.ContentLength || len(body) > 2<<20 {
		t.Fatalf("%d compressed bytes of %d announced, want all of them and at most 2 MiB", len(body), resp.ContentLength)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	const inflate = 8 << 20
	start, err := io.ReadAll(io.LimitReader(zr, inflate))
	if err != nil || len(start) != inflate || bytes.ContainsFunc(start, func(r rune) bool { return r != 0 }) {
		t.Fatalf("inflated %d bytes (%v), want %d zeros", len(start), err, inflate)
	}
	if ratio := GzipBombBytes / len(body); ratio < 500 {
		t.Errorf("inflates only %d times", ratio)
	}
}

// TestHostileGzipZeros inflates a small stream built the bomb's way to its
// end, where gzip checks the length and CRC of the trailer.
func TestHostileGzipZeros(t *testing.T) {
	g := newGzipZeros(3)
	var buf bytes.Buffer
	if n, err := g.WriteTo(&buf); err != nil || n != int64(g.size()) || buf.Len() != g.size() {
		t.Fatalf("wrote %d bytes (%v), size says %d", n, err, g.size())
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	out, err := io.ReadAll(zr)
	if err != nil || len(out) != 3<<20 || bytes.ContainsFunc(out, func(r rune) bool { return r != 0 }) {
		t.Fatalf("inflated %d bytes (%v), want %d zeros and a valid trailer", len(out), err, 3<<20)
	}
}
