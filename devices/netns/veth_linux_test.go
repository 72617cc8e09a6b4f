package netns

import (
	"bufio"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestNetDevNames(t *testing.T) {
	const table = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
plveth1b:     90       1    0    0    0     0          0         0        0       0    0    0    0     0       0          0
`
	tests := []struct {
		name, table string
		want        []string
		wantErr     bool
	}{
		{"loopback and a veth end", table, []string{"lo", "plveth1b"}, false},
		{"headers only", strings.Join(strings.SplitN(table, "\n", 3)[:2], "\n"), nil, false},
		{"a line without a name", table + "garbage\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := netDevNames(strings.NewReader(tt.table))
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Errorf("netDevNames = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// startPeer starts a process in a fresh network namespace (only loopback)
// and returns its pid once it is in there; closing end ends it.
func startPeer(t *testing.T) (pid int, end func()) {
	t.Helper()
	cmd := exec.Command("unshare", "--net", "--", "sh", "-c", "echo in; read -r _")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("unshare --net: %v", err)
	}
	end = sync.OnceFunc(func() {
		in.Close()
		_ = cmd.Wait()
	})
	t.Cleanup(end)
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "in\n" {
		t.Fatalf("unshare --net said %q, %v", line, err)
	}
	return cmd.Process.Pid, end
}

// TestJoinNamespace makes a veth pair to a fresh namespace: Check accepts
// its end while the pair is open, and refuses a peer that is this
// namespace or has more than loopback. Networked: run it with .ci/in-netns.
func TestJoinNamespace(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	local := netip.MustParsePrefix("169.254.99.1/16")
	if _, err := JoinNamespace(os.Getpid(), local); err == nil || !strings.Contains(err.Error(), "shares this network namespace") {
		t.Fatalf("JoinNamespace(own pid) = %v, want a refusal", err)
	}
	peer, _ := startPeer(t)
	v, err := JoinNamespace(peer, local)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if !strings.HasPrefix(v.Name, VethPrefix) || !strings.HasPrefix(v.Peer, VethPrefix) {
		t.Errorf("names %q, %q lack the prefix %q", v.Name, v.Peer, VethPrefix)
	}
	if err := Check(); err != nil {
		t.Errorf("Check with our veth pair open: %v", err)
	}
	ifi, err := net.InterfaceByName(v.Name)
	if err != nil {
		t.Fatal(err)
	}
	if ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagMulticast == 0 {
		t.Errorf("%s flags %v, want up and multicast", v.Name, ifi.Flags)
	}
	addrs, _ := ifi.Addrs()
	if len(addrs) != 1 || addrs[0].String() != local.String() {
		t.Errorf("%s addresses %v, want %v", v.Name, addrs, local)
	}
	f, err := os.Open("/proc/" + strconv.Itoa(peer) + "/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	peerNames, err := netDevNames(f)
	f.Close()
	if err != nil || !slices.Contains(peerNames, v.Peer) {
		t.Errorf("the peer namespace has %q (%v), want %s in it", peerNames, err, v.Peer)
	}
	// The peer now has more than loopback: nobody may join it again.
	if _, err := JoinNamespace(peer, netip.MustParsePrefix("169.254.99.3/16")); err == nil || !strings.Contains(err.Error(), "other than loopback") {
		t.Errorf("JoinNamespace(peer with a veth) = %v, want a refusal", err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.InterfaceByName(v.Name); err == nil {
		t.Errorf("%s still exists after Close", v.Name)
	}
	if err := Check(); err != nil {
		t.Errorf("Check after Close: %v", err)
	}
}

// TestVethCloseAfterItsNamespaceEnded: when the other namespace ends, the
// kernel removes the pair (soon after); Close then succeeds all the same
// and Check no longer accepts the name.
func TestVethCloseAfterItsNamespaceEnded(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	peer, end := startPeer(t)
	v, err := JoinNamespace(peer, netip.MustParsePrefix("169.254.99.1/16"))
	if err != nil {
		t.Fatal(err)
	}
	end()
	if err := v.Close(); err != nil {
		t.Errorf("Close after the peer namespace ended: %v", err)
	}
	held.mu.Lock()
	_, still := held.links[v.Name]
	held.mu.Unlock()
	if still {
		t.Errorf("%s still held after Close", v.Name)
	}
}
