//go:build linux

// Package minidlna runs minidlna (minidlnad), a real third-party UPnP
// AV media server with its own SSDP responder, as a second host of a
// simulated home network (see lanhost), so that SSDP discovery and
// description reading are tested against code nobody here wrote. It runs
// only in an isolated network namespace (see netns.Check) and is
// Linux-only.
package minidlna

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim/lanhost"
)

// Install tells a developer how to get what this package runs.
const Install = "install it with: apt-get install -y minidlna iproute2 util-linux (make test does)"

// Manufacturer is what minidlna puts in its description's manufacturer
// element: its configuration cannot change it (ROOTDEV_MANUFACTURER in
// https://sourceforge.net/p/minidlna/git/ci/master/tree/upnpdescstrings.h).
const Manufacturer = "Justin Maggard"

// Port is the HTTP port the daemon serves its description on.
const Port = 8200

// Config is what the daemon's configuration file says.
type Config struct {
	// FriendlyName, ModelName, ModelNumber and Serial are minidlna.conf's
	// friendly_name, model_name, model_number and serial.
	FriendlyName, ModelName, ModelNumber, Serial string
	// Local is this namespace's address on the veth pair; Peer is the
	// daemon's.
	Local, Peer netip.Prefix
}

// Daemon is a running minidlnad.
type Daemon struct {
	// out keeps the daemon's last lines of output.
	out lanhost.Output

	host *lanhost.Host
	cmd  *exec.Cmd
	dir  string
	once sync.Once
}

// daemon is the script run on the second host: minidlnad in the foreground
// (-d), its log on standard error.
const daemon = `dir=$1
exec minidlnad -d -f "$dir/minidlna.conf" -P "$dir/minidlna.pid" >&2`

// Start runs minidlnad on a second host and returns once it has sent its
// first announcement (its SSDP socket is then open).
func Start(ctx context.Context, cfg Config) (*Daemon, error) {
	if err := netns.Check(); err != nil {
		return nil, err
	}
	if _, err := exec.LookPath("minidlnad"); err != nil {
		return nil, fmt.Errorf("minidlnad is not installed: %s", Install)
	}
	dir, err := os.MkdirTemp("", "porchlight-minidlna-")
	if err != nil {
		return nil, err
	}
	d := &Daemon{dir: dir}
	if err := d.start(ctx, cfg); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Daemon) start(ctx context.Context, cfg Config) error {
	for _, sub := range []string{"media", "db", "log"} {
		if err := os.MkdirAll(filepath.Join(d.dir, sub), 0o755); err != nil {
			return err
		}
	}
	h, err := lanhost.Command(lanhost.Config{Local: cfg.Local, Peer: cfg.Peer}, daemon, d.dir)
	if err != nil {
		return err
	}
	d.host, d.cmd = h, h.Cmd()
	ready, err := lanhost.Start(d.cmd, "minidlnad", &d.out, func(line string) bool { return strings.Contains(line, "Sending ssdp:alive") })
	if err != nil {
		return err
	}
	if err := h.Join(ctx, func(peer string) error { return d.writeConf(cfg, peer) }); err != nil {
		return err
	}
	select {
	case err := <-ready:
		return err
	case <-ctx.Done():
		return fmt.Errorf("waiting for minidlnad: %w", ctx.Err())
	case <-time.After(20 * time.Second):
		return errors.New("minidlnad did not announce itself within 20 s")
	}
}

// writeConf writes minidlna.conf (minidlna.conf(5)) for the interface iface.
func (d *Daemon) writeConf(cfg Config, iface string) error {
	conf := fmt.Sprintf(`network_interface=%s
port=%d
media_dir=%s
db_dir=%s
log_dir=%s
friendly_name=%s
model_name=%s
model_number=%s
serial=%s
inotify=no
notify_interval=900
`, iface, Port, filepath.Join(d.dir, "media"), filepath.Join(d.dir, "db"), filepath.Join(d.dir, "log"),
		cfg.FriendlyName, cfg.ModelName, cfg.ModelNumber, cfg.Serial)
	return os.WriteFile(filepath.Join(d.dir, "minidlna.conf"), []byte(conf), 0o644)
}

// Interface is this namespace's end of the veth pair, the interface to scan on.
func (d *Daemon) Interface() string { return d.host.Interface() }

// Log returns the daemon's last 40 lines of output, for a failing test to show.
func (d *Daemon) Log() string { return d.out.String() }

// Close stops the daemon, deletes the veth pair and removes its files.
func (d *Daemon) Close() error {
	d.once.Do(func() {
		if d.host != nil {
			_ = d.host.Close()
		}
		if d.cmd != nil && d.cmd.Process != nil {
			_ = d.cmd.Process.Kill()
			_ = d.cmd.Wait()
		}
		os.RemoveAll(d.dir)
	})
	return nil
}
