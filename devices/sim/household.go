package sim

import (
	"fmt"
	"net/netip"
	"strings"
)

// Profile names a simulated household.
type Profile string

// The lab's households.
const (
	// ProfileHome is a mixed household: one device of every simulated
	// family and eleven more that announce themselves as real devices of
	// other makers do (household_announced.go).
	ProfileHome Profile = "home"
	// ProfileLarge is a household of many devices (250 by default) of mixed families.
	ProfileLarge Profile = "large"
	// ProfileHostile is a household of devices that attack the scanner: malformed
	// and flooding announcements, hostile names, oversized records.
	ProfileHostile Profile = "hostile"
)

// DefaultLargeDevices is the size of the large household when none is given.
const DefaultLargeDevices = 250

// MaxDevices bounds the size of any household (addresses and sockets are finite).
const MaxDevices = 4000

// ParseProfile returns the profile with the given name.
func ParseProfile(name string) (Profile, error) {
	switch p := Profile(name); p {
	case ProfileHome, ProfileLarge, ProfileHostile:
		return p, nil
	}
	return "", fmt.Errorf("unknown lab profile %q: choose home, large or hostile", name)
}

// Household builds the devices of a profile. n is the number of devices for
// Large (0 means DefaultLargeDevices) and is ignored by the other profiles.
func Household(p Profile, n int) ([]*Device, error) {
	switch p {
	case ProfileHome:
		return homeHousehold(), nil
	case ProfileLarge:
		if n == 0 {
			n = DefaultLargeDevices
		}
		if n < 1 || n > MaxDevices {
			return nil, fmt.Errorf("a large household has 1 to %d devices, not %d", MaxDevices, n)
		}
		return largeHousehold(n), nil
	case ProfileHostile:
		return hostileHousehold(), nil
	}
	return nil, fmt.Errorf("unknown lab profile %q", p)
}

// Addr returns the loopback address of the i-th device (0-based, below
// MaxDevices): 127.77.0.1 ... 127.77.0.254, 127.77.1.1 ... never .0 or .255.
func Addr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, 77, byte(i / 254), byte(i%254 + 1)})
}

// macFor returns a stable, locally administered MAC for device i of a family.
func macFor(prefix [3]byte, i int) string {
	return fmt.Sprintf("%02X%02X%02X%02X%02X%02X", prefix[0], prefix[1], prefix[2], byte(i>>16), byte(i>>8), byte(i))
}

// Vendor address prefixes (real OUIs, so identification by MAC can be tested).
var (
	ouiShelly   = [3]byte{0xA8, 0x03, 0x2A}
	ouiShelly1  = [3]byte{0x98, 0xCD, 0xAC}
	ouiEspress  = [3]byte{0x24, 0x6F, 0x28}
	ouiSignify  = [3]byte{0xEC, 0xB5, 0xFA}
	ouiBrother  = [3]byte{0x30, 0x05, 0x5C}
	ouiGoogle   = [3]byte{0x54, 0x60, 0x09}
	ouiEve      = [3]byte{0x70, 0x88, 0x6B}
	ouiSonos    = [3]byte{0x34, 0x7E, 0x5C}
	ouiElgato   = [3]byte{0x3C, 0x6A, 0x9D}
	ouiRaspi    = [3]byte{0xB8, 0x27, 0xEB}
	ouiMatterTI = [3]byte{0x00, 0x12, 0x4B}
)

// builder makes one device of a family from its index, friendly name and address.
type builder func(i int, name string, addr netip.Addr) *Device

