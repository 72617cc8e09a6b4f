//go:build linux

// Package avahi runs avahi-daemon, a real third-party mDNS implementation,
// beside the lab: as a responder publishing static services (so discovery is
// tested against code nobody here wrote) or as the browser avahi-browse talks
// to (so the scan can be measured against it). It starts the daemon in a
// private mount namespace with its own /run and service files, and only in
// an isolated network namespace (see netns.Check); with Config.LAN, in a
// second network namespace of its own, joined to this one by a veth pair like
// a second host on a home network. It is Linux-only, as network and mount
// namespaces are.
package avahi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim/lanhost"
)

// Install tells a developer how to get what this package runs.
const Install = "install it with: apt-get install -y avahi-daemon avahi-utils dbus util-linux (make test does)"

// Service is one static service avahi-daemon publishes.
type Service struct {
	Name string
	Type string
	Port int
	// Host publishes the service on another host name (which Hosts must map
	// to an address); empty means avahi's own host.
	Host string
	// TXT strings; none publishes an empty TXT record.
	TXT []string
}

// Config chooses what the daemon does.
type Config struct {
	// HostName is avahi's own host name (without ".local").
	HostName string
	// Services are published from static service files.
	Services []Service
	// Hosts maps extra host names (with ".local") to addresses.
	Hosts map[string]string
	// DBus starts a private system bus so avahi-browse can talk to the daemon.
	DBus bool
	// LAN, when set, runs the daemon as a second host: in a network
	// namespace of its own, joined to this one by a veth pair. Otherwise
	// it runs in this namespace, on loopback.
	LAN *LAN
}

// LAN places avahi-daemon on a second host of a simulated home network. In a
// namespace whose only interface is loopback, the kernel sends multicast
// queries from 0.0.0.0 (loopback's 127.0.0.1 is host-scoped) and avahi
// answers none of them: it could only be heard announcing. Across a veth pair
// with link-local addresses, questions and answers travel as between two
// hosts. avahi-daemon uses only its end of the pair; the addresses of
// Config.Hosts are put on its namespace's loopback, since avahi would take
// any address on the veth for its own host name and refuse to publish
// another name for it.
type LAN struct {
	// Local is this namespace's address on the veth, for example
	// 169.254.77.1/16.
	Local netip.Prefix
	// Peer is avahi's address on its end, for example 169.254.77.2/16:
	// avahi publishes its host name with it.
	Peer netip.Prefix
}

// Daemon is a running avahi-daemon.
type Daemon struct {
	// out keeps the daemon's last lines of output.
	out lanhost.Output

	cmd      *exec.Cmd
	dbus     *exec.Cmd
	busAddr  string
	dir      string
	host     *lanhost.Host
	closeMux sync.Once
}

