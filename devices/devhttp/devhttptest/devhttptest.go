// Package devhttptest is a device in memory for tests and fuzz targets: it
// answers devhttp requests with raw HTTP answers, as a device sent them on
// the wire, so the code that reads device answers runs without a network
// (and fast enough to fuzz). It reads an answer as devhttp.Client does: the
// status, the headers and at most devhttp.MaxBody bytes of the body.
package devhttptest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp"
)

// ErrNoAnswer reports a request the device did not answer: its answers ran out.
var ErrNoAnswer = errors.New("the device did not answer")

// Device answers each request with the next of Answers. An answer is what
// came back on one connection (devhttp opens one per request): an
// HTTP/1.1 status line, headers and a body that ends where the answer ends
// (or where Content-Length says, when it says so). Once the answers run
// out, or for an answer that is not HTTP, Do fails as devhttp.Client does
// when a device does not answer.
type Device struct {
	// At is the device's address.
	At netip.Addr
	// Answers are the answers not given yet, in order.
	Answers [][]byte
	// TLS describes the connection of a request over TLS.
	TLS *devhttp.TLSInfo
	// Asked lists the requests received, in order.
	Asked []devhttp.Request
}

// Addr is the device's address.
func (d *Device) Addr() netip.Addr { return d.At }

// Do answers r with the next answer.
func (d *Device) Do(_ context.Context, r devhttp.Request) (*devhttp.Response, error) {
	d.Asked = append(d.Asked, r)
	scheme := "http"
	if r.TLS {
		scheme = "https"
	}
	res := &devhttp.Response{Asked: cmp.Or(r.Method, http.MethodGet) + " " + scheme + "://" +
		net.JoinHostPort(d.At.String(), strconv.Itoa(r.Port)) + r.Path}
	if len(d.Answers) == 0 {
		return res, fmt.Errorf("%s: %w", res.Asked, ErrNoAnswer)
	}
	raw := d.Answers[0]
	d.Answers = d.Answers[1:]
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return res, fmt.Errorf("%s: %w: %w", res.Asked, ErrNoAnswer, err)
	}
	defer resp.Body.Close()
	res.Status, res.Header = resp.StatusCode, resp.Header
	res.Location = resp.Header.Get("Location")
	if r.TLS {
		res.TLS = d.TLS
	}
	res.Body, err = io.ReadAll(io.LimitReader(resp.Body, devhttp.MaxBody+1))
	if len(res.Body) > devhttp.MaxBody {
		res.Body, res.Truncated = res.Body[:devhttp.MaxBody], true
	}
	if err != nil {
		return res, fmt.Errorf("%s: reading the answer: %w", res.Asked, err)
	}
	return res, nil
}

// Seed returns the raw answers of a seed of a fuzz target's committed
// corpus, testdata/fuzz/<target>/<name>: a file of []byte values in the
// format of "go test fuzz v1".
func Seed(t testing.TB, target, name string) [][]byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", target, name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if lines[0] != "go test fuzz v1" {
		t.Fatalf("%s/%s is not a seed", target, name)
	}
	var answers [][]byte
	for _, line := range lines[1:] {
		lit, ok := strings.CutPrefix(line, "[]byte(")
		lit, ok2 := strings.CutSuffix(lit, ")")
		b, err := strconv.Unquote(lit)
		if !ok || !ok2 || err != nil {
			t.Fatalf("%s/%s: not a []byte value: %.40s", target, name, line)
		}
		answers = append(answers, []byte(b))
	}
	return answers
}
