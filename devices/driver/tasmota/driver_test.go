package tasmota

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// TestCommandPath is the documented /cm form, spaces as %20.
func TestCommandPath(t *testing.T) {
	if got := commandPath(nil, "Status 2"); got != "/cm?cmnd=Status%202" {
		t.Errorf("no credentials: %s", got)
	}
	got := commandPath(&driver.Credentials{Password: "Porch-light.1st"}, "WebPassword second~Pass_2")
	if got != "/cm?user=admin&password=Porch-light.1st&cmnd=WebPassword%20second~Pass_2" {
		t.Errorf("with credentials: %s", got)
	}
	if got := commandPath(&driver.Credentials{Password: "a&b c"}, "Status 0"); !strings.Contains(got, "password=a%26b%20c&") {
		t.Errorf("escaping: %s", got)
	}
}

// TestAnswerError recognises the password warning (old releases answer it
// with 200, newer with 401) and unknown commands; the error never quotes
// the password carried in the URL.
func TestAnswerError(t *testing.T) {
	const pw = "Porch-light.1st"
	c := exchange.New(driver.Target{}, pw)
	asked := "GET http://127.0.0.1:80/cm?user=admin&password=" + pw + "&cmnd=Status%200"
	for _, tc := range []struct {
		status int
		body   string
		want   error
	}{
		{200, `{"StatusFWR":{"Version":"13.2.0(tasmota)"}}`, nil},
		{200, `{"WARNING":"Need user=<username>&password=<password>"}`, driver.ErrAuth},
		{401, `{"WARNING":"Need user=<username>&password=<password>"}`, driver.ErrAuth},
		{200, `{"Command":"Unknown"}`, driver.ErrRefused},
		{200, `not json`, driver.ErrRefused},
		{500, ``, driver.ErrRefused},
	} {
		err := answerError(c, &devhttp.Response{Asked: c.Scrub(asked), Status: tc.status, Body: []byte(tc.body)}, "Status")
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%d %s: %v, want %v", tc.status, tc.body, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), pw) {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

// TestSetPasswordChecksFirst refuses "0", "1" (Tasmota's disable and reset
// shortcuts), overlong passwords and other users before contacting the
// device (the zero target has no address).
func TestSetPasswordChecksFirst(t *testing.T) {
	for _, next := range []driver.Credentials{
		{Password: "0"}, {Password: "1"}, {Password: strings.Repeat("a", 33)}, {Password: "semi;colon"},
		{Username: "root", Password: "fine-pass"},
	} {
		if err := (Driver{}).SetPassword(context.Background(), driver.Target{}, nil, next); !errors.Is(err, driver.ErrPasswordRules) {
			t.Errorf("%q: %v", next.Username, err)
		}
	}
}