// builders lists every family in a fixed order; the large household cycles through it.
var builders = []struct {
	family Family
	build  builder
	names  []string
}{
	{ShellyGen1, newShellyGen1, []string{"Küche Licht", "Garage Tor", "Flurlicht"}},
	{ShellyGen2, newShellyGen2, []string{"Wohnzimmer Steckdose", "Waschmaschine", "Heizlüfter Bad"}},
	{Tasmota, newTasmota, []string{"Flur Sensor", "Aquarium Pumpe", "Balkon Lichterkette"}},
	{WLED, newWLED, []string{"Kinderzimmer.Nachtlicht", "TV Backlight", "Treppe LEDs"}},
	{ESPHome, newESPHome, []string{"Garage Door", "Klima Schlafzimmer", "Wetterstation"}},
	{HueBridge, newHueBridge, []string{"Philips Hue", "Hue Bridge Keller", "Hue Bridge Büro"}},
	{IPPPrinter, newIPPPrinter, []string{"Brother HL-L2350DW (Büro)", "Drucker Flur", "Fotodrucker"}},
	{Chromecast, newChromecast, []string{"Living Room TV", "Küche Speaker", "Schlafzimmer TV"}},
	{HomeKit, newHomeKit, []string{"Eve Energy Wohnzimmer", "Türsensor Haustür", "Thermostat Bad"}},
	{Matter, newMatter, []string{"Smart Plug", "Stehlampe", "Bewegungsmelder"}},
	{Sonos, newSonos, []string{"Esszimmer", "Bad", "Arbeitszimmer"}},
	{Elgato, newElgato, []string{"Elgato Key Light", "Key Light Air", "Ring Light"}},
	{OctoPrint, newOctoPrint, []string{"Prusa MK3S (Werkstatt)", "Ender 3", "Voron 2.4"}},
}

// homeHousehold is one device of every family plus a second WLED and a
// second Shelly, with names as people write them, and the devices of other
// makers that only announce themselves or speak a simulated family's API.
func homeHousehold() []*Device {
	var ds []*Device
	for i, b := range builders {
		ds = append(ds, b.build(i, b.names[0], Addr(len(ds))))
	}
	// OTA lock on with WLED's documented default passphrase: a device that
	// accepts its vendor's factory password.
	ds = append(ds, withWLEDOTALock(newWLED(20, "Schreibtisch Lampe", Addr(len(ds))), WLEDDefaultOTAPassword))
	// Auth on with a password only the simulator knows (GartenpumpePassword).
	ds = append(ds, withShellyGen2Password(newShellyGen2(21, "Gartenpumpe", Addr(len(ds))), GartenpumpePassword))
	for _, build := range announcedDevices(30) {
		ds = append(ds, build(Addr(len(ds))))
	}
	return ds
}

// largeHousehold cycles through the families until it has n devices.
func largeHousehold(n int) []*Device {
	ds := make([]*Device, 0, n)
	for i := 0; i < n; i++ {
		b := builders[i%len(builders)]
		round := i / len(builders)
		name := b.names[round%len(b.names)]
		if round >= len(b.names) {
			name = fmt.Sprintf("%s %d", name, round/len(b.names)+1)
		}
		ds = append(ds, b.build(i, name, Addr(i)))
	}
	return ds
}

// hostname turns a friendly name into an mDNS host label, as firmware does.
func hostname(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

func newShellyGen1(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiShelly1, i)
	host := "shelly1-" + mac[6:]
	return &Device{
		Family: ShellyGen1, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "SHSW-1", Firmware: "20230913-112003/v1.14.0-gcb84623",
		Services:  []Service{{Type: "_http._tcp", Instance: host, Port: 80, TXT: nil}},
		HTTPPorts: []int{80},
		state:     state{latestFirmware: "20230913-112003/v1.14.1-g3ea2bf5"},
	}
}

func newShellyGen2(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiShelly, i)
	host := "shellyplusplugs-" + strings.ToLower(mac)
	txt := []string{"gen=2", "app=PlusPlugS", "ver=1.4.4"}
	return &Device{
		Family: ShellyGen2, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "SNPL-00112EU", Firmware: "1.4.4",
		Services: []Service{
			{Type: "_shelly._tcp", Instance: host, Port: 80, TXT: txt},
			{Type: "_http._tcp", Instance: host, Port: 80, TXT: txt},
		},
		HTTPPorts: []int{80},
		state:     state{latestFirmware: "1.6.2"},
	}
}

func newTasmota(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiEspress, i)
	host := fmt.Sprintf("tasmota-%s-%04d", mac[6:], i%10000)
	return &Device{
		Family: Tasmota, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "Sonoff Basic", Firmware: "13.2.0(tasmota)",
		Services:  []Service{{Type: "_http._tcp", Instance: host, Port: 80}},
		HTTPPorts: []int{80},
		state:     state{latestFirmware: "14.3.0"},
	}
}

