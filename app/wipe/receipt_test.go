package wipe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// receiptHousehold wipes a household with every kind of outcome and
// returns the receipt and every password involved.
func receiptHousehold(t *testing.T) (*wipe.Receipt, []string) {
	t.Helper()
	passwords := []string{"Wiped-pass-1", "Refused-pass-2", "Unreach-pass-3", "Sonos-pass-4", "Held-wrong-5", "Device-real-6"}
	e := newEnv(t,
		fakeSpec{id: "plug", name: "Kitchen <plug> & \"lamp\"", family: autoFamily, password: passwords[0], device: &fakeDevice{awayAfterReset: 1}},
		fakeSpec{id: "relay", name: "Garage relay", family: autoFamily, password: passwords[1], reply: replyRefuse},
		fakeSpec{id: "away", name: "Attic plug", family: autoFamily, password: passwords[2], device: &fakeDevice{unreachable: true}},
		fakeSpec{id: "speaker", name: "Living-room speaker", family: "sonos", password: passwords[3]},
		fakeSpec{id: "mismatch", name: "Old plug", family: autoFamily, password: passwords[5], heldPassword: passwords[4]},
	)
	w, p, c := e.plan("plug", "relay", "away", "speaker", "mismatch")
	o := opts(nil)
	o.ConfirmManual = func(context.Context, wipe.DevicePlan) (bool, error) { return true, nil }
	rc, err := w.Execute(context.Background(), p, c, o)
	if err != nil {
		t.Fatal(err)
	}
	return rc, passwords
}

// TestReceiptJSON: schema 1, each device's outcome, how and when it was
// confirmed, what was deleted, what could not be reached, and no secret.
func TestReceiptJSON(t *testing.T) {
	rc, passwords := receiptHousehold(t)
	var buf bytes.Buffer
	if err := wipe.WriteJSON(&buf, rc); err != nil {
		t.Fatal(err)
	}
	for _, pw := range passwords {
		if strings.Contains(buf.String(), pw) {
			t.Errorf("the JSON receipt contains the password %q", pw)
		}
	}
	var doc struct {
		Schema   *int  `json:"schema"`
		Finished *bool `json:"finished"`
		Devices  []struct {
			ID                    string   `json:"id"`
			Outcome               string   `json:"outcome"`
			ConfirmedBy           string   `json:"confirmed_by"`
			ConfirmedAt           string   `json:"confirmed_at"`
			KeyringEntriesDeleted []string `json:"keyring_entries_deleted"`
			RecordDeleted         bool     `json:"record_deleted"`
			Reason                string   `json:"reason"`
			Detail                string   `json:"detail"`
			CloudAccount          *struct {
				Service string `json:"service"`
			} `json:"cloud_account"`
			Steps []struct {
				State string `json:"state"`
				At    string `json:"at"`
			} `json:"steps"`
		} `json:"devices"`
		Limits []string `json:"limits"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema == nil || *doc.Schema != 1 || doc.Finished == nil || !*doc.Finished || len(doc.Limits) < 3 {
		t.Fatalf("receipt header: %s", buf.String())
	}
	want := map[string]struct{ outcome, by string }{
		"plug": {"wiped", "came_back_unconfigured"}, "relay": {"not_wiped", ""}, "away": {"not_wiped", ""},
		"speaker": {"wiped", "person_confirmed"}, "mismatch": {"not_wiped", ""},
	}
	for _, d := range doc.Devices {
		w := want[d.ID]
		if d.Outcome != w.outcome || d.ConfirmedBy != w.by {
			t.Errorf("%s: %s by %q, want %s by %q", d.ID, d.Outcome, d.ConfirmedBy, w.outcome, w.by)
		}
		wiped := d.Outcome == "wiped"
		if wiped != (d.ConfirmedAt != "") || wiped != d.RecordDeleted || wiped != (len(d.KeyringEntriesDeleted) == 1) {
			t.Errorf("%s: confirmed at %q, record deleted %t, keyring entries %v", d.ID, d.ConfirmedAt, d.RecordDeleted, d.KeyringEntriesDeleted)
		}
		if wiped && d.KeyringEntriesDeleted[0] != d.ID+"/admin" {
			t.Errorf("%s: deleted %v", d.ID, d.KeyringEntriesDeleted)
		}
		if !wiped && d.Reason == "" {
			t.Errorf("%s: not wiped, and the receipt does not say why", d.ID)
		}
		if d.ID == "away" && d.Reason != "unreachable" {
			t.Errorf("the unreachable device: %q (%q)", d.Reason, d.Detail)
		}
		if d.ID == "speaker" && (d.CloudAccount == nil || d.CloudAccount.Service == "") {
			t.Error("the speaker's vendor account is not on the receipt")
		}
	}
	if len(doc.Devices) != len(want) {
		t.Errorf("%d devices on the receipt, want %d", len(doc.Devices), len(want))
	}
}

// TestReceiptHTML: a self-contained page in English or German, with names
// escaped, evidence in words, the honest limits, and no secret.
func TestReceiptHTML(t *testing.T) {
	rc, passwords := receiptHousehold(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{`<html lang="en">`, "privacy wipe receipt", "The wipe is finished.", "came back unconfigured", "You confirmed that you followed",
			"✗ Not wiped", "✓ Wiped", "What a wipe cannot do", "backups", "Kitchen &lt;plug&gt; &amp; &#34;lamp&#34;", "<code>plug/admin</code>",
			"Sonos account", "What you can do", "It could not be reached: is it switched on and connected?", "The device refused the reset",
			"does not accept the password Porchlight holds"}},
		{"de", []string{`<html lang="de">`, "Löschen persönlicher Daten", "Der Löschvorgang ist abgeschlossen.", "unkonfiguriert zurück", "Sie haben bestätigt",
			"✗ Nicht gelöscht", "✓ Gelöscht", "Was das Löschen nicht kann", "Sicherungen", "Was Sie tun können", "Löschen Sie Ihr Konto beim Hersteller",
			"Es war nicht erreichbar", "Das Gerät hat das Zurücksetzen abgelehnt", "Kopien anderswo erreicht Porchlight nicht"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := wipe.WriteHTML(&buf, rc, tt.lang); err != nil {
				t.Fatal(err)
			}
			page := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			for _, bad := range []string{"<script", "<plug>", "<link", "<img", "src=", "@import"} {
				if strings.Contains(page, bad) {
					t.Errorf("the page contains %q", bad)
				}
			}
			for _, pw := range passwords {
				if strings.Contains(page, pw) {
					t.Errorf("the page contains the password %q", pw)
				}
			}
		})
	}
}
