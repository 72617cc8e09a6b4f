//go:build linux

package app

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// labHousehold scans and checks the home lab into a new household.
func labHousehold(t *testing.T) (*Household, *sim.Lab) {
	t.Helper()
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	h, err := OpenHousehold(t.TempDir(), &vault.Fake{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), ScanOptions{Interface: "lo"}, nil)
	if err != nil || h.Remember(res.Devices) != nil {
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
	if err := h.Claim([]string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.Inventory.Update(id, func(d *inventory.Device) { d.Addresses = []netip.Addr{other} }); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetPassword(context.Background(), id, "", ScanOptions{Interface: "lo"}); err != nil {
		t.Fatalf("SetPassword on a moved device: %v", err)
	}
	rec, _ := h.Inventory.Get(id)
	if len(rec.Addresses) != 1 || rec.Addresses[0] == other {
		t.Errorf("the device's address is still %v", rec.Addresses)
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
	if _, err := h.SetPassword(context.Background(), "shelly1-000000", "", ScanOptions{Interface: "lo"}); !errors.Is(err, ErrNotClaimed) {
		t.Errorf("on an unclaimed device: %v, want ErrNotClaimed", err)
	}
	const garden = "shellyplusplugs-a8032a000015" // the lab gave it a password Porchlight does not hold
	if err := h.Claim([]string{garden}, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetPassword(context.Background(), garden, "", ScanOptions{Interface: "lo"}); !errors.Is(err, password.ErrUnknownPassword) {
		t.Errorf("on a device with an unknown password: %v, want ErrUnknownPassword", err)
	}
}

// TestSecondChangeOnADeviceThatHidesItsIdentity changes a Tasmota's
// password twice: once it has one, Tasmota no longer shows its MAC without
// it, and at its known address that must not count as another device.
func TestSecondChangeOnADeviceThatHidesItsIdentity(t *testing.T) {
	h, _ := labHousehold(t)
	const id = "tasmota-000002-0002"
	if err := h.Claim([]string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := h.SetPassword(context.Background(), id, "", ScanOptions{Interface: "lo"}); err != nil {
			t.Fatalf("change %d: %v", i+1, err)
		}
	}
}
