//go:build !linux

package igd

import "net/netip"

// DefaultGateway reports nothing outside Linux: the router is found by
// its SSDP answer alone.
func DefaultGateway() (netip.Addr, bool) { return netip.Addr{}, false }
