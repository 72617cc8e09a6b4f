package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/driver"
)

// TestScrub removes a secret in every form it takes in a URL or a form.
func TestScrub(t *testing.T) {
	const secret = "p@ss word/+&=ü"
	for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		strings.ReplaceAll(url.QueryEscape(secret), "+", "%20")} {
		s := Scrub("GET http://127.0.0.1:80/cm?user=admin&password="+form+"&cmnd=Status", secret)
		if strings.Contains(s, form) || !strings.Contains(s, Redacted) {
			t.Errorf("form %q survived: %s", form, s)
		}
	}
	if got := Scrub("nothing to hide", "", "absent"); got != "nothing to hide" {
		t.Errorf("Scrub changed %q", got)
	}
}

// TestTransportErrorsAreScrubbed keeps the sentinels a caller tests for
// and drops the original text, which holds the URL with the secret.
func TestTransportErrorsAreScrubbed(t *testing.T) {
	const secret = "Tr0ub4dor-3"
	c := &Conn{secrets: []string{secret}}
	raw := fmt.Errorf("GET http://127.0.0.1:80/cm?password=%s: %w", secret, context.DeadlineExceeded)
	err := c.transportError(raw)
	if !errors.Is(err, driver.ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lost a sentinel: %v", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("secret in %q", err)
	}
	if errors.Unwrap(err) == raw {
		t.Error("the unscrubbed error is still reachable")
	}
	if err := c.transportError(fmt.Errorf("x: %w", devhttp.ErrNotLocal)); !errors.Is(err, devhttp.ErrNotLocal) {
		t.Errorf("lost ErrNotLocal: %v", err)
	}
}

// TestErrorsAreShownSafely: an error may quote what the device said, so
// its text is made safe to show and capped, after the secrets are scrubbed
// (a cut never leaves the start of a secret behind).
func TestErrorsAreShownSafely(t *testing.T) {
	const secret = "Porch-light.1st-secret"
	c := &Conn{secrets: []string{secret}}
	tests := []struct {
		name string
		err  error
		want error
		// saw is what the error must still say.
		saw string
	}{
		{"device words with escapes", c.Errorf(driver.ErrRefused, "pairing: error %d: %s", 101, "link\x1b]0;pwned\x07 button\u202e\x00"),
			driver.ErrRefused, "link\uFFFD button\uFFFD\uFFFD"},
		{"a secret at the cut", c.Errorf(driver.ErrAuth, "%s%s", strings.Repeat("x", devtext.Message-30), secret),
			driver.ErrAuth, "xxx"},
		{"a transport error", c.transportError(fmt.Errorf("GET /cm?password=%s: \x1b[2J%s: %w", secret, strings.Repeat("y", 2*devtext.Message), context.Canceled)),
			context.Canceled, "password=" + Redacted + ": \uFFFDyyy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.err.Error()
			if !errors.Is(tt.err, tt.want) || !strings.Contains(msg, tt.saw) {
				t.Errorf("%+q does not wrap %v or say %+q", msg, tt.want, tt.saw)
			}
			if r, bad := devtexttest.Unsafe(msg); bad {
				t.Errorf("%+q holds %U", msg, r)
			}
			if strings.Contains(msg, secret[:6]) {
				t.Errorf("%+q holds the start of the secret", msg)
			}
			// The sentinels' own words come first, then the capped message.
			if n := utf8.RuneCountInString(msg); n > devtext.Message+64 {
				t.Errorf("%d characters: %+q", n, msg)
			}
		})
	}
}

// TestStatusError maps statuses to the driver's errors, scrubbed.
func TestStatusError(t *testing.T) {
	c := &Conn{secrets: []string{"k3y"}}
	for status, want := range map[int]error{200: nil, 204: nil, 401: driver.ErrAuth, 429: driver.ErrRateLimited,
		403: driver.ErrRefused, 404: driver.ErrRefused, 500: driver.ErrRefused} {
		err := c.StatusError(&devhttp.Response{Asked: "GET http://127.0.0.1:80/api/k3y/config", Status: status})
		if !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Errorf("status %d: %v, want %v", status, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "k3y") {
			t.Errorf("status %d: secret in %q", status, err)
		}
	}
}

// TestDecodeJSON tolerates extra fields and refuses what is not JSON.
func TestDecodeJSON(t *testing.T) {
	c := &Conn{}
	var v struct{ A int }
	if err := c.DecodeJSON(&devhttp.Response{Body: []byte(`{"A":1,"extra":{"x":[1]}}`)}, &v); err != nil || v.A != 1 {
		t.Errorf("decode: %v, %+v", err, v)
	}
	if err := c.DecodeJSON(&devhttp.Response{Body: []byte(`<html>`)}, &v); !errors.Is(err, driver.ErrRefused) {
		t.Errorf("html: %v", err)
	}
	if err := c.DecodeJSON(&devhttp.Response{Body: []byte(`{}`), Truncated: true}, &v); !errors.Is(err, driver.ErrRefused) {
		t.Errorf("truncated: %v", err)
	}
}
