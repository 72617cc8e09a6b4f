package wsd

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestLoginOverPinnedTLS tries logins on the demo's camera that is on its
// factory login, in memory: its HTTPS key is read without credentials; the
// right login, sent as a PasswordDigest to that pinned key, is accepted and
// a wrong one refused; to another key nothing is sent at all. The evidence
// never holds the password.
func TestLoginOverPinnedTLS(t *testing.T) {
	d, err := sim.NewDemo(sim.ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	var cam, open *sim.Camera
	for _, c := range d.Cameras() {
		if c.Password != "" {
			cam = c
		} else {
			open = c
		}
	}
	if cam == nil || open == nil || cam.TLSPort == 0 {
		t.Fatalf("the demo needs a camera on a login with TLS and one without: %+v", d.Cameras())
	}
	const path = "/onvif/device_service"
	key, err := Key(ctx, devhttp.New(d, cam.Addr, time.Second), cam.TLSPort, path)
	if err != nil || key == "" || key != cam.TLSKey() {
		t.Fatalf("key %q, %v; the camera's is %q", key, err, cam.TLSKey())
	}
	if _, err := Key(ctx, devhttp.New(d, open.Addr, time.Second), 443, path); err == nil {
		t.Error("a camera without HTTPS gave a key")
	}
	if cam.Logins() != 0 {
		t.Fatalf("reading the key sent a login")
	}

	pinned := devhttp.New(d, cam.Addr, time.Second)
	pinned.RequireKey(key)
	for _, tc := range []struct {
		password string
		want     Login
	}{
		{cam.Password, LoginAccepted},
		{"not-" + cam.Password + "-either", LoginRefused},
	} {
		got, ev, err := TryLogin(ctx, pinned, true, cam.TLSPort, path, cam.Username, tc.password, time.Now())
		if got != tc.want || err != nil {
			t.Errorf("login %d: %d, %v; want %d", len(tc.password), got, err, tc.want)
		}
		if strings.Contains(ev, tc.password) || !strings.Contains(ev, "GetDeviceInformation") {
			t.Errorf("evidence %q", ev)
		}
	}
	if cam.Logins() != 2 {
		t.Errorf("the camera received %d logins, want 2", cam.Logins())
	}

	other := devhttp.New(d, cam.Addr, time.Second)
	other.RequireKey(strings.Repeat("0", 64))
	if got, _, err := TryLogin(ctx, other, true, cam.TLSPort, path, cam.Username, cam.Password, time.Now()); got != LoginFailed || !errors.Is(err, devhttp.ErrKeyChanged) {
		t.Errorf("to another key: %d, %v", got, err)
	}
	if cam.Logins() != 2 {
		t.Errorf("a login reached a device with another key")
	}
}
