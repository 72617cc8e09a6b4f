// Package netns guards networked code and tests: they may run only inside an
// isolated network namespace whose sole interface is loopback, so that no
// mDNS query, scan or lab traffic ever reaches a real network.
package netns

import (
	"fmt"
	"net"
	"strings"
)

// HowToRun tells a developer how to run networked code safely.
const HowToRun = "run it inside an isolated network namespace: `make test`, or `.ci/in-netns <command>`"

// Check returns nil when loopback is the only network interface of this
// process's network namespace, and an error naming the others otherwise.
// Loopback must also be up and able to multicast, or mDNS cannot work there.
func Check() error {
	ifaces, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("listing network interfaces: %w", err)
	}
	return check(ifaces)
}

func check(ifaces []net.Interface) error {
	var others []string
	loopbackReady := false
	for _, ifi := range ifaces {
		if ifi.Flags&net.FlagLoopback == 0 {
			others = append(others, ifi.Name)
			continue
		}
		loopbackReady = ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0
	}
	if len(others) > 0 {
		return fmt.Errorf("refusing to run networked code: this network namespace has interfaces other than loopback (%s); %s",
			strings.Join(others, ", "), HowToRun)
	}
	if !loopbackReady {
		return fmt.Errorf("loopback is not up with multicast on in this network namespace; %s", HowToRun)
	}
	return nil
}