// Start runs avahi-daemon and returns once it has published every service.
func Start(ctx context.Context, cfg Config) (*Daemon, error) {
	if err := netns.Check(); err != nil {
		return nil, err
	}
	for _, bin := range []string{"avahi-daemon", "unshare", "mount"} {
		if _, err := exec.LookPath(bin); err != nil {
			return nil, fmt.Errorf("%s is not installed: %s", bin, Install)
		}
	}
	dir, err := os.MkdirTemp("", "porchlight-avahi-")
	if err != nil {
		return nil, err
	}
	d := &Daemon{dir: dir}
	if cfg.DBus {
		if err := d.startBus(ctx); err != nil {
			d.Close()
			return nil, err
		}
	}
	if err := d.startDaemon(ctx, cfg); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Log returns the daemon's last 40 lines of output, for a failing test to show.
func (d *Daemon) Log() string { return d.out.String() }

// Interface is the name of this namespace's end of the veth pair to the
// daemon's host (Config.LAN), the interface to scan on; empty without LAN.
func (d *Daemon) Interface() string {
	if d.host == nil {
		return ""
	}
	return d.host.Interface()
}

// BusAddress is the address of the daemon's private system bus, for
// DBUS_SYSTEM_BUS_ADDRESS (empty without Config.DBus).
func (d *Daemon) BusAddress() string { return d.busAddr }

// Close stops the daemon and its bus, deletes the veth pair (with
// Config.LAN; the daemon's network namespace ends with the daemon) and
// removes their files.
func (d *Daemon) Close() error {
	d.closeMux.Do(func() {
		if d.host != nil {
			_ = d.host.Close()
		}
		for _, c := range []*exec.Cmd{d.cmd, d.dbus} {
			if c != nil && c.Process != nil {
				_ = c.Process.Kill()
				_ = c.Wait()
			}
		}
		os.RemoveAll(d.dir)
	})
	return nil
}

// writeFiles writes the daemon's configuration, hosts and service files;
// iface is the only interface it may use.
func (d *Daemon) writeFiles(cfg Config, iface string) error {
	if err := os.MkdirAll(filepath.Join(d.dir, "services"), 0o755); err != nil {
		return err
	}
	conf := fmt.Sprintf(`[server]
host-name=%s
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=%s
enable-dbus=%s
[wide-area]
enable-wide-area=no
[publish]
disable-publishing=no
publish-hinfo=no
publish-workstation=no
publish-domain=no
publish-aaaa-on-ipv4=no
`, cfg.HostName, iface, map[bool]string{true: "yes", false: "no"}[cfg.DBus])
	if err := os.WriteFile(filepath.Join(d.dir, "avahi-daemon.conf"), []byte(conf), 0o644); err != nil {
		return err
	}
	var hosts strings.Builder
	for name, addr := range cfg.Hosts {
		fmt.Fprintf(&hosts, "%s %s\n", addr, name)
	}
	if err := os.WriteFile(filepath.Join(d.dir, "hosts"), []byte(hosts.String()), 0o644); err != nil {
		return err
	}
	for i, s := range cfg.Services {
		if err := os.WriteFile(filepath.Join(d.dir, "services", fmt.Sprintf("s%03d.service", i)), []byte(serviceFile(s)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// serviceFile writes one avahi static service file (avahi.service(5)).
func serviceFile(s Service) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" standalone='no'?>\n<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n<service-group>\n")
	fmt.Fprintf(&b, "  <name>%s</name>\n  <service>\n    <type>%s</type>\n    <port>%d</port>\n", xmlEscape(s.Name), xmlEscape(s.Type), s.Port)
	if s.Host != "" {
		fmt.Fprintf(&b, "    <host-name>%s</host-name>\n", xmlEscape(s.Host))
	}
	for _, t := range s.TXT {
		fmt.Fprintf(&b, "    <txt-record>%s</txt-record>\n", xmlEscape(t))
	}
	b.WriteString("  </service>\n</service-group>\n")
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&apos;", `"`, "&quot;").Replace(s)
}

// startBus starts a private system bus whose policy lets avahi own its name
// and avahi-browse call it.
func (d *Daemon) startBus(ctx context.Context) error {
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		return fmt.Errorf("dbus-daemon is not installed: %s", Install)
	}
	sock := filepath.Join(d.dir, "system_bus_socket")
	conf := fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`, sock)
	path := filepath.Join(d.dir, "bus.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return err
	}
	d.dbus = exec.Command("dbus-daemon", "--config-file="+path, "--nofork", "--print-address")
	out, err := d.dbus.StdoutPipe()
	if err != nil {
		return err
	}
	d.dbus.Stderr = io.Discard
	if err := d.dbus.Start(); err != nil {
		return fmt.Errorf("starting a private D-Bus: %w", err)
	}
	line, err := lanhost.ReadLine(ctx, bufio.NewReader(out))
	if err != nil {
		return fmt.Errorf("starting a private D-Bus: %w", err)
	}
	d.busAddr = strings.TrimSpace(line)
	go io.Copy(io.Discard, out)
	return nil
}

// startDaemon runs avahi-daemon in a private mount namespace (a fresh /run,
// our service and hosts files in place of the system's) and, with
// Config.LAN, a network namespace of its own; it waits until the daemon
// reports every service established.
func (d *Daemon) startDaemon(ctx context.Context, cfg Config) error {
	const daemon = `mount -t tmpfs tmpfs /run
mount --bind "$dir/services" /etc/avahi/services
mount --bind "$dir/hosts" /etc/avahi/hosts
exec avahi-daemon -f "$dir/avahi-daemon.conf" --no-drop-root --no-chroot --no-rlimits --no-proc-title --debug`
	if cfg.LAN == nil {
		if err := d.writeFiles(cfg, "lo"); err != nil {
			return err
		}
		d.cmd = exec.Command("unshare", "--mount", "--propagation", "private", "--",
			"sh", "-c", "set -e\ndir=$1\n"+daemon, "sh", d.dir)
		d.cmd.Stdout = io.Discard
		// Should this process die without Close, the daemon goes too.
		d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	} else {
		lo, err := hostPrefixes(cfg.Hosts)
		if err != nil {
			return err
		}
		h, err := lanhost.Command(lanhost.Config{Local: cfg.LAN.Local, Peer: cfg.LAN.Peer, Loopback: lo},
			"dir=$1\n"+daemon, d.dir)
		if err != nil {
			return err
		}
		d.host, d.cmd = h, h.Cmd()
	}
	d.cmd.Env = append(os.Environ(), "DBUS_SYSTEM_BUS_ADDRESS="+d.busAddr)
	established := 0
	ready, err := lanhost.Start(d.cmd, "avahi-daemon", &d.out, func(line string) bool {
		if strings.Contains(line, "successfully established") {
			established++
		}
		startedUp := len(cfg.Services) == 0 && strings.Contains(line, "Server startup complete")
		return startedUp || (len(cfg.Services) > 0 && established == len(cfg.Services))
	})
	if err != nil {
		return err
	}
	if d.host != nil {
		if err := d.host.Join(ctx, func(peer string) error { return d.writeFiles(cfg, peer) }); err != nil {
			return err
		}
	}
	select {
	case err := <-ready:
		return err
	case <-ctx.Done():
		return fmt.Errorf("waiting for avahi-daemon: %w", ctx.Err())
	case <-time.After(20 * time.Second):
		return errors.New("avahi-daemon did not publish its services within 20 s")
	}
}

// hostPrefixes turns the addresses of Config.Hosts into single-address
// prefixes for the daemon's loopback.
func hostPrefixes(hosts map[string]string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for name, s := range hosts {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("address of %s: %w", name, err)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	slices.SortFunc(out, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	return out, nil
}
