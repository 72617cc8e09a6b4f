package wipe

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

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

// ErrPlanDamaged reports a plan file that could not be read (see
// PlanDamagedError).
var ErrPlanDamaged = errors.New("the saved plan of a privacy wipe could not be read")

// PlanDamagedError reports a damaged plan file. The file was renamed to
// Aside, not deleted, so nothing in it is lost; a wipe under way goes on
// from its journal, with the devices' names as the inventory has them. It is
// a notice: where it comes with a result (Unfinished, Plan), the result
// holds and is shown with it.
type PlanDamagedError struct {
	// Aside is where the damaged file was kept.
	Aside string
	// Err is what was wrong with it.
	Err error
}

func (e *PlanDamagedError) Error() string {
	return fmt.Sprintf("%v (%v); it was kept as %s, and an unfinished wipe goes on from its journal", ErrPlanDamaged, e.Err, e.Aside)
}

// Unwrap makes the error match ErrPlanDamaged and its cause.
func (e *PlanDamagedError) Unwrap() []error { return []error{ErrPlanDamaged, e.Err} }

// readPlan reads the plan file: nil when there is none. One that cannot be
// decoded (see decodePlan) is renamed to "wipe-plan.json.damaged-<time>"
// and reported with a *PlanDamagedError.
func (w *Wiper) readPlan() (*Plan, error) {
	data, err := os.ReadFile(w.planPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the wipe's plan %s: %w", w.planPath(), err)
	}
	p, err := decodePlan(data)
	if err != nil {
		aside := fmt.Sprintf("%s.damaged-%s", w.planPath(), time.Now().UTC().Format("20060102T150405.000000000Z"))
		if rerr := os.Rename(w.planPath(), aside); rerr != nil {
			return nil, fmt.Errorf("%w (%v), and it could not be set aside: %w", ErrPlanDamaged, err, rerr)
		}
		return nil, &PlanDamagedError{Aside: aside, Err: err}
	}
	fromOldPlan(p)
	return p, nil
}

// loadPlan reads the plan of action: nil when there is none, or the file
// belongs to another wipe (the wipe then goes on from the journal alone).
// A damaged file is set aside and reported (see readPlan).
func (w *Wiper) loadPlan(action string) (*Plan, error) {
	p, err := w.readPlan()
	if err != nil || p == nil || p.Action != action {
		return nil, err
	}
	return p, nil
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
// unfinished (a crash just after it ended, or before it began). A damaged
// plan file, of the unfinished wipe or a stale one, is set aside instead and
// reported in notice (wrapping ErrPlanDamaged); err is what keeps a new plan
// from being made.
func (w *Wiper) removeStalePlan() (notice, err error) {
	if _, err := os.Stat(w.planPath()); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	u, notice := w.Unfinished()
	if u == nil && notice != nil && !errors.Is(notice, ErrPlanDamaged) {
		return nil, notice
	}
	p, err := w.readPlan()
	if err != nil {
		if errors.Is(err, ErrPlanDamaged) {
			return errors.Join(notice, err), nil
		}
		return notice, err
	}
	if p == nil || (u != nil && p.Action == u.Action) {
		return notice, nil
	}
	return notice, w.removePlan()
}
