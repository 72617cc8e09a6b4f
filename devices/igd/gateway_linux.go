//go:build linux

package igd

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"os"
	"strings"

	"github.com/porchlight/porchlight/devices/devhttp"
)

// DefaultGateway returns the IPv4 default route's gateway from
// /proc/net/route, when it is a home-network address: a hint of which
// router is the household's, never a reason to contact anything.
func DefaultGateway() (netip.Addr, bool) {
	f, err := os.Open("/proc/net/route")
	if err != nil {
		return netip.Addr{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[1] != "00000000" {
			continue
		}
		b, err := hex.DecodeString(fields[2])
		if err != nil || len(b) != 4 {
			continue
		}
		var a [4]byte
		binary.LittleEndian.PutUint32(a[:], binary.BigEndian.Uint32(b))
		gw := netip.AddrFrom4(a)
		if gw.IsUnspecified() || devhttp.CheckLocal(gw) != nil {
			continue
		}
		return gw, true
	}
	return netip.Addr{}, false
}
