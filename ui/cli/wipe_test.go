package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/app/wipe"
)

// The wipe tests use devices Porchlight does not reset itself (Sonos
// speakers: the person follows the steps) and one that is not the person's,
// so that nothing reaches a network. The automatic reset through the CLI is
// in wipe_lab_test.go.

// speakerSecrets are what the fake keyring holds for the speakers.
var speakerSecrets = map[string]string{"speaker-a/admin": "Sonos-secret-A1", "speaker-b/admin": "Sonos-secret-B2"}

// wipeHousehold makes a data directory with two claimed speakers, each with
// a keyring entry, and a neighbour's TV, and installs a fake keyring and
// stdin for the test.
func wipeHousehold(t *testing.T, input string) (dir string, fake *vault.Fake) {
	t.Helper()
	dir, fake = t.TempDir(), &vault.Fake{}
	saved, savedIn := testEnv.Vault, stdin
	testEnv.Vault, stdin = fake, strings.NewReader(input)
	t.Cleanup(func() { testEnv.Vault, stdin = saved, savedIn })
	inv, err := inventory.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []inventory.Device{
		{ID: "speaker-a", Name: "Kitchen speaker", Claimed: true, Family: "sonos", Secrets: []string{"speaker-a/admin"}},
		{ID: "speaker-b", Name: "Bedroom speaker", Claimed: true, Family: "sonos", Secrets: []string{"speaker-b/admin"}},
		{ID: "tv", Name: "Neighbour's TV", Family: "chromecast"},
	} {
		if err := inv.Update(d.ID, func(r *inventory.Device) { *r = d }); err != nil {
			t.Fatal(err)
		}
	}
	for acct, pw := range speakerSecrets {
		if err := fake.Set(context.Background(), acct, pw); err != nil {
			t.Fatal(err)
		}
	}
	return dir, fake
}

func runWipeCommand(args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	code = Run(context.Background(), testEnv, append([]string{"wipe"}, args...), &o, &e)
	return code, o.String(), e.String()
}

// journalStates returns every wipe state in dir's journal, "device:state".
func journalStates(t *testing.T, dir string) []string {
	t.Helper()
	entries, _, err := journal.Open(dir).Entries()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Device+":"+e.State)
	}
	return out
}

// TestWipeDryRun shows the plan, the steps and what is deleted, and does nothing.
func TestWipeDryRun(t *testing.T) {
	dir, fake := wipeHousehold(t, "")
	code, out, errOut := runWipeCommand("--dry-run", "--data-dir", dir, "speaker-a", "Bedroom speaker", "tv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"What the wipe will do (2 of 3 devices)", "Kitchen speaker", "Porchlight cannot factory-reset", "1. ",
		"speaker-a/admin", "Sonos account", "Not wiped: Neighbour's TV", "not marked as yours", "✗ yours"} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run lacks %q:\n%s", want, out)
		}
	}
	if len(journalStates(t, dir)) != 0 || len(fake.Accounts()) != 2 {
		t.Error("a dry run changed something")
	}
}

