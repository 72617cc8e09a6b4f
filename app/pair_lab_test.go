//go:build linux

package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
)

// TestPairAHueBridge pairs with the lab's Hue bridge: first without the
// link button pressed, then with it; the app key lands in the keyring and
// updates can then be checked.
func TestPairAHueBridge(t *testing.T) {
	h, lab := labHousehold(t)
	var bridge *sim.Device
	for _, d := range lab.Devices() {
		if d.Family == sim.HueBridge {
			bridge = d
		}
	}
	id := strings.ToLower("hue-" + bridge.MAC[:6] + "fffe" + bridge.MAC[6:])
	if err := h.Claim(context.Background(), []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := h.Pair(ctx, id); !errors.Is(err, ErrPressLinkButton) {
		t.Fatalf("pairing before the button was pressed: %v, want ErrPressLinkButton", err)
	}
	bridge.PressLinkButton()
	if err := h.Pair(ctx, id); err != nil {
		t.Fatalf("pairing after the button was pressed: %v", err)
	}
	if _, err := h.CheckUpdate(ctx, id); err != nil {
		t.Errorf("checking for updates with the app key: %v", err)
	}
	rec, _ := h.Inventory.Get(id)
	if len(rec.Secrets) != 1 {
		t.Errorf("the inventory indexes %v, want the app key's account", rec.Secrets)
	}
}
