// Package devhttp talks HTTP to one device on the home network and treats
// every answer as hostile: a client is pinned to the device's address (it
// cannot connect anywhere else, whatever a URL or redirect says), never
// follows redirects, ignores proxy settings, and bounds time, headers and
// body. What was asked and what came back is kept as evidence.
package devhttp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on one exchange with a device.
const (
	// DefaultTimeout bounds a whole exchange: connect, headers and body.
	DefaultTimeout = 3 * time.Second
	// MaxBody bounds the bytes read of a body; the rest is not read.
	MaxBody = 1 << 20
	// MaxHeaderBytes bounds the response headers.
	MaxHeaderBytes = 64 << 10
)

// ErrOtherAddress reports an attempt to connect anywhere but the device.
var ErrOtherAddress = errors.New("refused to connect to an address other than the device's")

// Client talks to exactly one device address.
type Client struct {
	addr    netip.Addr
	timeout time.Duration
	hc      *http.Client
	// key, when set, is the only TLS key the device may present (see RequireKey).
	key string
}

// Errors of a client that requires the device's key.
var (
	// ErrKeyChanged: the device presented another TLS key than the one
	// pinned for it; the connection was closed before anything was sent.
	ErrKeyChanged = errors.New("the device presented another TLS key than the one Porchlight pinned")
	// ErrNotTLS: a plain-HTTP request to a device whose key is pinned.
	ErrNotTLS = errors.New("refused to talk to a device with a pinned key without TLS")
)

// RequireKey pins the device's TLS key: the SHA-256 of its public key
// (SPKI), hex, as TLSInfo.SPKISHA256 reports it. From then on a TLS
// handshake with another key fails before any request is sent, and plain
// HTTP requests are refused. Call it before the first request.
func (c *Client) RequireKey(spkiSHA256 string) { c.key = spkiSHA256 }

// checkKey is the TLS handshake's last check: the pinned key, if any.
func (c *Client) checkKey(cs tls.ConnectionState) error {
	if c.key == "" {
		return nil
	}
	if len(cs.PeerCertificates) == 0 {
		return ErrKeyChanged
	}
	sum := sha256.Sum256(cs.PeerCertificates[0].RawSubjectPublicKeyInfo)
	if hex.EncodeToString(sum[:]) != c.key {
		return ErrKeyChanged
	}
	return nil
}

// New returns a client for the device at addr, reached through n (the real
// network when nil). A zero timeout means DefaultTimeout.
func New(n Network, addr netip.Addr, timeout time.Duration) *Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	addr = addr.Unmap()
	c := &Client{addr: addr, timeout: timeout}
	// Each connection carries one request (no keep-alive): TCP keep-alive
	// probes would never be sent, so they are not set up.
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: -1, Control: c.onlyTheDevice}
	tr := &http.Transport{
		Proxy: nil, // a device on the home network is never reached through a proxy
		DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			if n != nil {
				if err := c.onlyTheDevice(network, address, nil); err != nil {
					return nil, err
				}
				return n.DialContext(ctx, network, address)
			}
			return dialer.DialContext(ctx, network, address)
		},
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: MaxHeaderBytes,
		DisableCompression:     true, // no decompression bombs
		DisableKeepAlives:      true,
		// Devices use self-signed certificates: the connection is observed
		// (see TLSInfo), not trusted.
		// With a pinned key (RequireKey), VerifyConnection accepts only it.
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, VerifyConnection: c.checkKey}, //nolint:gosec // observed, or pinned
		ForceAttemptHTTP2: false,
	}
	c.hc = &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c
}

// Addr is the device's address.
func (c *Client) Addr() netip.Addr { return c.addr }

// onlyTheDevice refuses any connection that is not to the device's
// address, or to an address no home device can have.
func (c *Client) onlyTheDevice(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || ap.Addr().Unmap() != c.addr {
		return fmt.Errorf("%w: %s", ErrOtherAddress, address)
	}
	return CheckLocal(c.addr)
}

// ErrNotLocal reports an address outside the home network.
var ErrNotLocal = errors.New("refused to contact an address outside the home network")

// CheckLocal returns nil when a is an address a device on the home network
// may have: private (RFC 1918, IPv6 ULA), link-local or loopback. Porchlight
// never sends anything elsewhere, whatever a device announces.
func CheckLocal(a netip.Addr) error {
	a = a.Unmap()
	if a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotLocal, a)
}

