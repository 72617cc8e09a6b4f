// Package exchange is how the drivers talk to a device: every request goes
// through devhttp to the target's own address, failures are mapped to the
// driver package's errors, and every error and evidence string is scrubbed
// of the secrets the call carries (Tasmota and Shelly Gen1 put passwords in
// URLs, Hue puts its app key in the path).
package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/driver"
)

// Unreserved is every character RFC 3986 leaves unreserved in a URL: a
// password made of these travels in a query string or a form exactly as
// written, with no encoding surprises on either side.
const Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// Redacted replaces a secret in error and evidence strings.
const Redacted = "[redacted]"

// DefaultPort is a device's web API port when the target names none.
const DefaultPort = 80

// Conn is one driver call's connection to a device.
type Conn struct {
	client Asker
	port   int
	// tls sends every request over HTTPS (the target's key is pinned).
	tls     bool
	secrets []string
}

// New returns a connection to t whose errors never contain any of secrets
// (empty ones are ignored).
func New(t driver.Target, secrets ...string) *Conn {
	client := devhttp.New(t.Net, t.Addr, t.Timeout)
	if t.Key != "" {
		client.RequireKey(t.Key)
	}
	return Over(client, t, secrets...)
}

// Asker sends one request to a device and returns its answer, as
// devhttp.Client does.
type Asker interface {
	Do(ctx context.Context, r devhttp.Request) (*devhttp.Response, error)
}

// Over returns a connection to t, like New, that sends its requests
// through a: the devhttp client New makes or, in tests, a device in memory
// (devhttptest.Device). a must be pinned to t's address and key already.
func Over(a Asker, t driver.Target, secrets ...string) *Conn {
	port := t.Port
	if port == 0 {
		port = DefaultPort
	}
	c := &Conn{client: a, port: port, tls: t.Key != ""}
	for _, s := range secrets {
		c.AddSecret(s)
	}
	return c
}

// AddSecret adds s to the strings scrubbed from errors and evidence.
func (c *Conn) AddSecret(s string) {
	if s != "" {
		c.secrets = append(c.secrets, s)
	}
}

// Scrub returns s with every secret of the connection replaced, in the
// forms it can take in a URL or a form as well as raw.
func (c *Conn) Scrub(s string) string { return Scrub(s, c.secrets...) }

// Scrub returns s with every non-empty secret replaced by Redacted, raw,
// query-escaped and path-escaped.
func Scrub(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
			strings.ReplaceAll(url.QueryEscape(secret), "+", "%20")} {
			s = strings.ReplaceAll(s, form, Redacted)
		}
	}
	return s
}

// Errorf returns an error wrapping sentinel whose text is the formatted
// message, made fit to show (see shown): it may quote what the device said.
func (c *Conn) Errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, c.shown(fmt.Sprintf(format, args...)))
}

// shown is s with every secret of the connection scrubbed, then made safe
// to show and cut to devtext.Message; scrubbed first, so that no cut leaves
// part of a secret behind.
func (c *Conn) shown(s string) string { return devtext.Clean(c.Scrub(s), devtext.Message) }

// Do sends r to the device (on the target's port) and returns what came
// back, its Asked line scrubbed. A failure to exchange wraps
// driver.ErrUnreachable, and also context.Canceled, context.DeadlineExceeded,
// devhttp.ErrNotLocal or devhttp.ErrOtherAddress when one of them caused it.
func (c *Conn) Do(ctx context.Context, r devhttp.Request) (*devhttp.Response, error) {
	r.Port, r.TLS = c.port, r.TLS || c.tls
	res, err := c.client.Do(ctx, r)
	if res != nil {
		res.Asked = c.Scrub(res.Asked)
	}
	if err != nil {
		return res, c.transportError(err)
	}
	return res, nil
}

// transportError maps a failed exchange to ErrUnreachable without keeping
// the original error, whose text may hold a URL with a secret in it.
func (c *Conn) transportError(err error) error {
	msg := c.shown(err.Error())
	for _, cause := range []error{context.Canceled, context.DeadlineExceeded, devhttp.ErrNotLocal, devhttp.ErrOtherAddress, devhttp.ErrKeyChanged, devhttp.ErrNotTLS} {
		if errors.Is(err, cause) {
			return fmt.Errorf("%w: %w: %s", driver.ErrUnreachable, cause, msg)
		}
	}
	return fmt.Errorf("%w: %s", driver.ErrUnreachable, msg)
}

// Get sends a GET for path with the given header (may be nil).
func (c *Conn) Get(ctx context.Context, path string, header http.Header) (*devhttp.Response, error) {
	return c.Do(ctx, devhttp.Request{Method: http.MethodGet, Path: path, Header: header})
}

// StatusError returns nil for a 2xx answer and otherwise an error saying
// what came back: 401 wraps driver.ErrAuth, 429 driver.ErrRateLimited, any
// other status driver.ErrRefused.
func (c *Conn) StatusError(res *devhttp.Response) error {
	switch {
	case res.Status >= 200 && res.Status <= 299:
		return nil
	case res.Status == http.StatusUnauthorized:
		return c.Errorf(driver.ErrAuth, "%s: status %d", res.Asked, res.Status)
	case res.Status == http.StatusTooManyRequests:
		return c.Errorf(driver.ErrRateLimited, "%s: status %d", res.Asked, res.Status)
	default:
		return c.Errorf(driver.ErrRefused, "%s: status %d", res.Asked, res.Status)
	}
}

// DecodeJSON decodes a complete JSON answer into v (extra fields are
// ignored); a truncated or malformed answer wraps driver.ErrRefused.
func (c *Conn) DecodeJSON(res *devhttp.Response, v any) error {
	if res.Truncated {
		return c.Errorf(driver.ErrRefused, "%s: the answer is larger than %d bytes", res.Asked, devhttp.MaxBody)
	}
	if err := json.Unmarshal(res.Body, v); err != nil {
		return c.Errorf(driver.ErrRefused, "%s: the answer is not the JSON expected: %v", res.Asked, err)
	}
	return nil
}

// GetJSON gets path and decodes a 2xx JSON answer into v.
func (c *Conn) GetJSON(ctx context.Context, path string, header http.Header, v any) error {
	res, err := c.Get(ctx, path, header)
	if err != nil {
		return err
	}
	if err := c.StatusError(res); err != nil {
		return err
	}
	return c.DecodeJSON(res, v)
}
