package netns

import (
	"net"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	lo := net.Interface{Index: 1, Name: "lo", Flags: net.FlagUp | net.FlagLoopback | net.FlagMulticast}
	loNoMulticast := net.Interface{Index: 1, Name: "lo", Flags: net.FlagUp | net.FlagLoopback}
	eth := net.Interface{Index: 2, Name: "eth0", Flags: net.FlagUp | net.FlagMulticast | net.FlagBroadcast}
	down := net.Interface{Index: 3, Name: "ifb0", Flags: net.FlagBroadcast}
	veth := net.Interface{Index: 7, Name: VethPrefix + "1a", Flags: net.FlagUp | net.FlagMulticast | net.FlagBroadcast}
	ours := map[string]int{VethPrefix + "1a": 7}
	tests := []struct {
		name    string
		ifaces  []net.Interface
		veths   map[string]int
		wantErr string
	}{
		{"loopback only", []net.Interface{lo}, nil, ""},
		{"real interface", []net.Interface{lo, eth}, nil, "eth0"},
		{"interface that is down still counts", []net.Interface{lo, down}, nil, "ifb0"},
		{"loopback without multicast", []net.Interface{loNoMulticast}, nil, "multicast"},
		{"no loopback", nil, nil, "loopback is not up"},
		{"a veth pair we hold", []net.Interface{lo, veth}, ours, ""},
		{"a veth pair we hold, beside a real interface", []net.Interface{lo, veth, eth}, ours, "eth0"},
		{"a veth pair we closed", []net.Interface{lo, veth}, nil, VethPrefix + "1a"},
		{"our veth's name on another interface", []net.Interface{lo, veth}, map[string]int{VethPrefix + "1a": 8}, VethPrefix + "1a"},
		{"a held name without our prefix", []net.Interface{lo, eth}, map[string]int{"eth0": 2}, "eth0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.ifaces, tt.veths)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("check() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("check() = %v, want an error mentioning %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "make test") {
				t.Errorf("check() = %v, want it to say how to run networked code", err)
			}
		})
	}
}
