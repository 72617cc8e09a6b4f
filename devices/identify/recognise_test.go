package identify

import (
	"encoding/json"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
)

// announce builds a device from one announcement, through the scan's own
// decoding.
func announce(host, typ, instance string, txt ...string) discover.Device {
	return discover.FromAnnouncements(host, []netip.Addr{netip.MustParseAddr("127.0.0.1")},
		[]discover.Announcement{{Type: typ, Instance: instance, TXT: txt}}, time.Now())
}

func TestRecognise(t *testing.T) {
	for _, tc := range []struct {
		name           string
		d              discover.Device
		vendor, kind   string
		wantFamily     Family
		wantVendorName string
	}{
		// md is a model: a Wemo plug says "Socket", never the maker.
		{"HomeKit Wemo", announce("wemo", "_hap._tcp", "Wemo Mini", "md=Socket", "ci=7", "id=AA:BB:CC:DD:EE:01"), "belkin-wemo", "plug", HomeKit, "Belkin Wemo"},
		{"HomeKit category only", announce("acc", "_hap._tcp", "Thing", "md=XYZ-1", "ci=5"), "", "light", HomeKit, ""},
		{"HomeKit Nanoleaf", announce("nl", "_hap._tcp", "Canvas ADF9", "md=NL29", "ci=5"), "nanoleaf", "light", HomeKit, "Nanoleaf"},
		{"Android TV service: TVs and streaming boxes alike, no kind", announce("tv", "_androidtvremote2._tcp", "Living Room TV"), "", "", Unknown, ""},
		{"Matter plug by vendor ID", announce("m", "_matterc._udp", "8E0FFCE6A196796F", "VP=4447+1", "DT=266"), "aqara", "plug", Matter, "Aqara"},
		{"Matter unknown vendor", announce("m", "_matterc._udp", "8E0FFCE6A196796F", "VP=9050+17729", "DT=81"), "", "", Matter, "Matter vendor 0x235A"},
		{"printer names its maker", announce("p", "_ipp._tcp", "HP LaserJet", "ty=HP LaserJet M404", "usb_MFG=HP"), "hp", "printer", IPPPrinter, "HP"},
		{"Axis camera by MAC prefix", announce("axis", "_axis-video._tcp", "AXIS M1065", "macaddress=ACCC8E123456"), "axis", "camera", Unknown, "Axis Communications"},
		{"HomeKit model variant", announce("gw", "_hap._tcp", "TRADFRI gateway", "md=TRADFRI gateway", "ci=2"), "ikea", "hub", HomeKit, "IKEA"},
		{"HomeKit model is no prefix of a longer word", announce("gw", "_hap._tcp", "X", "md=TRADFRIX", "ci=2"), "", "hub", HomeKit, ""},
		{"nothing known", announce("box", "_foo._tcp", "Box"), "", "", Unknown, ""},
		// An OUI names the maker; the kind comes from elsewhere or stays unknown.
		{"RAOP instance with a D-Link MAC: maker, no kind", announce("", "_raop._tcp", "48ee0c649791@AudioCast_Salon"), "dlink", "", Unknown, "D-Link"},
		{"RAOP instance with a Sonos MAC: Sonos makes speakers", announce("", "_raop._tcp", "38420B149FE2@Office", "am=One SL"), "sonos", "speaker", Unknown, "Sonos"},
		{"AirPlay deviceid with a Pioneer MAC", announce("", "_airplay._tcp", "VSX", "deviceid=74:5E:1C:AE:41:D0"), "pioneer", "", Unknown, "Pioneer"},
		{"locally administered MAC names no one", announce("", "_raop._tcp", "4AEE0C649791@Kitchen"), "", "", Unknown, ""},
		{"a MAC outside RAOP, AirPlay and Axis names no one", announce("", "_http._tcp", "48ee0c649791@Box", "mac=48EE0C649791"), "", "", Unknown, ""},
		// A program's announcement names no maker and no kind.
		{"Home Assistant's HomeKit bridge is software, not a hub", announce("nas", "_hap._tcp", "Home Assistant Bridge", "md=Home Assistant Bridge", "ci=2", "id=23:F2:B3:0A:31:78"), "", "", HomeKit, ""},
		{"shairport-sync on a Sonos MAC is still software", announce("pi", "_raop._tcp", "38420B149FE2@Office", "am=ShairportSync"), "", "", Unknown, ""},
		// What a UPnP description says, as SSDP discovery reports it.
		{"Synology DSM over SSDP", announce("nas", "upnp:urn:schemas-upnp-org:device:Basic:1", "DiskStation", "manufacturer=Synology", "model=DS220+"), "synology", "nas", Unknown, "Synology"},
		{"an Internet Gateway Device is a router, whoever made it", announce("gw", "upnp:urn:schemas-upnp-org:device:InternetGatewayDevice:2", "FRITZ!Box 7590", "manufacturer=AVM Berlin"), "", "router", Unknown, ""},
		{"another UPnP Basic device names no maker", announce("x", "upnp:urn:schemas-upnp-org:device:Basic:1", "Box", "manufacturer=Synology Inc"), "", "", Unknown, ""},
		{"a rule beats the MAC", announce("", "_airplay._tcp", "Speaker", "manufacturer=Sonos", "deviceid=48:EE:0C:64:97:91"), "sonos", "speaker", Unknown, "Sonos"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := FromAnnouncement(tc.d)
			if id.VendorID != tc.vendor || id.Kind != tc.kind || id.Family != tc.wantFamily || id.Vendor != tc.wantVendorName {
				t.Errorf("got family %q vendor %q (%q) kind %q, want %q %q (%q) %q; evidence %+v",
					id.Family, id.VendorID, id.Vendor, id.Kind, tc.wantFamily, tc.vendor, tc.wantVendorName, tc.kind, id.Evidence)
			}
		})
	}
}

