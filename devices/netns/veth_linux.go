package netns

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// vethSeq numbers the veth pairs this process makes, so their names differ.
var vethSeq atomic.Int64

// Veth is a veth pair joining this network namespace to a second one, like
// a cable between two hosts of a home network. Check accepts its end here
// until Close.
type Veth struct {
	// Name is the pair's end in this namespace; Peer is its end in the other.
	Name, Peer string

	index int
	once  sync.Once
	err   error
}

// JoinNamespace makes a veth pair between this network namespace and that of
// process pid, gives this end the address local (for example a link-local
// 169.254.1.1/16), turns multicast on and brings it up. The other end, Peer,
// is left for the other namespace to configure. It refuses unless this
// namespace passes Check and the other one is a different namespace whose
// only interface is loopback (a fresh one, made by `unshare --net`): no end
// of the pair can ever reach a real network. Close the pair when done.
func JoinNamespace(pid int, local netip.Prefix) (*Veth, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	if err := checkPeer(pid); err != nil {
		return nil, err
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, errors.New("ip is not installed: install it with: apt-get install -y iproute2 (make test does)")
	}
	n := vethSeq.Add(1)
	v := &Veth{Name: fmt.Sprintf("%s%da", VethPrefix, n), Peer: fmt.Sprintf("%s%db", VethPrefix, n)}
	if err := ipCommand("link", "add", v.Name, "type", "veth", "peer", "name", v.Peer, "netns", strconv.Itoa(pid)); err != nil {
		return nil, err
	}
	ifi, err := net.InterfaceByName(v.Name)
	if err != nil {
		_ = ipCommand("link", "del", v.Name)
		return nil, fmt.Errorf("the veth pair just made: %w", err)
	}
	v.index = ifi.Index
	held.mu.Lock()
	if held.links == nil {
		held.links = make(map[string]int)
	}
	held.links[v.Name] = v.index
	held.mu.Unlock()
	for _, args := range [][]string{
		{"addr", "add", local.String(), "dev", v.Name},
		{"link", "set", v.Name, "multicast", "on", "up"},
	} {
		if err := ipCommand(args...); err != nil {
			_ = v.Close()
			return nil, err
		}
	}
	return v, nil
}

// Close deletes the pair (both ends) unless it has gone already, as it does
// when the other namespace ends; from then on Check refuses an interface of
// that name.
func (v *Veth) Close() error {
	v.once.Do(func() {
		if v.present() {
			if err := ipCommand("link", "del", v.Name); err != nil && v.present() {
				v.err = err
			}
		}
		held.mu.Lock()
		delete(held.links, v.Name)
		held.mu.Unlock()
	})
	return v.err
}

// present reports whether our end of the pair still exists.
func (v *Veth) present() bool {
	ifi, err := net.InterfaceByIndex(v.index)
	return err == nil && ifi.Name == v.Name
}

// checkPeer refuses unless process pid lives in another network namespace
// whose only interface is loopback.
func checkPeer(pid int) error {
	self, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		return fmt.Errorf("this process's network namespace: %w", err)
	}
	other, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/net")
	if err != nil {
		return fmt.Errorf("the network namespace of process %d: %w", pid, err)
	}
	if self == other {
		return fmt.Errorf("refusing to join process %d: it shares this network namespace", pid)
	}
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/net/dev")
	if err != nil {
		return fmt.Errorf("the interfaces of process %d: %w", pid, err)
	}
	defer f.Close()
	names, err := netDevNames(f)
	if err != nil {
		return fmt.Errorf("the interfaces of process %d: %w", pid, err)
	}
	if !slices.Equal(names, []string{"lo"}) {
		return fmt.Errorf("refusing to join process %d: its network namespace has interfaces other than loopback (%s)",
			pid, strings.Join(names, ", "))
	}
	return nil
}

// netDevNames lists the interfaces in a /proc/PID/net/dev table.
func netDevNames(r io.Reader) ([]string, error) {
	var names []string
	sc := bufio.NewScanner(r)
	for line := 0; sc.Scan(); line++ {
		if line < 2 { // two header lines
			continue
		}
		name, _, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			return nil, fmt.Errorf("unexpected line %q", sc.Text())
		}
		names = append(names, strings.TrimSpace(name))
	}
	return names, sc.Err()
}

// ipCommand runs iproute2's ip with args.
func ipCommand(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
