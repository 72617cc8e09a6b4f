package sim

import (
	"fmt"
	"net/netip"
	"strings"
)

// More vendor prefixes for the devices below (real OUIs).
var (
	ouiBelkin   = [3]byte{0x94, 0x10, 0x3E}
	ouiApple    = [3]byte{0xD4, 0x90, 0x9C}
	ouiNanoleaf = [3]byte{0x00, 0x55, 0xDA}
	ouiIKEA     = [3]byte{0x44, 0x91, 0x60}
	ouiAxis     = [3]byte{0xAC, 0xCC, 0x8E}
	ouiSynology = [3]byte{0x00, 0x11, 0x32}
	ouiSamsung  = [3]byte{0x64, 0x1C, 0xAE}
	ouiDevolo   = [3]byte{0x00, 0x0B, 0x3B}
	ouiLutron   = [3]byte{0xA0, 0xF6, 0xFD}
)

// The home household's devices that announce themselves as the real ones
// do, their TXT records modelled on the real announcements of the
// recognition data set (devices/identify/testdata/recognition). Where the
// lab simulates the family's API (HomeKit, Cast, Matter) the device serves
// it; the others only announce (AnnounceOnly).
func announcedDevices(first int) []func(addr netip.Addr) *Device {
	i := first
	next := func() int { i++; return i }
	return []func(netip.Addr) *Device{
		func(a netip.Addr) *Device { return newWemoPlug(next(), "Wemo Mini Flur", a) },
		func(a netip.Addr) *Device { return newHomePod(next(), "Küche", a) },
		func(a netip.Addr) *Device { return newGoogleTV(next(), "Wohnzimmer Fernseher", a) },
		func(a netip.Addr) *Device { return newNanoleafCanvas(next(), "Canvas Kinderzimmer", a) },
		func(a netip.Addr) *Device { return newTradfriGateway(next(), "TRADFRI gateway", a) },
		func(a netip.Addr) *Device { return newMatterLight(next(), "Leselampe", a) },
		func(a netip.Addr) *Device { return newAxisCamera(next(), "Einfahrt", a) },
		func(a netip.Addr) *Device { return newSynologyNAS(next(), "Fotoarchiv", a) },
		func(a netip.Addr) *Device { return newSamsungTV(next(), "Samsung TV Schlafzimmer", a) },
		func(a netip.Addr) *Device { return newDevoloAdapter(next(), "Magic 2 LAN triple", a) },
		func(a netip.Addr) *Device { return newLutronBridge(next(), a) },
	}
}

// hapID is a HomeKit device ID ("AA:BB:..") made from a MAC.
func hapID(mac string) string {
	return strings.Join([]string{mac[0:2], mac[2:4], mac[4:6], mac[6:8], mac[8:10], mac[10:12]}, ":")
}

// homeKitAccessory is a HomeKit accessory announcing model md in category ci.
func homeKitAccessory(mac, name, md, ci string, addr netip.Addr) *Device {
	return &Device{
		Family: HomeKit, Name: name, Host: hostname(name), Addr: addr, MAC: mac, Model: md,
		Services: []Service{{Type: "_hap._tcp", Instance: name, Port: 51827, TXT: []string{
			"c#=3", "ff=2", "id=" + hapID(mac), "md=" + md, "pv=1.1", "s#=1", "sf=1", "ci=" + ci,
		}}},
		HTTPPorts: []int{51827},
	}
}

// newWemoPlug is a Wemo Mini smart plug, a HomeKit outlet whose model is "Socket".
func newWemoPlug(i int, name string, addr netip.Addr) *Device {
	d := homeKitAccessory(macFor(ouiBelkin, i), name, "Socket", "7", addr)
	d.Vendor, d.Kind, d.Firmware = "belkin-wemo", "plug", "2.00.11565"
	return d
}

// newNanoleafCanvas is a Nanoleaf Canvas: its own API service and HomeKit.
func newNanoleafCanvas(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiNanoleaf, i)
	d := homeKitAccessory(mac, name, "NL29", "5", addr)
	d.Vendor, d.Kind, d.Firmware = "nanoleaf", "light", "9.2.4"
	d.Services = append(d.Services, Service{Type: "_nanoleafapi._tcp", Instance: name, Port: 16021, TXT: []string{
		"id=" + hapID(mac), "md=NL29", "srcvers=9.2.4",
	}})
	return d
}

// newTradfriGateway is an IKEA TRÅDFRI gateway: a HomeKit bridge and CoAP.
func newTradfriGateway(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiIKEA, i)
	d := homeKitAccessory(mac, name, "TRADFRI gateway", "2", addr)
	d.Host = "gw-" + strings.ToLower(mac)
	d.Vendor, d.Kind, d.Firmware = "ikea", "hub", "1.21.31"
	d.Services = append(d.Services, Service{Type: "_coap._udp", Instance: "gw-" + strings.ToLower(mac), Port: 5684})
	return d
}

// newHomePod is a HomePod mini: AirPlay 2 and RAOP, as OwnTone lists them.
func newHomePod(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiApple, i)
	model := "AudioAccessory5,1"
	return &Device{
		Family: AnnounceOnly, Name: name, Host: hostname(name), Addr: addr, MAC: mac, Model: model, Firmware: "18.2",
		Vendor: "apple", Kind: "speaker",
		Services: []Service{
			{Type: "_airplay._tcp", Instance: name, Port: 7000, TXT: []string{
				"acl=0", "deviceid=" + hapID(mac), "features=0x4A7FCA00,0x3C356BD0", "flags=0x1a404",
				"model=" + model, "manufacturer=Apple Inc.", "protovers=1.1", "srcvers=830.5.1", "osvers=18.2", "vv=2",
			}},
			{Type: "_raop._tcp", Instance: mac + "@" + name, Port: 7000, TXT: []string{
				"cn=0,1,2,3", "da=true", "et=0,3,5", "ft=0x4A7FCA00,0x3C356BD0", "sf=0x1a404", "md=0,1,2",
				"am=" + model, "tp=UDP", "vn=65537", "vs=830.5.1", "ov=18.2", "vv=2",
			}},
		},
	}
}

