// Package app is Porchlight's household core, free of any UI: it finds the
// household's devices, remembers them, checks them against the security
// baseline and fixes them. Screens and the command line reach devices only
// through one Core, built by the composition root (main) from an explicit
// environment: which network, which keyring, which data directory, which
// language.
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
	"sync/atomic"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/releases"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
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
	// Record is what Porchlight remembers about a device (see inventory.Device).
	Record = inventory.Device
	// KeyringStatus says whether device passwords can be kept (see vault.Status).
	KeyringStatus = vault.Status
)

// Scan defaults (see discover.Options).
const (
	DefaultTimeout = discover.DefaultTimeout
	DefaultSettle  = discover.DefaultSettle
	// MaxDevices is the most devices one scan keeps.
	MaxDevices = discover.MaxDevices
)

// Network is where the core finds devices and how it reaches them: the
// home network (HomeNetwork) or a simulated household's.
type Network interface {
	// Scan finds the devices, reporting each as it arrives (see discover.Scan).
	Scan(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) (ScanResult, error)
	// Watch reports devices as they appear or change, until ctx ends.
	Watch(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) error
	// Dialer connects to devices; nil is the real network.
	Dialer() devhttp.Network
	// Simulated reports a simulated household instead of the real network.
	Simulated() bool
}

// HomeNetwork is the real home network: mDNS on Interface (every
// multicast-capable interface when empty) and direct connections.
type HomeNetwork struct {
	Interface string
}

// Scan finds the devices over mDNS and SSDP/UPnP (see discover.Scan,
// ssdp.Scan), merged by address.
func (n HomeNetwork) Scan(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) (ScanResult, error) {
	opts.Interface = cmp.Or(opts.Interface, n.Interface)
	return scanHome(ctx, opts, onEvent)
}

// Watch reports devices as they appear or change (see discover.Watch).
func (n HomeNetwork) Watch(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) error {
	opts.Interface = cmp.Or(opts.Interface, n.Interface)
	return discover.Watch(ctx, opts, onEvent)
}

// Dialer is nil: devices are reached directly.
func (HomeNetwork) Dialer() devhttp.Network { return nil }

// Simulated is false: this is the real network.
func (HomeNetwork) Simulated() bool { return false }

// Env is everything a Core is built from. main chooses each part.
type Env struct {
	// Dir is the data directory (see DataDir).
	Dir string
	// Vault keeps device passwords (the OS keyring, or a fake).
	Vault vault.Store
	// Network is where devices are found and reached.
	Network Network
	// Lang is the language of results: "en" or "de" ("en" when empty).
	Lang string
	// Temporary removes Dir on Close (a demo leaves nothing behind).
	Temporary bool
	// OnClose runs on Close, after the core's own closing (for example to
	// stop a simulated household).
	OnClose func() error
	// Makers, when not nil, is asked for the makers' newest versions (see
	// Core.AskMakers); nil, the default, never asks beyond the home network.
	Makers releases.Source
}

// Core is the household: its inventory, passwords, journal and network.
// The command line and the desktop app use the same Core and the same
// methods. It is safe for concurrent use, except SetLang.
type Core struct {
	// Inventory is what Porchlight remembers about each device.
	Inventory *inventory.Store
	// Vault keeps device passwords.
	Vault vault.Store
	// Journal records irreversible actions.
	Journal *journal.Journal
	env     Env
	lang    string
	// makers is the makers' release feeds, nil when not asked.
	makers atomic.Pointer[releases.Feed]
}

