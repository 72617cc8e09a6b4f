package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/porchlight/porchlight/devices/netns"
)

// Config chooses the household a lab serves.
type Config struct {
	Profile Profile
	// Devices is the size of a large household (0: DefaultLargeDevices).
	Devices int
	// Interface is the interface to answer mDNS on (empty: the one the
	// multicast route names, loopback in an isolated namespace).
	Interface string
	// Answering is how the responder packs its answers (Together when zero).
	Answering Answering
	// Impostors are devices that copy household devices' announcements,
	// served and announced beside (or, with SameAddress, instead of) them.
	Impostors []Impostor
	// CameraImpostors are cameras that copy household cameras (see
	// CameraImpostor).
	CameraImpostors []CameraImpostor
	// Without names, by Host, household devices that are not on the
	// network (a device that joins later: serve the household again
	// without it).
	Without []string
	// Move serves household devices, by Host, at another IPv4 loopback
	// address no other device uses (a device the router gave a new address).
	Move map[string]netip.Addr
}

// Answering is how the lab's mDNS responder packs its answers. Real
// responders differ: a browser must put an instance together from records
// that arrive in different messages, and ask for what is missing.
type Answering int

// The ways of answering.
const (
	// Together: an instance's PTR, SRV, TXT and address records travel in
	// one message, as avahi-daemon and most devices send them.
	Together Answering = iota
	// Split: every record travels in a message of its own, after its own
	// delay, so that they arrive in any order.
	Split
	// Minimal: only the records of the type asked for, each in a message
	// of its own, no additional records; announcements carry PTR records
	// only. A browser must ask for SRV, TXT and addresses itself.
	Minimal
)

// Lab serves a simulated household, and the impostors its Config asks for,
// in the current network namespace: one mDNS responder for all devices and,
// per device, its family's HTTP API (or a hostile device's Attack) on the
// device's own loopback address.
type Lab struct {
	profile Profile
	// devices is the household; impostors copy some of its devices, and
	// left holds those that left the network for an impostor.
	devices   []*Device
	impostors []*Device
	left      map[*Device]bool
	responder *responder
	servers   []*http.Server
	attacks   *attackServer
	hostile   *hostileAnnouncer
	upnp      *upnpLab
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Start checks that this network namespace is isolated (see netns.Check),
// then serves the configured household until Close.
func Start(cfg Config) (*Lab, error) {
	if err := netns.Check(); err != nil {
		return nil, err
	}
	devices, err := Household(cfg.Profile, cfg.Devices)
	if err != nil {
		return nil, err
	}
	if devices, err = rearrange(devices, cfg.Without, cfg.Move); err != nil {
		return nil, err
	}
	var iface *net.Interface
	if cfg.Interface != "" {
		if iface, err = net.InterfaceByName(cfg.Interface); err != nil {
			return nil, fmt.Errorf("lab interface %q: %w", cfg.Interface, err)
		}
	}
	impostors, left, err := newImpostors(devices, cfg.Impostors)
	if err != nil {
		return nil, err
	}
	l := &Lab{profile: cfg.Profile, devices: devices, impostors: impostors, left: left}
	if err := l.serveHTTP(); err != nil {
		l.Close()
		return nil, err
	}
	if l.attacks, err = serveAttacks(l.served()); err != nil {
		l.Close()
		return nil, err
	}
	z, err := newZone(l.served())
	if err != nil {
		l.Close()
		return nil, err
	}
	var onQuery func(dns.Question)
	if cfg.Profile == ProfileHostile {
		l.hostile = newHostileAnnouncer()
		onQuery = l.hostile.onQuery
	}
	if l.responder, err = newResponder(z, iface, onQuery, cfg.Answering); err != nil {
		l.Close()
		return nil, err
	}
	if l.hostile != nil {
		l.hostile.start(l.responder)
	}
	l.responder.announce(z.types)
	cameras, err := withCameraImpostors(Cameras(cfg.Profile), cfg.CameraImpostors)
	if err != nil {
		l.Close()
		return nil, err
	}
	if l.upnp, err = startUPnP(UPnPHousehold(cfg.Profile), cameras, cfg.Profile == ProfileHostile, iface); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// rearrange leaves out the devices without names and moves those move
// names to their new addresses.
func rearrange(devices []*Device, without []string, move map[string]netip.Addr) ([]*Device, error) {
	used := map[netip.Addr]bool{ResponderAddr: true, FloodAddr: true}
	for _, d := range devices {
		used[d.Addr] = true
	}
	var out []*Device
	for _, d := range devices {
		if slices.ContainsFunc(without, func(h string) bool { return strings.EqualFold(h, d.Host) }) {
			continue
		}
		if to, ok := move[d.Host]; ok {
			to = to.Unmap()
			if !to.Is4() || !to.IsLoopback() || used[to] {
				return nil, fmt.Errorf("moving %q: %s is not a free IPv4 loopback address", d.Host, to)
			}
			used[to] = true
			d.Addr = to
		}
		out = append(out, d)
	}
	return out, nil
}

// served returns the devices on the network: the household's, except
// those that left it, then the impostors.
func (l *Lab) served() []*Device {
	ds := make([]*Device, 0, len(l.devices)+len(l.impostors))
	for _, d := range l.devices {
		if !l.left[d] {
			ds = append(ds, d)
		}
	}
	return append(ds, l.impostors...)
}

// serveHTTP starts one HTTP server per device and port.
func (l *Lab) serveHTTP() error {
	for _, d := range l.served() {
		h := d.Handler()
		if h == nil {
			continue
		}
		for _, port := range slices.Concat(d.HTTPPorts, d.TLSPorts) {
			addr := netip.AddrPortFrom(d.Addr, uint16(port)).String()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("device %q: listening on %s: %w", d.Name, addr, err)
			}
			if slices.Contains(d.TLSPorts, port) {
				if ln, err = d.serveTLS(ln); err != nil {
					return err
				}
			}
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
			l.servers = append(l.servers, srv)
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					slog.Warn("lab: device server stopped", "addr", addr, "err", err)
				}
			}()
		}
	}
	return nil
}

