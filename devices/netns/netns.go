// Package netns guards networked code and tests: they may run only inside an
// isolated network namespace whose interfaces are loopback and, at most, veth
// pairs this process made to a second isolated namespace (see JoinNamespace),
// so that no mDNS query, scan or lab traffic ever reaches a real network.
package netns

import (
	"fmt"
	"net"
	"strings"
	"sync"
)

// HowToRun tells a developer how to run networked code safely.
const HowToRun = "run it inside an isolated network namespace: `make test`, or `.ci/in-netns <command>`"

// VethPrefix begins the names of both ends of every veth pair JoinNamespace
// makes. Check accepts such an interface only while the pair that made it is
// open, and only with the index it was created with.
const VethPrefix = "plveth"

// held maps the name of our end of each open veth pair to its interface index.
var held struct {
	mu    sync.Mutex
	links map[string]int
}

// Check returns nil when loopback is the only network interface of this
// process's network namespace, apart from the ends of veth pairs this process
// made with JoinNamespace and has not closed, and an error naming the others
// otherwise. Loopback must also be up and able to multicast, or mDNS cannot
// work there.
func Check() error {
	ifaces, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("listing network interfaces: %w", err)
	}
	held.mu.Lock()
	defer held.mu.Unlock()
	return check(ifaces, held.links)
}

// check is Check on a list of interfaces, given the open veth pairs (our
// ends' names and indexes).
func check(ifaces []net.Interface, veths map[string]int) error {
	var others []string
	loopbackReady := false
	for _, ifi := range ifaces {
		if ifi.Flags&net.FlagLoopback != 0 {
			loopbackReady = ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0
			continue
		}
		if idx, ok := veths[ifi.Name]; ok && idx == ifi.Index && strings.HasPrefix(ifi.Name, VethPrefix) {
			continue
		}
		others = append(others, ifi.Name)
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
