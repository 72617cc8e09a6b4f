package netns

import (
	"net"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	lo := net.Interface{Name: "lo", Flags: net.FlagUp | net.FlagLoopback | net.FlagMulticast}
	loNoMulticast := net.Interface{Name: "lo", Flags: net.FlagUp | net.FlagLoopback}
	eth := net.Interface{Name: "eth0", Flags: net.FlagUp | net.FlagMulticast | net.FlagBroadcast}
	down := net.Interface{Name: "ifb0", Flags: net.FlagBroadcast}
	tests := []struct {
		name    string
		ifaces  []net.Interface
		wantErr string
	}{
		{"loopback only", []net.Interface{lo}, ""},
		{"real interface", []net.Interface{lo, eth}, "eth0"},
		{"interface that is down still counts", []net.Interface{lo, down}, "ifb0"},
		{"loopback without multicast", []net.Interface{loNoMulticast}, "multicast"},
		{"no loopback", nil, "loopback is not up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.ifaces)
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
