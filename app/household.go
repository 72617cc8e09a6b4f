// Package app is Porchlight's household core, free of any UI: it finds the
// household's devices, remembers them, checks them against the security
// baseline and, in later parts, fixes them. Screens and the command line
// reach devices only through it.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/vault"
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

// Scan defaults (see discover.Options).
const (
	DefaultTimeout = discover.DefaultTimeout
	DefaultSettle  = discover.DefaultSettle
	// MaxDevices is the most devices one scan keeps.
	MaxDevices = discover.MaxDevices
)

// Scan finds the devices on the home network, reporting each as it arrives
// (see discover.Scan).
func Scan(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) (ScanResult, error) {
	return discover.Scan(ctx, opts, onEvent)
}

// DataDirEnv names the environment variable that overrides the data directory.
const DataDirEnv = "PORCHLIGHT_DATA_DIR"

// DataDir returns where Porchlight keeps its data: dir when given, else
// $PORCHLIGHT_DATA_DIR, else "Porchlight" in the OS's configuration directory.
func DataDir(dir string) (string, error) {
	if dir = cmp.Or(dir, os.Getenv(DataDirEnv)); dir != "" {
		return filepath.Abs(dir)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding a place for Porchlight's data (set %s): %w", DataDirEnv, err)
	}
	return filepath.Join(base, "Porchlight"), nil
}

// Household is the household's inventory in a data directory.
type Household struct {
	Inventory *inventory.Store
	// Vault keeps device passwords (the OS keyring, or a fake in tests).
	Vault vault.Store
	// scan looks for devices when one must be found again: Scan, or the
	// demo household's own scan, which never touches the network.
	scan func(context.Context, ScanOptions, func(ScanEvent)) (ScanResult, error)
	// Journal records irreversible actions.
	Journal *journal.Journal
}

// OpenHousehold opens the inventory in dir. A corrupt inventory is set
// aside: the household opens empty and the error (wrapping
// inventory.ErrCorrupt) says where the old file went.
func OpenHousehold(dir string, v vault.Store) (*Household, error) {
	store, err := inventory.Open(dir)
	if store == nil {
		return nil, err
	}
	return &Household{Inventory: store, Vault: v, Journal: journal.Open(dir), scan: Scan}, err
}

// Remember records what a scan found, keeping what the person said about
// each device (claimed, name, room) and the keyring entries it has. A
// device's ID can improve while its announcements arrive (from its host name
// to the hardware identity in a later TXT record): a record of the same host
// under an older ID is dropped when nothing hangs on it (not claimed, no
// keyring entries).
func (h *Household) Remember(devices []Device) error {
	var errs []error
	records := h.Inventory.Devices()
	for _, d := range devices {
		for _, old := range records {
			if old.ID != d.ID && strings.EqualFold(old.Host, d.Host) && !old.Claimed && len(old.Secrets) == 0 {
				errs = append(errs, h.Inventory.Remove(old.ID))
			}
		}
		errs = append(errs, h.Inventory.Update(d.ID, func(inv *inventory.Device) {
			if inv.Name == "" || !inv.Claimed {
				inv.Name = d.Name
			}
			inv.Host, inv.Addresses, inv.Services = d.Host, d.Addresses, d.Services
			if inv.FirstSeen.IsZero() {
				inv.FirstSeen = d.FirstSeen
			}
			inv.LastSeen = d.LastSeen
		}))
	}
	return errors.Join(errs...)
}

// Devices returns the remembered devices as discovery would report them.
func (h *Household) Devices() []Device {
	var ds []Device
	for _, inv := range h.Inventory.Devices() {
		ds = append(ds, Device{ID: inv.ID, Name: inv.Name, Host: inv.Host, Addresses: inv.Addresses, Services: inv.Services, FirstSeen: inv.FirstSeen, LastSeen: inv.LastSeen})
	}
	return ds
}

// ErrNoSuchDevice reports a device name, id or address that matches nothing.
var ErrNoSuchDevice = errors.New("no such device")

// Select returns the remembered devices that each of refs names (an id, a
// name, a host or an address), in the order given; all of them when refs is
// empty. A ref that matches nothing is an error wrapping ErrNoSuchDevice.
func (h *Household) Select(refs []string) ([]Device, error) {
	all := h.Devices()
	if len(refs) == 0 {
		return all, nil
	}
	var out []Device
	for _, ref := range refs {
		i := slices.IndexFunc(all, func(d Device) bool { return matches(d, ref) })
		if i < 0 {
			return nil, fmt.Errorf("%w: %q (run 'porchlight scan' to list devices)", ErrNoSuchDevice, ref)
		}
		if !slices.ContainsFunc(out, func(d Device) bool { return d.ID == all[i].ID }) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

func matches(d Device, ref string) bool {
	if strings.EqualFold(d.ID, ref) || strings.EqualFold(d.Name, ref) || strings.EqualFold(d.Host, ref) || strings.EqualFold(strings.TrimSuffix(d.Host, ".local"), ref) {
		return true
	}
	return slices.ContainsFunc(d.Addresses, func(a netip.Addr) bool { return a.String() == ref })
}

// Claim marks devices as the person's own, optionally naming one and
// placing it in a room: Porchlight acts only on claimed devices.
func (h *Household) Claim(ids []string, name, room string) error {
	var errs []error
	for _, id := range ids {
		errs = append(errs, h.Inventory.Update(id, func(d *inventory.Device) {
			d.Claimed = true
			if name != "" {
				d.Name = name
			}
			if room != "" {
				d.Room = room
			}
		}))
	}
	return errors.Join(errs...)
}

// CheckOptions bounds a checkup (see checkup.Options).
type CheckOptions = checkup.Options

// Checkup is the household's checkup (see checkup.Household).
type Checkup = checkup.Household

// Check runs the checkup of devices and records what identification found.
func (h *Household) Check(ctx context.Context, devices []Device, opts CheckOptions) (Checkup, error) {
	if opts.Factory == nil {
		opts.Factory = func(id string) *factorypw.Result {
			d, _ := h.Inventory.Get(id)
			return d.FactoryPasswords
		}
	}
	res, err := checkup.Run(ctx, devices, opts)
	if err != nil {
		return res, err
	}
	var errs []error
	for _, c := range res.Devices {
		errs = append(errs, h.Inventory.Update(c.Device.ID, func(d *inventory.Device) {
			d.Family, d.Vendor, d.Model, d.Firmware = c.Device.Family, c.Device.Vendor, c.Device.Model, c.Device.Firmware
			if c.Device.HardwareID != "" {
				d.HardwareID = c.Device.HardwareID
			}
		}))
	}
	return res, errors.Join(errs...)
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

// DescribeModel names a model for people: "vendor model", without the
// vendor twice when the model already starts with it.
func DescribeModel(vendor, model string) string {
	if vendor != "" && !strings.HasPrefix(strings.ToLower(model), strings.ToLower(vendor)) {
		model = vendor + " " + model
	}
	return strings.TrimSpace(model)
}
