//go:build linux

// Package lanhost runs a third-party daemon (avahi-daemon, minidlna) as a
// second host of a simulated home network: in a network and mount namespace
// of its own, joined to this one by a veth pair with link-local addresses
// (see netns.JoinNamespace). On a loopback-only namespace multicast queries
// leave from 0.0.0.0 and real responders ignore them; across the veth pair
// questions and answers travel as between two hosts. It is Linux-only, as
// network and mount namespaces are.
package lanhost

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/netip"
	"os/exec"
	"strconv"
	"syscall"

	"github.com/porchlight/porchlight/devices/netns"
)

// Config places the second host.
type Config struct {
	// Local is this namespace's address on the veth, for example
	// 169.254.77.1/16.
	Local netip.Prefix
	// Peer is the host's address on its end, for example 169.254.77.2/16.
	Peer netip.Prefix
	// Local6 and Peer6, when valid, are IPv6 addresses for the two ends
	// (for example fe80::1/64 and fe80::2/64), usable at once (no
	// duplicate address detection), beside the ones the kernel makes.
	Local6, Peer6 netip.Prefix
	// Loopback are more addresses for the host's loopback (single-address
	// prefixes), where a daemon must not see them on the veth.
	Loopback []netip.Prefix
}

// setup is the shell the host's namespace runs first: it says it is in its
// namespace, waits for the name of its end of the veth pair, then sets up
// that end (with the IPv4 multicast route) and the loopback addresses, and
// leaves the program's own arguments in "$@" and the end's name in $peer.
const setup = `set -e
addr=$1 addr6=$2 n=$3
shift 3
echo in
read -r peer
ip link set lo up
while [ "$n" -gt 0 ]; do ip addr add "$1" dev lo; shift; n=$((n-1)); done
ip addr add "$addr" dev "$peer"
ip link set "$peer" multicast on up
[ -z "$addr6" ] || ip -6 addr add "$addr6" dev "$peer" nodad
ip route add 224.0.0.0/4 dev "$peer"
`

// Host is the second host, prepared by Command and joined by Join.
type Host struct {
	cfg    Config
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	veth   *netns.Veth
}

// Command prepares script (run by sh once the host's network is set up,
// with args as "$1"...) in a new network namespace and a private mount
// namespace. Its standard output must not be used (the set-up talks over
// it); set Stderr or take StderrPipe from Cmd, then Start it and call Join.
func Command(cfg Config, script string, args ...string) (*Host, error) {
	for _, bin := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(bin); err != nil {
			return nil, fmt.Errorf("%s is not installed: install it with: apt-get install -y util-linux iproute2 (make test does)", bin)
		}
	}
	argv := []string{"--net", "--mount", "--propagation", "private", "--",
		"sh", "-c", setup + script, "sh", cfg.Peer.String(), "", strconv.Itoa(len(cfg.Loopback))}
	if cfg.Peer6.IsValid() {
		argv[len(argv)-2] = cfg.Peer6.String()
	}
	for _, p := range cfg.Loopback {
		argv = append(argv, p.String())
	}
	h := &Host{cfg: cfg, cmd: exec.Command("unshare", append(argv, args...)...)}
	var err error
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if h.stdout, err = h.cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	// Should this process die without Close, the program (and with it its
	// network namespace and the veth pair) goes too.
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return h, nil
}

// Cmd is the host's process, to start (and end) as the caller sees fit.
func (h *Host) Cmd() *exec.Cmd { return h.cmd }

// Join waits until the started process is in its own network namespace,
// joins that namespace to this one with a veth pair, calls prepare with the
// name of the host's end (to write the program's configuration) and lets
// the script go on.
func (h *Host) Join(ctx context.Context, prepare func(peer string) error) error {
	r := bufio.NewReader(h.stdout)
	if line, err := ReadLine(ctx, r); err != nil || line != "in\n" {
		return fmt.Errorf("the second host's network namespace: got %q, %v", line, err)
	}
	go io.Copy(io.Discard, r)
	v, err := netns.JoinNamespace(h.cmd.Process.Pid, h.cfg.Local)
	if err != nil {
		return err
	}
	h.veth = v
	if h.cfg.Local6.IsValid() {
		if out, err := exec.Command("ip", "-6", "addr", "add", h.cfg.Local6.String(), "dev", v.Name, "nodad").CombinedOutput(); err != nil {
			return fmt.Errorf("the IPv6 address of %s: %w: %s", v.Name, err, out)
		}
	}
	if prepare != nil {
		if err := prepare(v.Peer); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(h.stdin, v.Peer); err != nil {
		return fmt.Errorf("the second host's network namespace: %w", err)
	}
	return h.stdin.Close()
}

// Interface is the name of this namespace's end of the veth pair, the
// interface to scan on; empty before Join.
func (h *Host) Interface() string {
	if h.veth == nil {
		return ""
	}
	return h.veth.Name
}

// Close deletes the veth pair; the program is the caller's to end (its
// network namespace ends with it).
func (h *Host) Close() error {
	if h.veth == nil {
		return nil
	}
	return h.veth.Close()
}

// ReadLine reads one line from r, or gives up when ctx ends (the line is
// then read, and dropped, whenever it comes).
func ReadLine(ctx context.Context, r *bufio.Reader) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := r.ReadString('\n')
		ch <- result{s, err}
	}()
	select {
	case res := <-ch:
		return res.s, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
