package shellygen1

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/porchlight/porchlight/devices/driver"
)

// TestLoginPath carries the documented parameters, escaped so the device
// reads back exactly what was sent.
func TestLoginPath(t *testing.T) {
	got := loginPath("admin", "Porch-light.1st")
	if got != "/settings/login?enabled=1&username=admin&password=Porch-light.1st" {
		t.Errorf("path %s", got)
	}
	u, err := url.Parse(loginPath("a&b", "x y+z"))
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); q.Get("username") != "a&b" || q.Get("password") != "x y+z" || q.Get("enabled") != "1" {
		t.Errorf("query %v", q)
	}
}

// TestBasicAuth is RFC 7617's header for the caller's user, else "admin".
func TestBasicAuth(t *testing.T) {
	if h := basicAuth(nil); h != nil {
		t.Errorf("no credentials: %v", h)
	}
	// base64("admin:pw") and base64("boss:pw").
	if got := basicAuth(&driver.Credentials{Password: "pw"}).Get("Authorization"); got != "Basic YWRtaW46cHc=" {
		t.Errorf("header %s", got)
	}
	if got := basicAuth(&driver.Credentials{Username: "boss", Password: "pw"}).Get("Authorization"); got != "Basic Ym9zczpwdw==" {
		t.Errorf("header %s", got)
	}
}

// TestSetPasswordChecksFirst refuses a password or user name outside the
// rules before contacting the device (the zero target has no address).
func TestSetPasswordChecksFirst(t *testing.T) {
	for _, next := range []driver.Credentials{
		{Password: ""},
		{Password: "has space"},
		{Password: string(make([]byte, 51))},
		{Username: "bad:user", Password: "fine"},
	} {
		err := Driver{}.SetPassword(context.Background(), driver.Target{}, nil, next)
		if !errors.Is(err, driver.ErrPasswordRules) {
			t.Errorf("%q/%d chars: %v", next.Username, len(next.Password), err)
		}
	}
}
