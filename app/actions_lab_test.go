//go:build linux

package app

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// labHousehold scans and checks the home lab into a new household.
func labHousehold(t *testing.T) (*Core, *sim.Lab) {
	t.Helper()
	return labCore(t, sim.Config{Profile: sim.ProfileHome})
}

// labCore serves cfg's household and scans and checks it into a new core
// on the namespace's loopback.
func labCore(t *testing.T, cfg sim.Config) (*Core, *sim.Lab) {
	t.Helper()
	lab := simtest.Lab(t, cfg)
	h, err := Open(Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Scan(context.Background(), ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Check(context.Background(), h.Devices(), CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	return h, lab
}

// TestActionFollowsADeviceToItsNewAddress points the remembered address of
// a device at another device: Porchlight must notice, find the device by
// scanning, check its hardware identity, and only then send its password.
func TestActionFollowsADeviceToItsNewAddress(t *testing.T) {
	h, lab := labHousehold(t)
	const id = "shelly1-000000"
	var other netip.Addr
	for _, d := range lab.Devices() {
		if d.Family == sim.Tasmota {
			other = d.Addr
		}
	}
	if err := h.Claim(context.Background(), []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.Inventory.Update(id, func(d *inventory.Device) { d.Addresses, d.Pinned.ProvenAt = []netip.Addr{other}, other }); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(context.Background(), id, ""); err != nil {
		t.Fatalf("SetPassword on a moved device: %v", err)
	}
	rec, _ := h.Inventory.Get(id)
	if len(rec.Addresses) != 1 || rec.Addresses[0] == other || rec.Pinned.ProvenAt != rec.Addresses[0] {
		t.Errorf("the device's address is still %v (proven at %v)", rec.Addresses, rec.Pinned.ProvenAt)
	}
	for _, d := range lab.Devices() {
		if d.Family == sim.Tasmota && d.AuthEnabled() {
			t.Error("the device now at the old address was given the password")
		}
		if d.Family == sim.ShellyGen1 && !d.AuthEnabled() {
			t.Error("the moved device did not get its password")
		}
	}
}

func TestActionsNeedAClaimAndAKnownPassword(t *testing.T) {
	h, _ := labHousehold(t)
	if err := h.SetPassword(context.Background(), "shelly1-000000", ""); !errors.Is(err, ErrNotClaimed) {
		t.Errorf("on an unclaimed device: %v, want ErrNotClaimed", err)
	}
	const garden = "shellyplusplugs-a8032a000015" // the lab gave it a password Porchlight does not hold
	if err := h.Claim(context.Background(), []string{garden}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(context.Background(), garden, ""); !errors.Is(err, password.ErrUnknownPassword) {
		t.Errorf("on a device with an unknown password: %v, want ErrUnknownPassword", err)
	}
}

// TestNoSecondChangeOnADeviceThatHidesItsIdentity changes a Tasmota's
// password twice. Once it has one, Tasmota no longer shows its MAC without
// it, so the device at its address cannot prove it is the one claimed: an
// impostor that took over the address would look the same. From then on no
// action is offered; a second change asked for anyway sends nothing, keeps
// the password and says why.
func TestNoSecondChangeOnADeviceThatHidesItsIdentity(t *testing.T) {
	h, _ := labHousehold(t)
	const id = "tasmota-000002-0002"
	ctx := context.Background()
	if err := h.Claim(ctx, []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	if caps := h.Capabilities(id); !caps.Password || !caps.Update || caps.ProofLost {
		t.Fatalf("before any password: %+v, want everything Tasmota's driver can do", caps)
	}
	if err := h.SetPassword(ctx, id, ""); err != nil {
		t.Fatalf("first change: %v", err)
	}
	// Nothing is offered that could not work; the page says why.
	if caps := h.Capabilities(id); caps != (Capabilities{ProofLost: true}) {
		t.Errorf("after the change: %+v, want only ProofLost", caps)
	}
	kept, err := h.Password(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Nor does the checkup say Porchlight can fix it.
	res, err := h.Check(ctx, h.Devices(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range res.Devices {
		for _, l := range sc.Lines {
			if sc.Device.ID == id && l.Fix != nil && l.Fix.ByPorchlight {
				t.Errorf("%s: the checkup offers Porchlight's fix: %s", l.Provision, l.Fix.Summary("en"))
			}
		}
	}
	var idErr *IdentityError
	if err := h.SetPassword(ctx, id, ""); !errors.As(err, &idErr) || idErr.Problem != Hidden {
		t.Fatalf("second change: %v, want an IdentityError (Hidden)", err)
	}
	if now, _ := h.Password(ctx, id); now != kept {
		t.Error("the kept password changed although nothing could be sent")
	}
}

// TestCheckupAsksWithTheKeptPassword: once Porchlight set a Shelly Plus's
// password, the device no longer tells strangers about its updates; the
// checkup asks with the kept password (after the device proved its
// identity) and still reports the update, saying how it knows.
func TestCheckupAsksWithTheKeptPassword(t *testing.T) {
	h, lab := labHousehold(t)
	ctx := context.Background()
	var id string
	for _, d := range lab.Devices() {
		if d.Family == sim.ShellyGen2 && !d.AuthEnabled() {
			id = idOfHost(t, h, d.Host)
			break
		}
	}
	if id == "" {
		t.Fatal("the home lab has no open Shelly Plus")
	}
	if err := h.Claim(ctx, []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	devs, err := h.Select([]string{id})
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.Check(ctx, devs, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lines := res.Devices[0].Lines
	if l := lines[0]; l.Status != "ok" {
		t.Errorf("5.1 after the password change: %s %q", l.Status, l.Sentence("en"))
	}
	if l := lines[2]; l.Provision != "5.3" || l.Status != "problem" || !strings.Contains(l.Evidence.In("en"), "password Porchlight keeps") {
		t.Errorf("5.3 after the password change: %s %q %v", l.Status, l.Sentence("en"), l.Evidence.Each("en"))
	}
	for _, l := range lines {
		for _, e := range append([]string{l.Sentence("en")}, l.Evidence.Each("en")...) {
			if pw, _ := h.Password(ctx, id); strings.Contains(e, pw) {
				t.Fatalf("the checkup shows the password in %q", e)
			}
		}
	}
}
