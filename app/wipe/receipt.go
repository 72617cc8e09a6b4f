package wipe

import (
	_ "embed" // the receipt's HTML template
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
)

// ReceiptSchema is the version of the receipt's JSON.
const ReceiptSchema = 1

// Outcome is where a device of a wipe ended.
type Outcome string

// The outcomes.
const (
	// OutcomeWiped: the erase was verified and Porchlight deleted its own
	// data of the device.
	OutcomeWiped Outcome = "wiped"
	// OutcomeErased: the erase was verified; Porchlight's own data of the
	// device is deleted when the wipe resumes.
	OutcomeErased Outcome = "erased"
	// OutcomeInDoubt: the reset was sent but not confirmed; the device is
	// checked again when the wipe resumes.
	OutcomeInDoubt Outcome = "in_doubt"
	// OutcomePending: the device's turn had not come when the wipe stopped.
	OutcomePending Outcome = "pending"
	// OutcomeNotWiped: nothing was erased (blocked, refused, skipped), or
	// Porchlight could not tell and sent nothing again.
	OutcomeNotWiped Outcome = "not_wiped"
)

// Receipt says what a wipe did, device by device. It holds no secret.
type Receipt struct {
	Schema  int       `json:"schema"`
	Action  string    `json:"action"`
	Started time.Time `json:"started,omitzero"`
	Ended   time.Time `json:"ended,omitzero"`
	// Finished is set when every device reached its end; otherwise the
	// wipe resumes on the next start.
	Finished bool            `json:"finished"`
	Devices  []DeviceReceipt `json:"devices"`
	// Limits are what a wipe cannot do, in plain English.
	Limits []string `json:"limits"`
}