// Request describes one request to the device.
type Request struct {
	Method string // GET when empty
	// TLS selects https.
	TLS  bool
	Port int
	// Path is the path and query, e.g. "/cm?cmnd=Status%200".
	Path   string
	Header http.Header
	Body   []byte
}

// URL is the request's address at the device.
func (c *Client) URL(r Request) string {
	scheme := "http"
	if r.TLS {
		scheme = "https"
	}
	// An IPv6 link-local address keeps its zone (the interface it is
	// on), written "%25" in a URL (RFC 6874).
	host := strings.ReplaceAll(net.JoinHostPort(c.addr.String(), strconv.Itoa(r.Port)), "%", "%25")
	return scheme + "://" + host + r.Path
}

// Response is what came back, as evidence.
type Response struct {
	// Asked is the request line, e.g. "GET http://127.77.0.1:80/shelly".
	Asked  string
	Status int
	Header http.Header
	// Body holds at most MaxBody bytes; Truncated is set when there were more.
	Body      []byte
	Truncated bool
	// Location is where a redirect pointed (never followed).
	Location string
	TLS      *TLSInfo
	Took     time.Duration
}

// TLSInfo describes the TLS connection a device offered.
type TLSInfo struct {
	Version string `json:"version"`
	// SelfSigned is set when the certificate is its own issuer and no
	// system-trusted authority vouches for it.
	SelfSigned bool `json:"self_signed"`
	// Trusted is set when the system's roots verify the chain for the
	// certificate's own name (rare on a home network).
	Trusted bool `json:"trusted"`
	// SPKISHA256 identifies the device's key, for pinning.
	SPKISHA256 string `json:"spki_sha256"`
	// Subject is the certificate's subject as the device wrote it, made
	// safe to show (devtext.Message).
	Subject  string    `json:"subject"`
	NotAfter time.Time `json:"not_after"`
}

// Do sends r and reads the answer within the client's limits. A status
// that is not 2xx is not an error: it is evidence too.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	url := c.URL(r)
	res := &Response{Asked: method + " " + url}
	if c.key != "" && !r.TLS {
		return res, fmt.Errorf("%s: %w", res.Asked, ErrNotTLS)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return res, fmt.Errorf("%s: %w", res.Asked, err)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		res.Took = time.Since(start)
		return res, fmt.Errorf("%s: %w", res.Asked, err)
	}
	defer resp.Body.Close()
	res.Status, res.Header = resp.StatusCode, resp.Header
	res.Location = resp.Header.Get("Location")
	if resp.TLS != nil {
		res.TLS = describeTLS(resp.TLS)
	}
	res.Body, err = io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	res.Took = time.Since(start)
	if len(res.Body) > MaxBody {
		res.Body, res.Truncated = res.Body[:MaxBody], true
	}
	if err != nil {
		return res, fmt.Errorf("%s: reading the answer: %w", res.Asked, err)
	}
	return res, nil
}

// ErrStatus reports an answer whose status is not 2xx.
var ErrStatus = errors.New("unexpected status")

// GetJSON gets path and decodes a 2xx JSON answer into v.
func (c *Client) GetJSON(ctx context.Context, port int, path string, v any) (*Response, error) {
	res, err := c.Do(ctx, Request{Port: port, Path: path})
	if err != nil {
		return res, err
	}
	if res.Status < 200 || res.Status > 299 {
		return res, fmt.Errorf("%s: %w %d", res.Asked, ErrStatus, res.Status)
	}
	if res.Truncated {
		return res, fmt.Errorf("%s: the answer is larger than %d bytes", res.Asked, MaxBody)
	}
	if err := json.Unmarshal(res.Body, v); err != nil {
		return res, fmt.Errorf("%s: the answer is not the JSON expected: %w", res.Asked, err)
	}
	return res, nil
}

func describeTLS(cs *tls.ConnectionState) *TLSInfo {
	info := &TLSInfo{Version: tls.VersionName(cs.Version)}
	if len(cs.PeerCertificates) == 0 {
		return info
	}
	leaf := cs.PeerCertificates[0]
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	info.SPKISHA256 = hex.EncodeToString(sum[:])
	info.Subject = devtext.Clean(leaf.Subject.String(), devtext.Message)
	info.NotAfter = leaf.NotAfter
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, verr := leaf.Verify(x509.VerifyOptions{Intermediates: inter})
	info.Trusted = verr == nil
	info.SelfSigned = !info.Trusted && bytes.Equal(leaf.RawIssuer, leaf.RawSubject)
	return info
}