// TestRecognitionTieNamesNoOne: two makers' rules that match equally well
// name neither.
func TestRecognitionTieNamesNoOne(t *testing.T) {
	rule := catalog.Matcher{Service: "_x._tcp"}
	vendors := []catalog.Vendor{{ID: "a", Matchers: []catalog.Matcher{rule}}, {ID: "b", Matchers: []catalog.Matcher{rule}}}
	if m := bestMatch(vendors, announce("h", "_x._tcp", "X")); !m.tied {
		t.Errorf("best match %+v, want a tie", m)
	}
	more := catalog.Matcher{Service: "_x._tcp", Instance: "X*"}
	vendors[1].Matchers = append(vendors[1].Matchers, more)
	if m := bestMatch(vendors, announce("h", "_x._tcp", "X1")); m.tied || m.vendor.ID != "b" {
		t.Errorf("best match %+v, want b's more specific rule", m)
	}
}

// TestRecognitionDataSet checks the benchmark's data set: every row cites
// a public https page, names a type the scan accepts, and expects a kind
// the catalog knows.
func TestRecognitionDataSet(t *testing.T) {
	data, err := os.ReadFile("testdata/recognition/announcements.json")
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Announcements []struct {
			Source, Type, Vendor, Kind string
		} `json:"announcements"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range set.Announcements {
		if !strings.HasPrefix(a.Source, "https://") {
			t.Errorf("row %d: source %q is not an https URL", i, a.Source)
		}
		if _, ok := cat.Vendor(a.Vendor); a.Vendor != "" && !ok {
			t.Logf("row %d: maker %q has no catalog entry yet: it counts as unknown", i, a.Vendor)
		}
		if a.Kind != "" && !slices.Contains(catalog.Kinds, catalog.Kind(a.Kind)) {
			t.Errorf("row %d: kind %q is not a catalog kind", i, a.Kind)
		}
		if d := announce("h", a.Type, "x"); len(d.Services) != 1 {
			t.Errorf("row %d: type %q is not one a scan accepts", i, a.Type)
		}
	}
}

// TestRecogniseKeepsLongServiceType checks that a 16-character service type,
// as Android TVs announce it, reaches recognition and its evidence.
func TestRecogniseKeepsLongServiceType(t *testing.T) {
	id := FromAnnouncement(announce("tv", "_androidtvremote2._tcp", "Living Room TV"))
	for _, e := range id.Evidence {
		if strings.Contains(e.Saw, "_androidtvremote2._tcp") {
			return
		}
	}
	t.Errorf("evidence %+v does not mention _androidtvremote2._tcp", id.Evidence)
}
