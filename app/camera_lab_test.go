//go:build linux

package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// factoryCamera returns the lab's camera on its factory login (and the
// remembered device at its address), and the one without a password.
func factoryCamera(t *testing.T, c *Core, lab *sim.Lab) (cam *sim.Camera, id string, open *sim.Camera, openID string) {
	t.Helper()
	for _, k := range lab.Cameras() {
		for _, d := range c.Devices() {
			if slices.Contains(d.Addresses, k.Addr) {
				if k.Password != "" {
					cam, id = k, d.ID
				} else {
					open, openID = k, d.ID
				}
			}
		}
	}
	if cam == nil || open == nil {
		t.Fatalf("the scan did not find both lab cameras: %+v", lab.Cameras())
	}
	return cam, id, open, openID
}

// TestCameraFactoryLogin: over real sockets, the home lab's Dahua camera is
// offered its maker's factory login (the open camera, whose model has
// none, is not). Nothing is sent before the person claims it; claiming
// pins the key its device service answers with over HTTPS; the one try,
// sent to that key, is accepted and becomes a 5.1 problem with Dahua's own
// steps and their source. The login is in no file of the data directory.
func TestCameraFactoryLogin(t *testing.T) {
	ctx := context.Background()
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	dir := t.TempDir()
	c, err := Open(Env{Dir: dir, Vault: &vault.Fake{}, Network: HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	cam, id, _, openID := factoryCamera(t, c, lab)
	if got := c.FactoryPasswords(id); !slices.Equal(got, []string{catalog.InterfaceONVIF}) {
		t.Errorf("the Dahua camera is offered %v, want its ONVIF login", got)
	}
	if got := c.FactoryPasswords(openID); len(got) != 0 {
		t.Errorf("the camera whose model has no documented login is offered %v", got)
	}
	if _, err := c.TryFactoryPasswords(ctx, id, nil); !errors.Is(err, ErrNotClaimed) || cam.Logins() != 0 {
		t.Fatalf("before claiming: %v, %d logins sent", err, cam.Logins())
	}
	if err := c.Claim(ctx, []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	if rec, _ := c.Record(id); rec.Pinned.Family != CameraFamily || rec.Pinned.TLSKey == "" || rec.Pinned.TLSKey != cam.TLSKey() {
		t.Fatalf("claiming pinned %+v, the camera's key is %q", rec.Pinned, cam.TLSKey())
	}
	var asked []string
	res, err := c.TryFactoryPasswords(ctx, id, func(iface string) { asked = append(asked, iface) })
	if err != nil {
		t.Fatal(err)
	}
	a, ok := res.Accepted()
	if !ok || len(res.Attempts) != 1 || a.Default != "dahua-ipc" || !slices.Equal(asked, []string{catalog.InterfaceONVIF}) || cam.Logins() != 1 {
		t.Fatalf("result %+v, progress %v, %d logins", res, asked, cam.Logins())
	}
	hh, err := c.Check(ctx, c.Devices(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(hh.Devices, func(s checkup.Scorecard) bool { return s.Device.ID == id })
	var line checkup.Line
	for _, l := range hh.Devices[i].Lines {
		if l.Provision == "5.1" {
			line = l
		}
	}
	steps := strings.Join(line.Fix.Steps.In(checkup.English), " ")
	if line.Status != checkup.Problem || !strings.Contains(line.Sentence(checkup.English), "factory password for its camera login (ONVIF)") ||
		!strings.Contains(steps, "Modify Password") || !strings.Contains(steps, "https://dahuawiki.com/") || len(line.Fix.Steps.In(checkup.German)) == 0 {
		t.Errorf("5.1 after the try: %s %q, steps %q", line.Status, line.Sentence(checkup.English), steps)
	}
	def, _ := catalog.CameraDefaultByID("dahua-ipc")
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), `"`+def.Password+`"`) {
			t.Errorf("%s holds the factory login", p)
		}
		return nil
	})
}

// TestCameraImpostorGetsNoLogin claims the Dahua camera, then lets an
// impostor that copies it (announcement, device service, maker and model,
// but with a TLS key of its own) take its address: the factory-login check
// sends it nothing, says that the device showed another key, and keeps no
// result. (TestCameraFactoryLogin tries the real camera.)
func TestCameraImpostorGetsNoLogin(t *testing.T) {
	ctx := context.Background()
	env := Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: HomeNetwork{Interface: "lo"}}
	var id, name string
	func() {
		lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
		defer lab.Close()
		c, err := Open(env)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
			t.Fatal(err)
		}
		var cam *sim.Camera
		cam, id, _, _ = factoryCamera(t, c, lab)
		name = cam.Name
		if err := c.Claim(ctx, []string{id}, "", ""); err != nil {
			t.Fatal(err)
		}
	}()

	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, CameraImpostors: []sim.CameraImpostor{{Of: name, SameAddress: true}}})
	c, err := Open(env)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var imp *sim.Camera
	for _, k := range lab.Cameras() {
		if k.Impostor {
			imp = k
		}
	}
	_, err = c.TryFactoryPasswords(ctx, id, nil)
	var idErr *IdentityError
	if !errors.As(err, &idErr) || idErr.Problem != NewKey {
		t.Errorf("with an impostor in the camera's place: %v, want an IdentityError (new key)", err)
	}
	if imp == nil {
		t.Fatal("the lab serves no camera impostor")
	}
	if imp.Logins() != 0 {
		t.Errorf("the impostor received %d logins", imp.Logins())
	}
	if rec, _ := c.Record(id); rec.FactoryPasswords != nil {
		t.Errorf("a result was kept although nothing was sent: %+v", rec.FactoryPasswords)
	}
}
