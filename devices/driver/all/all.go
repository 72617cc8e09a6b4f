// Package all registers every device driver: import it for its side effect
// and find a family's driver with driver.For.
//
//	import _ "github.com/porchlight/porchlight/devices/driver/all"
package all

import (
	// Each driver registers itself in its init.
	_ "github.com/porchlight/porchlight/devices/driver/hue"
	_ "github.com/porchlight/porchlight/devices/driver/shellygen1"
	_ "github.com/porchlight/porchlight/devices/driver/shellygen2"
	_ "github.com/porchlight/porchlight/devices/driver/tasmota"
	_ "github.com/porchlight/porchlight/devices/driver/wled"
)