// Devices returns the household's devices, including those that left the
// network for an impostor that took over their address (Impostor.SameAddress):
// those are neither served nor announced.
func (l *Lab) Devices() []*Device { return l.devices }

// UPnPDevices returns the devices the lab announces over SSDP only (see UPnPHousehold).
func (l *Lab) UPnPDevices() []*UPnPDevice {
	if l.upnp == nil {
		return nil
	}
	return l.upnp.devices
}

// Cameras returns the lab's ONVIF cameras (see Cameras).
func (l *Lab) Cameras() []*Camera {
	if l.upnp == nil {
		return nil
	}
	return l.upnp.cameras
}

// Impostors returns the lab's impostors, in the order Config.Impostors
// asked for them.
func (l *Lab) Impostors() []*Device { return l.impostors }

// Close stops every server of the lab and waits for them; closing again
// returns the first Close's result.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() { l.closeErr = l.stop() })
	return l.closeErr
}

func (l *Lab) stop() error {
	var errs []error
	if l.attacks != nil {
		l.attacks.close()
	}
	if l.hostile != nil {
		l.hostile.stop()
	}
	if l.upnp != nil {
		l.upnp.close()
	}
	if l.responder != nil {
		errs = append(errs, l.responder.close())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range l.servers {
		if err := s.Shutdown(ctx); err != nil {
			errs = append(errs, s.Close())
		}
	}
	l.wg.Wait()
	return errors.Join(errs...)
}

// Manifest describes what a lab serves, without any secret.
type Manifest struct {
	Schema  int              `json:"schema"`
	Profile Profile          `json:"profile"`
	Devices []ManifestDevice `json:"devices"`
}

// ManifestDevice is one device of a Manifest.
type ManifestDevice struct {
	Family    Family    `json:"family"`
	Name      string    `json:"name"`
	Host      string    `json:"host"`
	Address   string    `json:"address"`
	MAC       string    `json:"mac"`
	Model     string    `json:"model"`
	Firmware  string    `json:"firmware"`
	HTTP      []string  `json:"http"`
	Services  []Service `json:"services"`
	AuthOnNow bool      `json:"auth_enabled"`
	// Attack is what a hostile device does to a client on its HTTP addresses.
	Attack Attack `json:"attack,omitempty"`
	// Impostor marks a device that copies another's announcement (Config.Impostors).
	Impostor bool `json:"impostor,omitempty"`
}

// Manifest returns what the lab serves: the household's devices on the
// network, then the impostors.
func (l *Lab) Manifest() Manifest {
	served := l.served()
	m := Manifest{Schema: 1, Profile: l.profile, Devices: make([]ManifestDevice, 0, len(served))}
	for _, d := range served {
		md := ManifestDevice{
			Family: d.Family, Name: d.Name, Host: d.Host + ".local", Address: d.Addr.String(),
			MAC: d.MAC, Model: d.Model, Firmware: d.CurrentFirmware(), Services: d.Services, AuthOnNow: d.AuthEnabled(),
			Attack: d.Attack, Impostor: slices.Contains(l.impostors, d),
		}
		if d.Attack != "" {
			md.HTTP = d.attackURLs()
		} else if d.Handler() != nil {
			for _, p := range d.HTTPPorts {
				md.HTTP = append(md.HTTP, "http://"+net.JoinHostPort(d.Addr.String(), strconv.Itoa(p))+"/")
			}
			for _, p := range d.TLSPorts {
				md.HTTP = append(md.HTTP, "https://"+net.JoinHostPort(d.Addr.String(), strconv.Itoa(p))+"/")
			}
		}
		m.Devices = append(m.Devices, md)
	}
	return m
}