func newWLED(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiEspress, 0x100000+i)
	host := "wled-" + strings.ToLower(mac[6:])
	return &Device{
		Family: WLED, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "ESP32", Firmware: "0.14.4",
		Services: []Service{
			{Type: "_wled._tcp", Instance: name, Port: 80, TXT: []string{"mac=" + strings.ToLower(mac)}},
			{Type: "_http._tcp", Instance: name, Port: 80},
		},
		HTTPPorts: []int{80},
		state:     state{latestFirmware: "0.15.0"},
	}
}

func newESPHome(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiEspress, 0x200000+i)
	host := hostname(name)
	if host == "" {
		host = "esphome-" + strings.ToLower(mac[6:])
	}
	return &Device{
		Family: ESPHome, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "esp32dev", Firmware: "2024.6.1",
		Services: []Service{
			{Type: "_esphomelib._tcp", Instance: host, Port: 6053, TXT: []string{
				"friendly_name=" + name, "version=2024.6.1", "mac=" + strings.ToLower(mac),
				"platform=ESP32", "board=esp32dev", "network=wifi",
				"api_encryption_supported=Noise_NNpsk0_25519_ChaChaPoly_SHA256",
			}},
			{Type: "_http._tcp", Instance: host, Port: 80},
		},
		HTTPPorts: []int{80},
		state:     state{latestFirmware: "2025.10.3"},
	}
}

func newHueBridge(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiSignify, i)
	bridgeID := mac[:6] + "FFFE" + mac[6:]
	instance := fmt.Sprintf("%s - %s", name, mac[6:])
	return &Device{
		Family: HueBridge, Name: name, Host: strings.ToLower(mac), Addr: addr, MAC: mac,
		Model: "BSB002", Firmware: "1967054020",
		Services: []Service{{Type: "_hue._tcp", Instance: instance, Port: 443, TXT: []string{
			"bridgeid=" + strings.ToLower(bridgeID), "modelid=BSB002",
		}}},
		HTTPPorts: []int{80},
		TLSPorts:  []int{443},
		state:     state{latestFirmware: "1968096020"},
	}
}

func newIPPPrinter(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiBrother, i)
	host := "brn" + strings.ToLower(mac)
	admin := "http://" + host + ".local./"
	return &Device{
		Family: IPPPrinter, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "Brother HL-L2350DW series", Firmware: "1.62",
		Services: []Service{
			{Type: "_ipp._tcp", Instance: name, Port: 631, TXT: []string{
				"txtvers=1", "qtotal=1", "rp=ipp/print", "ty=Brother HL-L2350DW series",
				"adminurl=" + admin, "note=Büro", "product=(Brother HL-L2350DW series)",
				"pdl=application/octet-stream,image/urf,image/pwg-raster", "Color=F", "Duplex=T",
				"UUID=e3248000-80ce-11db-8000-" + strings.ToLower(mac),
			}},
			{Type: "_http._tcp", Instance: name, Port: 80},
		},
		HTTPPorts: []int{80, 631},
		state:     state{latestFirmware: "1.70"},
	}
}

func newChromecast(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiGoogle, i)
	id := fmt.Sprintf("5e4b1c2d%08x3f6a7b8c9d0e1f2a", i)
	return &Device{
		Family: Chromecast, Name: name, Host: id, Addr: addr, MAC: mac,
		Model: "Chromecast", Firmware: "1.56.500000",
		Services: []Service{{Type: "_googlecast._tcp", Instance: "Chromecast-" + id, Port: 8009, TXT: []string{
			"id=" + id, "cd=8A3C2F4B1D6E7F809A1B2C3D4E5F6071", "rm=", "ve=05",
			"md=Chromecast", "ic=/setup/icon.png", "fn=" + name, "ca=201221", "st=0", "bs=FA8FCA7B3C12", "nf=1", "rs=",
		}}},
		HTTPPorts: []int{8008},
		state:     state{latestFirmware: "1.56.500000"},
	}
}