// newGoogleTV is a Chromecast with Google TV: Cast (served) and the
// Android TV remote service, a 16-character service type.
func newGoogleTV(i int, name string, addr netip.Addr) *Device {
	d := newChromecast(i, name, addr)
	d.Vendor, d.Kind = "google", "media-player"
	d.Services = append(d.Services, Service{Type: "_androidtvremote2._tcp", Instance: name, Port: 6466, TXT: []string{
		"bt=" + hapID(macFor(ouiGoogle, 0x300000+i)),
	}})
	return d
}

// newMatterLight is a Nanoleaf Essentials bulb waiting to be commissioned
// over Matter: Nanoleaf's vendor ID, device type Extended Color Light.
func newMatterLight(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiNanoleaf, 0x100000+i)
	instance := fmt.Sprintf("%016X", uint64(0x8E0FFCE6A1960000)+uint64(i))
	return &Device{
		Family: Matter, Name: name, Host: mac, Addr: addr, MAC: mac, Model: "4442+67", Vendor: "nanoleaf", Kind: "light",
		Services: []Service{{Type: "_matterc._udp", Instance: instance, Port: 5540, TXT: []string{
			fmt.Sprintf("D=%d", 2000+i), "VP=4442+67", "CM=1", "DT=269", "DN=" + name,
			"SII=5000", "SAI=300", "T=0", "PH=33", "PI=",
		}}},
	}
}

// newAxisCamera is an Axis network camera: its video service with its MAC.
func newAxisCamera(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiAxis, i)
	instance := fmt.Sprintf("AXIS M1065-LW - %s", mac)
	return &Device{
		Family: AnnounceOnly, Name: name, Host: "axis-" + strings.ToLower(mac), Addr: addr, MAC: mac,
		Model: "AXIS M1065-LW", Firmware: "10.12.240", Vendor: "axis", Kind: "camera",
		Services: []Service{
			{Type: "_axis-video._tcp", Instance: instance, Port: 80, TXT: []string{"macaddress=" + mac}},
			{Type: "_http._tcp", Instance: instance, Port: 80, TXT: []string{"macaddress=" + mac}},
		},
	}
}

// newSynologyNAS is a Synology DiskStation: its web page names the maker.
func newSynologyNAS(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiSynology, i)
	return &Device{
		Family: AnnounceOnly, Name: name, Host: hostname(name), Addr: addr, MAC: mac,
		Model: "DS220+", Firmware: "7.2.2", Vendor: "synology", Kind: "nas",
		Services: []Service{
			{Type: "_http._tcp", Instance: name, Port: 5000, TXT: []string{
				"vendor=Synology", "model=DS220+", "version_major=7", "version_minor=2", "admin_port=5000",
				"mac_address=" + strings.ToLower(hapID(mac)),
			}},
			{Type: "_smb._tcp", Instance: name, Port: 445},
		},
	}
}

// newSamsungTV is a Samsung TV that receives AirPlay 2, as OwnTone lists it.
func newSamsungTV(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiSamsung, i)
	return &Device{
		Family: AnnounceOnly, Name: name, Host: hostname(name), Addr: addr, MAC: mac,
		Model: "UNU7090", Firmware: "p20.0.1", Vendor: "samsung", Kind: "tv",
		Services: []Service{{Type: "_airplay._tcp", Instance: name, Port: 7000, TXT: []string{
			"acl=0", "deviceid=" + hapID(mac), "features=0x7F8AD0,0x38BCB46", "flags=0x244", "fv=p20.0.1",
			"manufacturer=Samsung", "model=UNU7090", "protovers=1.1", "rsf=0x3", "srcvers=377.17.24.6",
		}}},
	}
}

// newDevoloAdapter is a devolo Magic 2 powerline adapter's device API.
func newDevoloAdapter(i int, name string, addr netip.Addr) *Device {
	mac := macFor(ouiDevolo, i)
	return &Device{
		Family: AnnounceOnly, Name: name, Host: "devolo-" + strings.ToLower(mac[6:]), Addr: addr, MAC: mac,
		Model: "Magic 2 LAN triple", Vendor: "devolo", Kind: "router",
		Services: []Service{{Type: "_dvl-deviceapi._tcp", Instance: name, Port: 80}},
	}
}

// newLutronBridge is a Lutron Caséta Smart Bridge Pro 2, with the TXT
// netdisco showed for one.
func newLutronBridge(i int, addr netip.Addr) *Device {
	mac := macFor(ouiLutron, i)
	host := "Lutron-" + strings.ToLower(mac)
	return &Device{
		Family: AnnounceOnly, Name: "Smart Bridge", Host: host, Addr: addr, MAC: mac,
		Model: "L-BDGPRO2-WH", Firmware: "04.03.05f000", Vendor: "lutron", Kind: "hub",
		Services: []Service{{Type: "_lutron._tcp", Instance: host, Port: 22, TXT: []string{
			"CODEVER=04.03.05f000", "DEVCLASS=08050100", "FW_STATUS=1:NoUpdate",
			"MACADDR=" + strings.ToLower(hapID(mac)), "NW_STATUS=11:InternetWorking", "ST_STATUS=good",
		}}},
	}
}
