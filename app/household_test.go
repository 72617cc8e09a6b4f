package app

import (
	"context"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
)

// TestRememberReplacesAnEarlierIDOfTheSameHost: a device first seen by its
// host name and then by its hardware identity is one device, not two.
func TestRememberReplacesAnEarlierIDOfTheSameHost(t *testing.T) {
	h, err := Open(Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: HomeNetwork{}})
	if err != nil {
		t.Fatal(err)
	}
	early := Device{ID: "wled-100003", Name: "Treppe", Host: "wled-100003.local"}
	later := Device{ID: "mac-246f28100003", Name: "Treppe", Host: "wled-100003.local"}
	if err := h.Remember([]Device{early}); err != nil {
		t.Fatal(err)
	}
	if err := h.Remember([]Device{later}); err != nil {
		t.Fatal(err)
	}
	if ds := h.Devices(); len(ds) != 1 || ds[0].ID != later.ID {
		t.Errorf("remembered %+v, want only %s", ds, later.ID)
	}
	// A claimed record of the host is the person's: it is kept.
	if err := h.Claim(context.Background(), []string{later.ID}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.Remember([]Device{{ID: "other-id", Host: "wled-100003.local"}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.Inventory.Get(later.ID); !ok {
		t.Error("a claimed device was dropped")
	}
}
