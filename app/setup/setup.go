// Package setup holds the guided setup's state machine: which step the
// person is on, which devices they confirmed as theirs and how far fixing
// each has got. It is saved after every step, so the setup can be left and
// resumed where it stopped.
package setup

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/porchlight/porchlight/app/inventory"
)

// FileName is the setup's progress file in the data directory.
const FileName = "setup.json"

// Step is one screen of the guided setup.
type Step string

// The steps, in order.
const (
	Welcome Step = "welcome"
	Promise Step = "promise" // what Porchlight will and won't do
	Scan    Step = "scan"
	Confirm Step = "confirm" // which devices are the person's, names and rooms
	Checkup Step = "checkup"
	Router  Step = "router" // the router's open ports and UPnP, when a router was found
	Fix     Step = "fix"    // device by device: password, update, privacy
	Summary Step = "summary"
	Done    Step = "done"
)

// Steps lists the steps in order.
var Steps = []Step{Welcome, Promise, Scan, Confirm, Checkup, Router, Fix, Summary, Done}

// Part is what is being fixed on a device.
type Part string

// The parts, in the order they are fixed.
const (
	Password Part = "password"
	Update   Part = "update"
	Privacy  Part = "privacy"
)

// Parts lists the parts in order.
var Parts = []Part{Password, Update, Privacy}

// State is where the person is in the guided setup.
type State struct {
	Step Step `json:"step"`
	// Devices are the IDs of the devices the person confirmed, in the order
	// they are fixed.
	Devices []string `json:"devices"`
	// Current is the index in Devices of the device being fixed.
	Current int  `json:"current"`
	Part    Part `json:"part"`
	// Router is set when the scan found a router: the setup then has its
	// router step after the checkup.
	Router bool `json:"router,omitempty"`
}

// Start is the state of a setup that has not begun.
func Start() State { return State{Step: Welcome} }

// Next moves one screen on: from the last part of the last device to the
// summary; from Confirm or Checkup straight to the summary when no device
// is left to fix (none was confirmed, or the last one was forgotten); from
// Checkup to the router step when a router was found.
func (s State) Next() State {
	switch s.Step {
	case Confirm:
		if len(s.Devices) == 0 {
			s.Step = Summary
			return s
		}
	case Checkup:
		if s.Router {
			s.Step = Router
			return s
		}
		fallthrough
	case Router:
		if len(s.Devices) == 0 {
			s.Step, s.Current, s.Part = Summary, 0, ""
			return s
		}
		s.Step, s.Current, s.Part = Fix, 0, Password
		return s
	case Fix:
		if i := slices.Index(Parts, s.Part); i+1 < len(Parts) {
			s.Part = Parts[i+1]
			return s
		}
		if s.Current+1 < len(s.Devices) {
			s.Current, s.Part = s.Current+1, Password
			return s
		}
		s.Step, s.Part = Summary, ""
		return s
	case Done:
		return s
	}
	s.Step = Steps[slices.Index(Steps, s.Step)+1]
	return s
}

// Back moves one screen back; it never leaves the setup's first step, and
// from the fixing steps it goes back part by part.
func (s State) Back() State {
	switch s.Step {
	case Welcome:
		return s
	case Fix:
		if i := slices.Index(Parts, s.Part); i > 0 {
			s.Part = Parts[i-1]
			return s
		}
		if s.Current > 0 {
			s.Current, s.Part = s.Current-1, Parts[len(Parts)-1]
			return s
		}
		s.Step, s.Part = Checkup, ""
		if s.Router {
			s.Step = Router
		}
		return s
	case Summary:
		if len(s.Devices) > 0 {
			s.Step, s.Current, s.Part = Fix, len(s.Devices)-1, Parts[len(Parts)-1]
			return s
		}
		s.Step = Confirm
		return s
	}
	s.Step = Steps[slices.Index(Steps, s.Step)-1]
	return s
}

// SkipDevice leaves the device being fixed as it is and moves to the first
// part of the next one, or to the summary after the last.
func (s State) SkipDevice() State {
	if s.Step != Fix {
		return s
	}
	if s.Current+1 < len(s.Devices) {
		s.Current, s.Part = s.Current+1, Password
		return s
	}
	s.Step, s.Part = Summary, ""
	return s
}

// ToSummary jumps from the checkup, the router or the fixing steps to the
// summary.
func (s State) ToSummary() State {
	if s.Step == Checkup || s.Step == Router || s.Step == Fix {
		s.Step, s.Part = Summary, ""
	}
	return s
}

// Without drops a device the person forgot: fixing goes on with the next
// device's first part (the summary after the last), or stays where it is
// when another device was being fixed.
func (s State) Without(id string) State {
	i := slices.Index(s.Devices, id)
	if i < 0 {
		return s
	}
	s.Devices = slices.Delete(slices.Clone(s.Devices), i, i+1)
	switch {
	case s.Step != Fix:
		return s
	case i < s.Current:
		s.Current--
	case i == s.Current && s.Current < len(s.Devices):
		s.Part = Password
	case i == s.Current:
		s.Step, s.Part, s.Current = Summary, "", 0
	}
	return s
}

// Device is the ID of the device being fixed, "" outside the fixing steps.
func (s State) Device() string {
	if s.Step != Fix || s.Current < 0 || s.Current >= len(s.Devices) {
		return ""
	}
	return s.Devices[s.Current]
}

// valid reports whether s is a state Next and Back can produce.
func (s State) valid() bool {
	if !slices.Contains(Steps, s.Step) {
		return false
	}
	if s.Step == Fix {
		return s.Current >= 0 && s.Current < len(s.Devices) && slices.Contains(Parts, s.Part)
	}
	return true
}

// Load reads the saved progress of dir; a setup never begun, or a file that
// cannot be read, starts from the beginning (the person loses a place in the
// setup, never a device or a password).
func Load(dir string) (State, error) {
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		return Start(), nil
	}
	if err != nil {
		return Start(), fmt.Errorf("reading the setup's progress: %w", err)
	}
	s, err := decode(data)
	if err != nil {
		return Start(), fmt.Errorf("the setup's saved progress could not be read; starting it again")
	}
	return s, nil
}

// errCorrupt reports a progress file that does not hold a state Next and
// Back can produce.
var errCorrupt = errors.New("not a setup state")

// decode reads a progress file.
func decode(data []byte) (State, error) {
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return State{}, err
	}
	if !s.valid() {
		return State{}, errCorrupt
	}
	return s, nil
}

// encode is the progress file's content for s.
func encode(s State) ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Save writes s atomically.
func Save(dir string, s State) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	return inventory.WriteFileAtomic(filepath.Join(dir, FileName), data, 0o600)
}