func newHomeKit(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiEve, i)
	id := strings.Join([]string{mac[0:2], mac[2:4], mac[4:6], mac[6:8], mac[8:10], mac[10:12]}, ":")
	return &Device{
		Family: HomeKit, Name: name, Host: hostname(name), Addr: addr, MAC: mac,
		Model: "Eve Energy 20EBO8301", Firmware: "3.2.1",
		Services: []Service{{Type: "_hap._tcp", Instance: name, Port: 51827, TXT: []string{
			"c#=2", "ff=2", "id=" + id, "md=Eve Energy 20EBO8301", "pv=1.1", "s#=1", "sf=1", "ci=7", "sh=Uj3Qbg==",
		}}},
		HTTPPorts: []int{51827},
	}
}

func newMatter(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiMatterTI, i)
	instance := fmt.Sprintf("%016X", uint64(0xD4A1C2B3E5F60000)+uint64(i))
	return &Device{
		Family: Matter, Name: name, Host: strings.ToLower(mac) + "0000", Addr: addr, MAC: mac,
		Model: "65521+32769", Firmware: "",
		Services: []Service{{Type: "_matterc._udp", Instance: instance, Port: 5540, TXT: []string{
			fmt.Sprintf("D=%d", 3840+i%256), "VP=65521+32769", "CM=1", "DT=266", "DN=" + name,
			"SII=5000", "SAI=300", "T=0", "PH=33", "PI=",
		}}},
	}
}

func newSonos(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiSonos, i)
	return &Device{
		Family: Sonos, Name: name, Host: "Sonos-" + mac, Addr: addr, MAC: mac,
		Model: "Sonos One", Firmware: "79.1-52294",
		Services: []Service{{Type: "_sonos._tcp", Instance: fmt.Sprintf("RINCON_%s01400@%s", mac, name), Port: 1443, TXT: []string{
			"info=/api/v1/players/RINCON_" + mac + "01400/info", "vers=3", "protovers=1.24.1",
			"bootseq=42", "hhid=Sonos_household", "mhhid=Sonos_household.0", "locationid=lc_household", "model=S18",
		}}},
		HTTPPorts: []int{1400},
		state:     state{latestFirmware: "85.0-64200"},
	}
}

func newElgato(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiElgato, i)
	id := strings.Join([]string{mac[0:2], mac[2:4], mac[4:6], mac[6:8], mac[8:10], mac[10:12]}, ":")
	return &Device{
		Family: Elgato, Name: name, Host: "elgato-key-light-" + strings.ToLower(mac[8:]), Addr: addr, MAC: mac,
		Model: "Elgato Key Light 20GAK9901", Firmware: "1.0.3",
		Services: []Service{{Type: "_elg._tcp", Instance: fmt.Sprintf("%s %s", name, mac[8:]), Port: 9123, TXT: []string{
			"mf=Elgato", "dt=53", "id=" + id, "md=Elgato Key Light 20GAK9901", "pv=1.0",
		}}},
		HTTPPorts: []int{9123},
		state:     state{latestFirmware: "1.0.3"},
	}
}

func newOctoPrint(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiRaspi, i)
	host := "octopi"
	if i > 0 {
		host = fmt.Sprintf("octopi-%d", i)
	}
	txt := []string{"path=/", "version=1.10.2", "api=0.1", "model=Original Prusa i3 MK3S", "vendor=Prusa Research",
		"uuid=0c6e7a3e-7a4e-4d3b-9a1c-" + strings.ToLower(mac), "u=pi", "p=raspberry"}
	return &Device{
		Family: OctoPrint, Name: name, Host: host, Addr: addr, MAC: mac,
		Model: "OctoPrint", Firmware: "1.10.2",
		Services: []Service{
			{Type: "_octoprint._tcp", Instance: name, Port: 80, TXT: txt},
			{Type: "_http._tcp", Instance: name, Port: 80, TXT: []string{"path=/"}},
		},
		HTTPPorts: []int{80},
		state:     state{latestFirmware: "1.11.2"},
	}
}
