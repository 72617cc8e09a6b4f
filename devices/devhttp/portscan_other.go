//go:build !linux

package devhttp

import (
	"context"
	"net/netip"
	"time"
)

// openPortsDirect has no fast path here: OpenPorts dials each port.
func openPortsDirect(context.Context, netip.Addr, []int, time.Duration, int) ([]int, bool) {
	return nil, false
}