// TestWipeConfirmation: --yes always; more than one device also needs the
// typed phrase, from the person or --confirm; nothing happens without it.
func TestWipeConfirmation(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		input    string
		wantCode int
		// wantStates are the journal's states afterwards.
		wantStates []string
		wantOut    string
	}{
		{name: "no --yes", args: []string{"speaker-a"}, wantCode: 2, wantOut: "--yes"},
		{name: "one device: --yes is enough", args: []string{"--yes", "speaker-a"}, input: "done\n", wantCode: 0,
			wantStates: []string{"speaker-a:planned", "speaker-a:verified", "speaker-a:local-data-deleted"}},
		{name: "two devices, typed phrase", args: []string{"--yes", "--all"}, input: "wipe 2\ndone\nskip\n", wantCode: 1,
			wantStates: []string{"speaker-b:planned", "speaker-a:planned", "speaker-b:verified", "speaker-b:local-data-deleted", "speaker-a:skipped"}},
		{name: "two devices, a plain yes", args: []string{"--yes", "--all"}, input: "yes\n", wantCode: 2, wantOut: "does not match"},
		{name: "two devices, no input", args: []string{"--yes", "--all"}, wantCode: 2, wantOut: "does not match"},
		{name: "two devices, --confirm with the wrong count", args: []string{"--yes", "--all", "--confirm", "wipe 3"}, wantCode: 2, wantOut: `type "wipe 2"`},
		{name: "two devices, --confirm: nobody to follow the steps", args: []string{"--yes", "--all", "--confirm", "wipe 2"}, wantCode: 1,
			wantStates: []string{"speaker-b:planned", "speaker-a:planned", "speaker-b:skipped", "speaker-a:skipped"}},
		{name: "devices and --all", args: []string{"--yes", "--all", "speaker-a"}, wantCode: 2, wantOut: "not both"},
		{name: "nothing named", args: []string{"--yes"}, wantCode: 2, wantOut: "Usage: porchlight wipe"},
		{name: "only a device that is not yours", args: []string{"--yes", "tv"}, wantCode: 1, wantOut: "none of these devices can be wiped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, fake := wipeHousehold(t, tt.input)
			code, out, errOut := runWipeCommand(append([]string{"--data-dir", dir}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.wantCode, out, errOut)
			}
			if got := journalStates(t, dir); strings.Join(got, " ") != strings.Join(tt.wantStates, " ") {
				t.Errorf("journal %v, want %v", got, tt.wantStates)
			}
			if !strings.Contains(out+errOut, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s%s", tt.wantOut, out, errOut)
			}
			for acct := range speakerSecrets {
				device, _, _ := strings.Cut(acct, "/")
				wiped := strings.Contains(strings.Join(tt.wantStates, " "), device+":local-data-deleted")
				if held := contains(fake.Accounts(), acct); held == wiped {
					t.Errorf("%s held: %t after %v", acct, held, tt.wantStates)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestWipeJSON: the documented document, with schema 1, and the receipt
// files; no secret anywhere.
func TestWipeJSON(t *testing.T) {
	dir, _ := wipeHousehold(t, "")
	receipt := filepath.Join(t.TempDir(), "receipt.json")
	code, out, errOut := runWipeCommand("--data-dir", dir, "--json", "--yes", "--confirm", "WIPE 2", "--receipt", receipt, "--all")
	if code != 1 { // the speakers' steps were not followed: not wiped
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Schema     *int            `json:"schema"`
		Unfinished json.RawMessage `json:"unfinished"`
		Resumed    json.RawMessage `json:"resumed"`
		Plan       *struct {
			Action  string `json:"action"`
			Devices []struct {
				ID             string   `json:"id"`
				Method         string   `json:"method"`
				ResetSteps     []string `json:"reset_steps"`
				KeyringEntries []string `json:"keyring_entries"`
			} `json:"devices"`
		} `json:"plan"`
		Receipt *struct {
			Schema  int `json:"schema"`
			Devices []struct {
				ID      string `json:"id"`
				Outcome string `json:"outcome"`
			} `json:"devices"`
		} `json:"receipt"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if doc.Schema == nil || *doc.Schema != 1 || string(doc.Unfinished) != "null" || string(doc.Resumed) != "null" || doc.Plan == nil || doc.Receipt == nil {
		t.Fatalf("document: %s", out)
	}
	if len(doc.Plan.Devices) != 2 || doc.Plan.Devices[0].Method != "manual" || len(doc.Plan.Devices[0].ResetSteps) == 0 || len(doc.Plan.Devices[0].KeyringEntries) != 1 {
		t.Errorf("plan: %+v", doc.Plan)
	}
	if doc.Receipt.Schema != 1 || len(doc.Receipt.Devices) != 2 || doc.Receipt.Devices[0].Outcome != "not_wiped" {
		t.Errorf("receipt: %+v", doc.Receipt)
	}
	file, err := os.ReadFile(receipt)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(file) || !strings.Contains(string(file), `"schema": 1`) {
		t.Errorf("receipt file: %s", file)
	}
	for _, pw := range speakerSecrets {
		if strings.Contains(out, pw) || strings.Contains(errOut, pw) || strings.Contains(string(file), pw) {
			t.Errorf("a secret was printed or written")
		}
	}
}

// TestWipeReceiptFile: HTML in the chosen language, by the file's extension.
func TestWipeReceiptFile(t *testing.T) {
	dir, _ := wipeHousehold(t, "done\n")
	if code, _, errOut := runWipeCommand("--data-dir", dir, "--yes", "--receipt", "receipt.txt", "speaker-a"); code != 2 || !strings.Contains(errOut, ".html or .json") {
		t.Errorf("a receipt named .txt: exit %d, %s", code, errOut)
	}
	page := filepath.Join(t.TempDir(), "Beleg.HTML")
	code, out, errOut := runWipeCommand("--data-dir", dir, "--yes", "--lang", "de", "--receipt", page, "speaker-a")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="de">`, "✓ Gelöscht", "Sie haben bestätigt", "speaker-a/admin"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the receipt lacks %q", want)
		}
	}
	if strings.Contains(string(data), "<script") || strings.Contains(string(data), speakerSecrets["speaker-a/admin"]) {
		t.Error("the receipt has a script or a secret")
	}
	if !strings.Contains(out, "1 von 1 Geräten gelöscht") || !strings.Contains(out, "Was ein Löschvorgang nicht kann") || !strings.Contains(errOut, "[1/1] Kitchen speaker: verified") {
		t.Errorf("output:\n%s%s", out, errOut)
	}
}

// TestWipeResumesInterrupted: an interrupted wipe is shown by a dry run,
// finished by the next wipe command, and a new wipe waits for it.
func TestWipeResumesInterrupted(t *testing.T) {
	dir, fake := wipeHousehold(t, "done\n")
	// The person closed the window while Porchlight waited for them.
	h, err := app.Open(app.Env{Dir: dir, Vault: fake, Network: app.HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	w := h.Wiper()
	p, err := w.Plan(context.Background(), []string{"speaker-a"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Confirm("")
	if err != nil {
		t.Fatal(err)
	}
	closed := errors.New("window closed")
	_, err = w.Execute(context.Background(), p, c, wipe.Options{ConfirmManual: func(context.Context, wipe.DevicePlan) (bool, error) { return false, closed }})
	if !errors.Is(err, closed) {
		t.Fatalf("execute: %v", err)
	}

	code, out, errOut := runWipeCommand("--data-dir", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "An interrupted wipe") || !strings.Contains(out, "Kitchen speaker: planned") {
		t.Errorf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runWipeCommand("--data-dir", dir, "--yes", "speaker-b")
	if code != 1 || !strings.Contains(errOut, "finished first") || !strings.Contains(out, "Wiped 1 of 1") {
		t.Errorf("a new wipe while one is interrupted: exit %d\n%s%s", code, out, errOut)
	}
	if got := strings.Join(journalStates(t, dir), " "); got != "speaker-a:planned speaker-a:verified speaker-a:local-data-deleted" {
		t.Errorf("journal: %s", got)
	}
	if contains(fake.Accounts(), "speaker-a/admin") || !contains(fake.Accounts(), "speaker-b/admin") {
		t.Errorf("keyring: %v", fake.Accounts())
	}
	if code, _, errOut := runWipeCommand("--data-dir", dir); code != 2 || !strings.Contains(errOut, "Usage") {
		t.Errorf("nothing to resume, nothing named: exit %d, %s", code, errOut)
	}
}

// TestWipeDamagedPlan: the plan file of an interrupted wipe is damaged. The
// command says so on the error output, where it kept the file, and finishes
// the wipe from the journal; the damaged file is still there afterwards.
func TestWipeDamagedPlan(t *testing.T) {
	dir, fake := wipeHousehold(t, "done\n")
	h, err := app.Open(app.Env{Dir: dir, Vault: fake, Network: app.HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	w := h.Wiper()
	p, err := w.Plan(context.Background(), []string{"speaker-a"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Confirm("")
	if err != nil {
		t.Fatal(err)
	}
	closed := errors.New("window closed")
	if _, err = w.Execute(context.Background(), p, c, wipe.Options{ConfirmManual: func(context.Context, wipe.DevicePlan) (bool, error) { return false, closed }}); !errors.Is(err, closed) {
		t.Fatalf("execute: %v", err)
	}
	damaged := []byte(`{"schema":1,"plan":{"action":`)
	if err := os.WriteFile(filepath.Join(dir, wipe.PlanFile), damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runWipeCommand("--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Wiped 1 of 1") {
		t.Errorf("resuming: exit %d\n%s%s", code, out, errOut)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, wipe.PlanFile+".damaged-*"))
	if len(aside) != 1 {
		t.Fatalf("kept aside: %v, want one copy", aside)
	}
	if !strings.Contains(errOut, "Warning: The saved plan of a privacy wipe could not be read. Porchlight kept the damaged file as "+aside[0]+";") {
		t.Errorf("the person is not told where the damaged plan went:\n%s", errOut)
	}
	if data, err := os.ReadFile(aside[0]); err != nil || !bytes.Equal(data, damaged) {
		t.Errorf("the copy holds %q (%v)", data, err)
	}
	if got := strings.Join(journalStates(t, dir), " "); got != "speaker-a:planned speaker-a:verified speaker-a:local-data-deleted" {
		t.Errorf("journal: %s", got)
	}
}

// TestWipeInGerman: with --lang de, the plan's reasons and checks, every
// step, the outcomes and the limits are German, and none of the English
// sentences shows.
func TestWipeInGerman(t *testing.T) {
	dir, _ := wipeHousehold(t, "")
	code, out, errOut := runWipeCommand("--data-dir", dir, "--lang", "de", "--yes", "--confirm", "wipe 2", "speaker-a", "speaker-b", "tv")
	if code != 1 { // nobody was there to follow the speakers' steps: not wiped
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"Es ist nicht als Ihr Gerät markiert", "✗ Ihres", "Porchlight kann diese Art von Gerät nicht selbst",
		"nicht gelöscht: dafür müssen Sie die Schritte ausführen", "Kopien anderswo erreicht Porchlight nicht", "planned — Schritte von Hand"} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("the German wipe lacks %q:\n%s%s", want, out, errOut)
		}
	}
	en := wipeWordsFor("en")
	var english []string
	for _, s := range en.reasons {
		english = append(english, s)
	}
	for _, s := range en.limits {
		english = append(english, s)
	}
	for _, s := range english {
		if strings.Contains(out+errOut, s) {
			t.Errorf("the German wipe shows the English %q", s)
		}
	}
}