// Open builds the core of env. A corrupt inventory is set aside: the core
// opens empty and the error (wrapping inventory.ErrCorrupt) says where the
// old file went; the returned core is usable then.
func Open(env Env) (*Core, error) {
	if env.Network == nil || env.Vault == nil || env.Dir == "" {
		return nil, errors.New("app.Open: the environment needs a network, a vault and a data directory")
	}
	store, err := inventory.Open(env.Dir)
	if store == nil {
		return nil, err
	}
	if perr := pinClaimedBefore(store); perr != nil {
		err = errors.Join(err, perr)
	}
	c := &Core{Inventory: store, Vault: env.Vault, Journal: journal.Open(env.Dir), env: env, lang: cmp.Or(env.Lang, "en")}
	c.AskMakers(env.Makers)
	return c, err
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

// DataDir is where the core keeps its data.
func (c *Core) DataDir() string { return c.env.Dir }

// Demo reports whether the core runs against a simulated household.
func (c *Core) Demo() bool { return c.env.Network.Simulated() }

// Lang is the language of the core's results.
func (c *Core) Lang() string { return c.lang }

// SetLang changes the language of the results from now on.
func (c *Core) SetLang(lang string) { c.lang = cmp.Or(lang, "en") }

// Close ends the environment: a demo's household stops and its data goes.
func (c *Core) Close() error {
	var err error
	if c.env.OnClose != nil {
		err = c.env.OnClose()
	}
	if c.env.Temporary {
		err = errors.Join(err, os.RemoveAll(c.env.Dir))
	}
	return err
}

// Scan finds the household's devices, reporting each as it arrives, and
// remembers them. The devices already remembered are kept whatever the
// scan's limits (see discover.Options.Keep).
func (c *Core) Scan(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) (ScanResult, error) {
	opts.Keep = append(opts.Keep, c.Devices()...)
	res, err := c.env.Network.Scan(ctx, opts, onEvent)
	if err != nil {
		return res, err
	}
	return res, c.Remember(res.Devices)
}

// Watch reports, until ctx ends, each device that appears on the network
// and Porchlight did not know, after remembering it. As with Scan, the
// devices already remembered are kept whatever the watch's limits, so a
// flood of new names cannot push them out.
func (c *Core) Watch(ctx context.Context, onNew func(Device)) error {
	return c.env.Network.Watch(ctx, ScanOptions{Keep: c.Devices()}, func(e ScanEvent) {
		if e.Gone {
			return
		}
		if _, known := c.Record(e.Device.ID); known || c.knownHost(e.Device.Host) {
			return
		}
		if err := c.Remember([]Device{e.Device}); err == nil {
			onNew(e.Device)
		}
	})
}

// knownHost reports whether a remembered device has this host name.
func (c *Core) knownHost(host string) bool {
	return slices.ContainsFunc(c.Inventory.Devices(), func(r Record) bool { return strings.EqualFold(r.Host, host) })
}

// Remember records what a scan found, keeping what the person said about
// each device (claimed, name, room), the identity pinned when it was
// claimed and the keyring entries it has. A device's ID can improve while
// its announcements arrive (from its host name to the hardware identity in
// a later TXT record): a record of the same host under an older ID is
// dropped when nothing hangs on it (not claimed, no keyring entries). The
// inventory is saved once, and pruned (see inventory.Batch.Prune). Until a
// device is checked, its maker and kind are what its announcements alone
// say (identify.FromAnnouncement, which sends nothing), so the person sees
// what it is before claiming it; a check's answers replace them.
func (c *Core) Remember(devices []Device) error {
	return c.Inventory.Batch(func(b *inventory.Batch) {
		records := b.Devices()
		for _, d := range devices {
			for _, old := range records {
				if old.ID != d.ID && strings.EqualFold(old.Host, d.Host) && !old.Claimed && len(old.Secrets) == 0 {
					b.Remove(old.ID)
				}
			}
			b.Update(d.ID, func(inv *inventory.Device) {
				if !inv.Named {
					inv.Name = cmp.Or(inv.ReportedName, d.Name)
				}
				inv.Host, inv.Addresses, inv.Services = d.Host, d.Addresses, d.Services
				if inv.Family == "" { // never checked
					rec := identify.FromAnnouncement(d)
					inv.VendorID, inv.Vendor, inv.Model, inv.Kind = rec.VendorID, rec.Vendor, rec.Model, rec.Kind
				}
				if inv.FirstSeen.IsZero() {
					inv.FirstSeen = d.FirstSeen
				}
				inv.LastSeen = d.LastSeen
			})
		}
		b.Prune(time.Now())
	})
}

// Devices returns the remembered devices as discovery would report them.
func (c *Core) Devices() []Device {
	var ds []Device
	for _, inv := range c.Inventory.Devices() {
		ds = append(ds, asDevice(inv))
	}
	return ds
}

// asDevice is a remembered device as discovery would report it.
func asDevice(inv Record) Device {
	return Device{ID: inv.ID, Name: inv.Name, Host: inv.Host, Addresses: inv.Addresses, Services: inv.Services, Protocols: discover.ProtocolsOf(inv.Services), FirstSeen: inv.FirstSeen, LastSeen: inv.LastSeen}
}

// Record returns what Porchlight remembers about the device with id.
func (c *Core) Record(id string) (Record, bool) { return c.Inventory.Get(id) }

// Errors of choosing devices.
var (
	// ErrNoSuchDevice reports a device name, id or address that matches nothing.
	ErrNoSuchDevice = errors.New("no such device")
	// ErrAmbiguous reports a name that several devices answer to.
	ErrAmbiguous = errors.New("several devices have this name")
)

// Select returns the remembered devices that each of refs names (an id, a
// name, a host or an address), in the order given; all of them when refs is
// empty. A ref that matches nothing is an error wrapping ErrNoSuchDevice;
// one that matches several devices (and is not the ID of one) is an error
// wrapping ErrAmbiguous that lists their IDs, so the person can choose.
func (c *Core) Select(refs []string) ([]Device, error) {
	all := c.Devices()
	if len(refs) == 0 {
		return all, nil
	}
	var out []Device
	for _, ref := range refs {
		var found []Device
		if i := slices.IndexFunc(all, func(d Device) bool { return strings.EqualFold(d.ID, ref) }); i >= 0 {
			found = all[i : i+1]
		} else {
			for _, d := range all {
				if matches(d, ref) {
					found = append(found, d)
				}
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("%w: %q (run 'porchlight scan' to list devices)", ErrNoSuchDevice, ref)
		case 1:
		default:
			ids := make([]string, len(found))
			for i, d := range found {
				ids[i] = d.ID
			}
			return nil, fmt.Errorf("%w: %q is %s; name one by its ID", ErrAmbiguous, ref, strings.Join(ids, ", "))
		}
		if !slices.ContainsFunc(out, func(d Device) bool { return d.ID == found[0].ID }) {
			out = append(out, found[0])
		}
	}
	return out, nil
}

func matches(d Device, ref string) bool {
	if strings.EqualFold(d.Name, ref) || strings.EqualFold(d.Host, ref) || strings.EqualFold(strings.TrimSuffix(d.Host, ".local"), ref) {
		return true
	}
	return slices.ContainsFunc(d.Addresses, func(a netip.Addr) bool { return a.String() == ref })
}

// CheckOptions bounds a checkup (see checkup.Options).
type CheckOptions = checkup.Options

// Checkup is the household's checkup (see checkup.Household).
type Checkup = checkup.Household

// Check runs the checkup of devices and records what identification
// found. Its results are typed reasons, rendered in whatever language the
// person reads them in.
func (c *Core) Check(ctx context.Context, devices []Device, opts CheckOptions) (Checkup, error) {
	opts.Network = c.env.Network.Dialer()
	if opts.Factory == nil {
		opts.Factory = func(id string) *factorypw.Result {
			d, _ := c.Inventory.Get(id)
			return d.FactoryPasswords
		}
	}
	if opts.Kept == nil {
		opts.Kept = c.keptRead
	}
	if opts.Household == nil {
		opts.Household = c.Devices()
	}
	if opts.ProofLost == nil {
		opts.ProofLost = func(id string) bool { return c.Capabilities(id).ProofLost }
	}
	if opts.Newest == nil {
		opts.Newest = c.newest(ctx)
	}
	res, err := checkup.Run(ctx, devices, opts)
	if err != nil {
		return res, err
	}
	err = c.Inventory.Batch(func(b *inventory.Batch) {
		for i := range res.Devices {
			card := &res.Devices[i].Device
			b.Update(card.ID, func(d *inventory.Device) {
				d.Family, d.Vendor, d.Model, d.Firmware = card.Family, card.Vendor, card.Model, card.Firmware
				d.VendorID, d.Kind = card.VendorID, card.Kind
				if card.HardwareID != "" {
					d.HardwareID = card.HardwareID
				}
				if card.ReportedName != "" {
					d.ReportedName = card.ReportedName
					if !d.Named {
						d.Name = card.ReportedName
					}
				}
				card.Name = d.Name
			})
		}
	})
	res.Summary = checkup.Summarise(res.Devices) // with the names just learned
	return res, err
}

// KeyringStatus probes the keyring.
func (c *Core) KeyringStatus(ctx context.Context) KeyringStatus { return vault.Probe(ctx, c.Vault) }

// DescribeModel names a model for people: "vendor model", without a word
// twice where the vendor's name ends as the model's begins ("Brother" and
// "Brother HL-L2350DW"; "Philips Hue" and "Hue Bridge").
func DescribeModel(vendor, model string) string {
	v, m := strings.Fields(vendor), strings.Fields(model)
	for skip := range v {
		if tail := v[skip:]; len(tail) <= len(m) && strings.EqualFold(strings.Join(tail, " "), strings.Join(m[:len(tail)], " ")) {
			v = v[:skip]
			break
		}
	}
	return strings.Join(append(v, m...), " ")
}
