package wipe

import (
	"cmp"
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
	// Limits are what a wipe cannot do (all of Limits()).
	Limits []Limit `json:"limits"`
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
	// Reason says why a device was not wiped, or what is still open;
	// Detail is the error's text that came with it, if any, for details.
	Reason Reason `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
	// CloudAccount is the vendor cloud account the person deletes themselves.
	CloudAccount *CloudAccount `json:"cloud_account,omitempty"`
	// Steps are the device's journal entries, the evidence of what happened.
	Steps []Step `json:"steps"`
}

// Step is one journal entry of a device: its state, what it did or found
// (Reason, or Evidence for a verified step) and the error's text, if any.
type Step struct {
	State    State     `json:"state"`
	At       time.Time `json:"at"`
	Reason   Reason    `json:"reason,omitempty"`
	Evidence Evidence  `json:"evidence,omitempty"`
	Detail   string    `json:"detail,omitempty"`
	// deleted are the keyring entries a local-data-deleted step deleted.
	deleted []string
}

// receipt builds the receipt of p from the journal.
func (w *Wiper) receipt(p *Plan) (*Receipt, error) {
	entries, err := w.entries()
	if err != nil {
		return nil, err
	}
	rc := &Receipt{Schema: ReceiptSchema, Action: p.Action, Finished: true, Limits: Limits()}
	steps := make(map[string][]Step)
	for _, e := range entries {
		if e.Action != p.Action {
			continue
		}
		if rc.Started.IsZero() {
			rc.Started = e.At
		}
		rc.Ended = e.At
		steps[e.Device] = append(steps[e.Device], Step{
			State: State(e.State), At: e.At, Reason: Reason(e.Reason), Evidence: Evidence(e.Evidence), Detail: e.Detail, deleted: e.Deleted,
		})
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
		dr.Outcome, dr.Reason, dr.Detail = OutcomeNotWiped, d.Reason, d.Detail
		return dr
	}
	last := Step{}
	for _, s := range steps {
		last = s
		switch s.State {
		case Verified:
			dr.ConfirmedBy, dr.ConfirmedAt = s.Evidence, s.At
		case LocalDataDeleted:
			dr.KeyringEntriesDeleted = append(dr.KeyringEntriesDeleted, s.deleted...)
			dr.RecordDeleted, dr.LocalDataDeletedAt = true, s.At
		}
	}
	switch last.State {
	case LocalDataDeleted:
		dr.Outcome = OutcomeWiped
	case Verified:
		dr.Outcome, dr.Reason = OutcomeErased, ReasonLocalDataPending
	case Sent, Acknowledged, Unknown:
		dr.Outcome, dr.Reason, dr.Detail = OutcomeInDoubt, last.Reason, last.Detail
	case Failed, Skipped, Unconfirmed:
		dr.Outcome, dr.Reason, dr.Detail = OutcomeNotWiped, last.Reason, last.Detail
	default:
		dr.Outcome, dr.Reason = OutcomePending, ReasonNotReached
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
	"t": func(lang, key string) string { return receiptWords[lang][key] },
	// reason says r in lang; a code it does not know, as it is.
	"reason": func(lang string, r Reason) string { return cmp.Or(receiptWords[lang]["reason."+string(r)], string(r)) },
	"when":   func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") },
}).Parse(receiptSource))

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
	}{lang, r, devices})
	if err != nil {
		return fmt.Errorf("writing the receipt: %w", err)
	}
	return nil
}
