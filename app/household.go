// Package app is Porchlight's household core, free of any UI: it finds the
// household's devices and, in later parts, checks and fixes them. Screens
// and the command line reach devices only through it.
package app

import (
	"context"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
)

// Types the UI shows, as discovery reports them.
type (
	// Device is one device of the household, merged from its announcements.
	Device = discover.Device
	// Service is one service a device announces.
	Service = discover.Service
	// ScanOptions configures a scan.
	ScanOptions = discover.Options
	// ScanEvent reports a device that appeared or changed during a scan.
	ScanEvent = discover.Event
	// ScanResult is what a scan found.
	ScanResult = discover.Result
)

// Scan finds the devices on the home network, reporting each as it arrives
// (see discover.Scan).
func Scan(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) (ScanResult, error) {
	return discover.Scan(ctx, opts, onEvent)
}

// Lab types: the simulated household for tests and demos.
type (
	// Lab serves a simulated household.
	Lab = sim.Lab
	// LabConfig chooses the household a lab serves.
	LabConfig = sim.Config
	// LabManifest describes what a lab serves.
	LabManifest = sim.Manifest
)

// StartLab serves a simulated household in the current, isolated network
// namespace (see sim.Start).
func StartLab(cfg LabConfig) (*Lab, error) { return sim.Start(cfg) }

// ParseLabProfile returns the lab profile with the given name.
func ParseLabProfile(name string) (sim.Profile, error) { return sim.ParseProfile(name) }

// MaxDevices is the most devices one scan keeps.
const MaxDevices = discover.MaxDevices

// Scan defaults (see discover.Options).
const (
	DefaultTimeout = discover.DefaultTimeout
	DefaultSettle  = discover.DefaultSettle
)
