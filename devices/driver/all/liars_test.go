package all

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/hue"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestLiarsUpdateInfo asks each family's lying device of the hostile
// household, served in the process, about its firmware through its
// driver: it reports escape sequences, controls, a bidi override and more
// text than any version has as its running and its newer version. What the
// driver returns must be safe to show, within devtext.Name, and still show
// that something odd was there.
func TestLiarsUpdateInfo(t *testing.T) {
	demo, err := sim.NewDemo(sim.ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Close() })
	ctx := context.Background()
	// offersVersion: the families whose API names the newer version.
	offersVersion := map[string]bool{"shelly-gen1": true, "shelly-gen2": true}
	for _, family := range driver.Families() {
		t.Run(family, func(t *testing.T) {
			var dev *sim.Device
			for _, d := range demo.Devices() {
				if string(d.Family) == family {
					dev = d
				}
			}
			if dev == nil {
				t.Fatalf("the hostile household has no lying %s", family)
			}
			d, _ := driver.For(family)
			tg := driver.Target{ID: dev.MAC, Addr: dev.Addr, Port: dev.HTTPPorts[0], Timeout: 2 * time.Second, Net: demo}
			var creds *driver.Credentials
			if family == "hue-bridge" {
				dev.PressLinkButton()
				key, err := hue.Pair(ctx, tg, "liars test")
				if err != nil {
					t.Fatal(err)
				}
				creds = &driver.Credentials{Password: key}
			}
			info, err := d.CheckUpdate(ctx, tg, creds)
			if err != nil {
				t.Fatal(err)
			}
			versions := map[string]string{"current": info.Current}
			if offersVersion[family] {
				versions["available"] = info.Available
			}
			for what, v := range versions {
				if r, bad := devtexttest.Unsafe(v); bad {
					t.Errorf("%s version %+q holds %U", what, v, r)
				}
				if n := utf8.RuneCountInString(v); n > devtext.Name {
					t.Errorf("%s version of %d characters, more than %d", what, n, devtext.Name)
				}
				if !strings.Contains(v, "\uFFFD") {
					t.Errorf("%s version %+q does not show the device's hostile text", what, v)
				}
			}
		})
	}
}