// DeviceReceipt is what a wipe did to one device.
type DeviceReceipt struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Product string  `json:"product,omitempty"`
	Family  string  `json:"family,omitempty"`
	Method  Method  `json:"method"`
	Outcome Outcome `json:"outcome"`
	// ConfirmedBy and ConfirmedAt say how and when the erase was confirmed.
	ConfirmedBy Evidence  `json:"confirmed_by,omitempty"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
	// KeyringEntriesDeleted names the keyring entries Porchlight deleted
	// (never their values); RecordDeleted says it forgot the device; both
	// at LocalDataDeletedAt.
	KeyringEntriesDeleted []string  `json:"keyring_entries_deleted"`
	RecordDeleted         bool      `json:"record_deleted"`
	LocalDataDeletedAt    time.Time `json:"local_data_deleted_at,omitzero"`
	// Detail says why a device was not wiped, or what is still open.
	Detail string `json:"detail,omitempty"`
	// CloudAccount is the vendor cloud account the person deletes themselves.
	CloudAccount *CloudAccount `json:"cloud_account,omitempty"`
	// Steps are the device's journal entries, the evidence of what happened.
	Steps []Step `json:"steps"`
}

// Step is one journal entry of a device.
type Step struct {
	State  State     `json:"state"`
	At     time.Time `json:"at"`
	Detail string    `json:"detail,omitempty"`
}

// limits are what a wipe cannot do, for the receipt.
var limits = map[string][]string{
	"en": {
		"A factory reset erases what is stored on the device itself. Copies elsewhere are out of Porchlight's reach: the vendor's cloud, apps on phones and tablets that used the device, and backups of this computer (Time Machine, File History, roaming profiles).",
		"A reset does not delete a vendor cloud account. Where a device may be tied to one, the steps to delete it are listed with the device.",
		"\"Left the network\" means the device stopped answering after the reset, as reset devices do when they open their own setup Wi-Fi; Porchlight cannot look inside a device to prove the erase. \"Restarted\" is weaker still: the device had no password, so Porchlight could only see it restart.",
		"Porchlight's journal keeps the IDs of the devices of this wipe (never their names or passwords) until you delete all of Porchlight's data. Files deleted from a computer's disk may stay readable with special tools.",
	},
	"de": {
		"Das Zurücksetzen auf Werkseinstellungen löscht, was auf dem Gerät selbst gespeichert ist. Kopien anderswo erreicht Porchlight nicht: in der Cloud des Herstellers, in Apps auf Smartphones und Tablets, die das Gerät genutzt haben, und in Sicherungen dieses Computers (Time Machine, Dateiversionsverlauf, servergespeicherte Profile).",
		"Das Zurücksetzen löscht kein Cloud-Konto beim Hersteller. Wo ein Gerät mit einem verbunden sein kann, stehen die Schritte zum Löschen beim Gerät.",
		"„Hat das Netzwerk verlassen“ heißt, dass das Gerät nach dem Zurücksetzen nicht mehr antwortete, wie es zurückgesetzte Geräte tun, wenn sie ihr eigenes Einrichtungs-WLAN öffnen; Porchlight kann nicht in ein Gerät hineinsehen, um das Löschen zu beweisen. „Neu gestartet“ ist noch schwächer: Das Gerät hatte kein Passwort, Porchlight konnte nur den Neustart sehen.",
		"Das Protokoll von Porchlight behält die Kennungen der Geräte dieses Löschvorgangs (nie ihre Namen oder Passwörter), bis Sie alle Daten von Porchlight löschen. Auf der Festplatte eines Computers gelöschte Dateien können mit Spezialwerkzeugen lesbar bleiben.",
	},
}

// receipt builds the receipt of p from the journal.
func (w *Wiper) receipt(p *Plan) (*Receipt, error) {
	entries, _, err := w.Journal.Entries()
	if err != nil {
		return nil, err
	}
	rc := &Receipt{Schema: ReceiptSchema, Action: p.Action, Finished: true, Limits: limits["en"]}
	steps := make(map[string][]Step)
	for _, e := range entries {
		if e.Action != p.Action {
			continue
		}
		if rc.Started.IsZero() {
			rc.Started = e.At
		}
		rc.Ended = e.At
		steps[e.Device] = append(steps[e.Device], Step{State: State(e.State), At: e.At, Detail: e.Detail})
	}
	for _, d := range p.Devices {
		dr := deviceReceipt(d, steps[d.ID])
		if dr.Outcome == OutcomeErased || dr.Outcome == OutcomeInDoubt || dr.Outcome == OutcomePending {
			rc.Finished = false
		}
		rc.Devices = append(rc.Devices, dr)
	}
	return rc, nil
}

// deviceReceipt reads one device's outcome from its journal steps.
func deviceReceipt(d DevicePlan, steps []Step) DeviceReceipt {
	dr := DeviceReceipt{
		ID: d.ID, Name: d.Name, Product: d.Product, Family: d.Family, Method: d.Method,
		CloudAccount: d.CloudAccount, KeyringEntriesDeleted: []string{}, Steps: steps,
	}
	if dr.Steps == nil {
		dr.Steps = []Step{}
	}
	if d.Method == Blocked {
		dr.Outcome, dr.Detail = OutcomeNotWiped, d.Reason
		return dr
	}
	last := Step{}
	for _, s := range steps {
		last = s
		switch s.State {
		case Verified:
			dr.ConfirmedBy, dr.ConfirmedAt = evidenceOf(s.Detail), s.At
		case LocalDataDeleted:
			dr.KeyringEntriesDeleted = append(dr.KeyringEntriesDeleted, d.KeyringEntries...)
			dr.RecordDeleted, dr.LocalDataDeletedAt = true, s.At
		}
	}
	switch last.State {
	case LocalDataDeleted:
		dr.Outcome = OutcomeWiped
	case Verified:
		dr.Outcome, dr.Detail = OutcomeErased, "Porchlight's own data of the device is deleted when the wipe resumes."
	case Sent, Acknowledged, Unknown:
		dr.Outcome, dr.Detail = OutcomeInDoubt, last.Detail
	case Failed, Skipped, Unconfirmed:
		dr.Outcome, dr.Detail = OutcomeNotWiped, last.Detail
	default:
		dr.Outcome, dr.Detail = OutcomePending, "Its turn had not come when the wipe stopped; it continues when the wipe resumes."
	}
	return dr
}

// WriteJSON writes the receipt as indented JSON.
func WriteJSON(w io.Writer, r *Receipt) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

//go:embed receipt.html.tmpl
var receiptSource string

var receiptPage = template.Must(template.New("receipt").Funcs(template.FuncMap{
	"t":    func(lang, key string) string { return receiptWords[lang][key] },
	"when": func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") },
}).Parse(receiptSource))

// receiptWords are the receipt's own words.
var receiptWords = map[string]map[string]string{
	"en": {
		"title": "Porchlight privacy wipe receipt", "started": "Started", "ended": "Last step",
		"finished": "The wipe is finished.", "unfinished": "The wipe is not finished: Porchlight continues it the next time it starts.",
		"outcome.wiped": "✓ Wiped", "outcome.erased": "✓ Erased (Porchlight's own data still to delete)",
		"outcome.in_doubt": "? Not confirmed yet", "outcome.pending": "… Not started", "outcome.not_wiped": "✗ Not wiped",
		"how": "How it was confirmed", "erased": "What was erased", "local": "What Porchlight deleted",
		"evidence.came_back_unconfigured": "The device came back unconfigured: it answered again without its password.",
		"evidence.left_the_network":       "The device left the network: it stopped answering after the reset.",
		"evidence.restarted":              "The device restarted after the reset (it had no password, so that is all Porchlight could see).",
		"evidence.person_confirmed":       "You confirmed that you followed the vendor's steps.",
		"erased.automatic":                "Every setting and all personal data on the device (factory reset).",
		"erased.manual":                   "The device's settings and your data on it, by the vendor's factory-reset steps you followed.",
		"record":                          "Porchlight's record of the device (name, room, addresses).",
		"keyring":                         "Keyring entries:", "why": "Why", "todo": "What you can do",
		"cloud": "Delete your account with the vendor, if you have one:", "steps": "Journal",
		"limits": "What a wipe cannot do",
	},
	"de": {
		"title": "Porchlight-Beleg über das Löschen persönlicher Daten", "started": "Begonnen", "ended": "Letzter Schritt",
		"finished": "Der Löschvorgang ist abgeschlossen.", "unfinished": "Der Löschvorgang ist nicht abgeschlossen: Porchlight setzt ihn beim nächsten Start fort.",
		"outcome.wiped": "✓ Gelöscht", "outcome.erased": "✓ Gelöscht (die eigenen Daten von Porchlight folgen noch)",
		"outcome.in_doubt": "? Noch nicht bestätigt", "outcome.pending": "… Nicht begonnen", "outcome.not_wiped": "✗ Nicht gelöscht",
		"how": "Wie es bestätigt wurde", "erased": "Was gelöscht wurde", "local": "Was Porchlight gelöscht hat",
		"evidence.came_back_unconfigured": "Das Gerät kam unkonfiguriert zurück: Es antwortete wieder ohne sein Passwort.",
		"evidence.left_the_network":       "Das Gerät hat das Netzwerk verlassen: Es antwortete nach dem Zurücksetzen nicht mehr.",
		"evidence.restarted":              "Das Gerät startete nach dem Zurücksetzen neu (es hatte kein Passwort, mehr konnte Porchlight nicht sehen).",
		"evidence.person_confirmed":       "Sie haben bestätigt, dass Sie die Schritte des Herstellers ausgeführt haben.",
		"erased.automatic":                "Alle Einstellungen und alle persönlichen Daten auf dem Gerät (Werkseinstellungen).",
		"erased.manual":                   "Die Einstellungen des Geräts und Ihre Daten darauf, durch die Schritte des Herstellers, die Sie ausgeführt haben.",
		"record":                          "Der Eintrag von Porchlight über das Gerät (Name, Raum, Adressen).",
		"keyring":                         "Einträge im Schlüsselbund:", "why": "Warum", "todo": "Was Sie tun können",
		"cloud": "Löschen Sie Ihr Konto beim Hersteller, falls Sie eines haben:", "steps": "Protokoll",
		"limits": "Was das Löschen nicht kann",
	},
}

// htmlDevice is one device as the page shows it.
type htmlDevice struct {
	DeviceReceipt
	// ResetSteps (for a device not wiped) and CloudSteps in the page's language.
	ResetSteps, CloudSteps []string
}

// WriteHTML writes the receipt as a self-contained HTML page (no scripts,
// no outside resources) in lang ("en" or "de"; others fall back to English).
func WriteHTML(w io.Writer, r *Receipt, lang string) error {
	if _, ok := receiptWords[lang]; !ok {
		lang = "en"
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	var devices []htmlDevice
	for _, d := range r.Devices {
		hd := htmlDevice{DeviceReceipt: d}
		fam, ok := cat.Family(d.Family)
		if !ok {
			fam, _ = cat.Family(catalog.UnknownID)
		}
		if d.Outcome == OutcomeNotWiped {
			hd.ResetSteps = fam.Steps(catalog.StepsReset, lang)
		}
		if d.CloudAccount != nil {
			hd.CloudSteps = fam.Steps(catalog.StepsCloudAccount, lang)
		}
		devices = append(devices, hd)
	}
	err = receiptPage.Execute(w, struct {
		Lang    string
		Receipt *Receipt
		Devices []htmlDevice
		Limits  []string
	}{lang, r, devices, limits[lang]})
	if err != nil {
		return fmt.Errorf("writing the receipt: %w", err)
	}
	return nil
}
