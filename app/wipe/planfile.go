package wipe

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/porchlight/porchlight/app/inventory"
)

// PlanFile is the file, in the data directory, that keeps the plan of the
// wipe under way: the names and steps the receipt shows, which the journal
// does not hold. It holds no secret. Execute writes it before the first
// journal entry; it is deleted when the wipe is finished.
const PlanFile = "wipe-plan.json"

// planFileSchema is the version of the plan file's format.
const planFileSchema = 1

type planFile struct {
	Schema int   `json:"schema"`
	Plan   *Plan `json:"plan"`
}

func (w *Wiper) planPath() string { return filepath.Join(w.Dir, PlanFile) }

// savePlan writes p atomically.
func (w *Wiper) savePlan(p *Plan) error {
	data, err := encodePlan(p)
	if err != nil {
		return err
	}
	return inventory.WriteFileAtomic(w.planPath(), data, 0o600)
}

// encodePlan is the plan file's content for p.
func encodePlan(p *Plan) ([]byte, error) {
	data, err := json.MarshalIndent(planFile{Schema: planFileSchema, Plan: p}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// loadPlan reads the plan of action; false when there is none, it cannot
// be read (see decodePlan), or it belongs to another wipe (the wipe then
// goes on from the journal alone).
func (w *Wiper) loadPlan(action string) (*Plan, bool) {
	data, err := os.ReadFile(w.planPath())
	if err != nil {
		return nil, false
	}
	p, err := decodePlan(data)
	if err != nil || p.Action != action {
		return nil, false
	}
	fromOldPlan(p)
	return p, true
}

// decodePlan reads a plan file. One that does not hold a whole plan as
// Execute saves it (its action, and at least one device it wipes, every
// device with its ID) is corrupt, not the plan of a wipe of nothing: a
// resume from it would leave the journal's devices as they are.
func decodePlan(data []byte) (*Plan, error) {
	var f planFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	switch {
	case f.Schema != planFileSchema:
		return nil, fmt.Errorf("unknown format version %d", f.Schema)
	case f.Plan == nil || f.Plan.Action == "":
		return nil, errors.New("no plan")
	case len(f.Plan.Wiped()) == 0:
		return nil, errors.New("the plan wipes no device")
	case slices.ContainsFunc(f.Plan.Devices, func(d DevicePlan) bool { return d.ID == "" }):
		return nil, errors.New("a device of the plan has no ID")
	}
	return f.Plan, nil
}

// removePlan deletes the plan file.
func (w *Wiper) removePlan() error {
	if err := os.Remove(w.planPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("deleting the finished wipe's plan: %w", err)
	}
	return nil
}

// removeStalePlan deletes a plan file left by a wipe that is not
// unfinished (a crash just after it ended, or before it began).
func (w *Wiper) removeStalePlan() error {
	if _, err := os.Stat(w.planPath()); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	u, err := w.Unfinished()
	if err != nil {
		return err
	}
	if u != nil {
		if _, ok := w.loadPlan(u.Action); ok {
			return nil
		}
	}
	return w.removePlan()
}
