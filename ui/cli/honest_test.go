package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/app/inventory"
)

// indexPending adds to a device's index a pending entry the keyring does
// not hold (a password change that was committed, as most are).
func indexPending(t *testing.T, dir, id string) {
	t.Helper()
	inv, err := inventory.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.Update(id, func(r *inventory.Device) { r.Secrets = append(r.Secrets, id+"/admin-pending") }); err != nil {
		t.Fatal(err)
	}
}

// TestForgetListsOnlyWhatItDeleted: an entry the index names but the
// keyring does not hold is not reported as deleted.
func TestForgetListsOnlyWhatItDeleted(t *testing.T) {
	dir, _ := wipeHousehold(t, "")
	indexPending(t, dir, "speaker-a")
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), testEnv, []string{"forget", "--yes", "--json", "--data-dir", dir, "speaker-a"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var doc struct {
		Devices        []string `json:"devices"`
		KeyringEntries []string `json:"keyring_entries"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(doc.KeyringEntries, []string{"speaker-a/admin"}) || !slices.Equal(doc.Devices, []string{"speaker-a"}) {
		t.Errorf("forget reported %+v; want only speaker-a/admin deleted", doc)
	}
}

// TestWipeReceiptListsOnlyWhatItDeleted: the same for the wipe's receipt.
func TestWipeReceiptListsOnlyWhatItDeleted(t *testing.T) {
	dir, _ := wipeHousehold(t, "done\n")
	indexPending(t, dir, "speaker-a")
	code, out, errOut := runWipeCommand("--data-dir", dir, "--yes", "--json", "speaker-a")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Receipt struct {
			Devices []struct {
				KeyringEntriesDeleted []string `json:"keyring_entries_deleted"`
			} `json:"devices"`
		} `json:"receipt"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Receipt.Devices) != 1 || !slices.Equal(doc.Receipt.Devices[0].KeyringEntriesDeleted, []string{"speaker-a/admin"}) {
		t.Errorf("the receipt says %+v; want only speaker-a/admin deleted", doc.Receipt.Devices)
	}
}
