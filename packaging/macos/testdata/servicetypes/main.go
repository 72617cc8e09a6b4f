// Command servicetypes prints the mDNS service types that Porchlight
// browses, one a line, as the Go compiler sees them (discover.KnownTypes).
// .ci/package-check compares them with what add-plist-keys.sh reads from
// devices/discover/types.go, so the macOS Info.plist cannot drift from the
// code. It lives under testdata so that ./... patterns skip it.
package main

import (
	"fmt"

	"github.com/porchlight/porchlight/devices/discover"
)

func main() {
	for _, t := range discover.KnownTypes {
		fmt.Println(t)
	}
}
