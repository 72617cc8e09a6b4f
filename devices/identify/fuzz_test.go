package identify

import (
	"context"
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/discover"
)

// The family readers' fuzz targets. Each identifies one device, announced
// as the lab's device of its family is, whose answers to identification's
// requests are the fuzzer's (raw HTTP, one answer per request, in order).
// The committed corpus in testdata/fuzz/<target> holds the lab's answers
// (the home household's devices and the hostile household's liars,
// captured on the wire), vendor-documented answers, and answers cut short
// or with a Content-Length that lies.

// fuzzKey is the TLS key the fuzzed device presents when asked over HTTPS.
const fuzzKey = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// fuzzDevice is the device that announces services from host at 127.77.0.1.
func fuzzDevice(host string, services ...discover.Announcement) discover.Device {
	return discover.FromAnnouncements(host, []netip.Addr{netip.MustParseAddr("127.77.0.1")}, services, time.Unix(1e9, 0))
}

// macRE is what an answered hardware identity of these families looks
// like: a MAC, normalised.
var macRE = regexp.MustCompile(`^[0-9a-f]{12}$`)

// identifyFuzzed identifies d, answering its requests with answers, and
// checks what identification promises whatever a device answers: it asks
// at most MaxRequests, names one of families, proves a hardware identity
// only with a MAC it answered, and every string of the identity and its
// evidence is safe to show and within its cap.
func identifyFuzzed(t *testing.T, d discover.Device, families []Family, answers ...[]byte) Identity {
	t.Helper()
	dev := &devhttptest.Device{At: d.Addresses[0], Answers: answers,
		TLS: &devhttp.TLSInfo{Version: "TLS 1.3", SelfSigned: true, SPKISHA256: fuzzKey}}
	id := identifyThrough(context.Background(), d, dev)
	if len(dev.Asked) > MaxRequests {
		t.Fatalf("%d requests, more than %d", len(dev.Asked), MaxRequests)
	}
	if !slices.Contains(families, id.Family) {
		t.Fatalf("identified as %q, not one of %q", id.Family, families)
	}
	if id.HardwareIDAnswered && !macRE.MatchString(id.HardwareID) {
		t.Fatalf("answered hardware id %q is not a MAC", id.HardwareID)
	}
	if id.TLSKey != "" && id.TLSKey != fuzzKey {
		t.Fatalf("TLS key %q is not the one the device presented", id.TLSKey)
	}
	for what, s := range map[string]string{"vendor": id.Vendor, "model": id.Model, "firmware": id.Firmware, "name": id.Name,
		"hardware id": id.HardwareID, "new firmware": id.Reported.NewFirmware} {
		if n := utf8.RuneCountInString(s); n > devtext.Name {
			t.Fatalf("%s of %d characters: %+q", what, n, s)
		}
	}
	for _, e := range id.Evidence {
		if n := utf8.RuneCountInString(e.Saw); n > devtext.Summary {
			t.Fatalf("evidence of %d characters: %+q", n, e.Saw)
		}
	}
	doc, err := json.Marshal(id)
	if err != nil {
		t.Fatal(err)
	}
	if found, err := devtexttest.UnsafeJSON(doc); found != "" || err != nil {
		t.Fatalf("not safe to show: %s %v", found, err)
	}
	return id
}

// shellyFamilies are what a device that answers /shelly may turn out to be.
var shellyFamilies = []Family{ShellyGen1, ShellyGen2, Unknown}

// fuzzTarget is a family reader's fuzz target: the device it identifies,
// announced as the lab's device of the family is, and the families it may
// turn out to be.
type fuzzTarget struct {
	d        discover.Device
	families []Family
}

// fuzzTargets are the family readers' fuzz targets, by name.
var fuzzTargets = map[string]fuzzTarget{
	"FuzzIdentifyShelly": {fuzzDevice("shellyplusplugs-a8032ab12345",
		discover.Announcement{Type: "_shelly._tcp", Instance: "shellyplusplugs-a8032ab12345", Port: 80, TXT: []string{"gen=2", "app=PlusPlugS", "ver=1.4.4"}},
		discover.Announcement{Type: "_http._tcp", Instance: "shellyplusplugs-a8032ab12345", Port: 80}), shellyFamilies},
	"FuzzIdentifyTasmota": {fuzzDevice("tasmota-b1c2d3-0123",
		discover.Announcement{Type: "_http._tcp", Instance: "tasmota-b1c2d3-0123", Port: 80}), append([]Family{Tasmota}, shellyFamilies...)},
	"FuzzIdentifyWLED": {fuzzDevice("wled-a1b2c3",
		discover.Announcement{Type: "_wled._tcp", Instance: "Treppe", Port: 80, TXT: []string{"mac=246f28a1b2c3"}},
		discover.Announcement{Type: "_http._tcp", Instance: "Treppe", Port: 80}), append([]Family{WLED}, shellyFamilies...)},
	"FuzzIdentifyHue": {fuzzDevice("ecb5fa000005",
		discover.Announcement{Type: "_hue._tcp", Instance: "Philips Hue - 000005", Port: 443, TXT: []string{"bridgeid=ecb5fafffe000005", "modelid=BSB002"}}),
		[]Family{HueBridge}},
	"FuzzIdentifyCast": {fuzzDevice("5e4b1c2d000000073f6a7b8c9d0e1f2a",
		discover.Announcement{Type: "_googlecast._tcp", Instance: "Chromecast-5e4b1c2d000000073f6a7b8c9d0e1f2a", Port: 8009,
			TXT: []string{"id=5e4b1c2d000000073f6a7b8c9d0e1f2a", "md=Chromecast", "fn=Living Room TV", "ve=05"}}),
		[]Family{Chromecast}},
	"FuzzIdentifySonos": {fuzzDevice("Sonos-347E5C00000A",
		discover.Announcement{Type: "_sonos._tcp", Instance: "RINCON_347E5C00000A01400@Esszimmer", Port: 1443, TXT: []string{"model=S18", "vers=3", "bootseq=42"}}),
		[]Family{Sonos}},
	"FuzzIdentifyElgato": {fuzzDevice("elgato-key-light-000b",
		discover.Announcement{Type: "_elg._tcp", Instance: "Elgato Key Light 000B", Port: 9123, TXT: []string{"md=Elgato Key Light 20GAK9901", "id=3C:6A:9D:00:00:0B", "mf=Elgato"}}),
		[]Family{Elgato}},
}

// fuzzIdentify runs the fuzz target named: every input is the device's
// first and second answer.
func fuzzIdentify(f *testing.F, name string) {
	target := fuzzTargets[name]
	f.Fuzz(func(t *testing.T, first, second []byte) {
		identifyFuzzed(t, target.d, target.families, first, second)
	})
}

// FuzzIdentifyShelly: a device announcing _shelly._tcp answers /shelly,
// then /ota (Gen1) or /rpc/Sys.GetStatus (Gen2+).
func FuzzIdentifyShelly(f *testing.F) { fuzzIdentify(f, "FuzzIdentifyShelly") }

// FuzzIdentifyTasmota: a device announcing only a web server, with a
// Tasmota host name, answers Status 0, then /shelly when that was not
// Tasmota's answer.
func FuzzIdentifyTasmota(f *testing.F) { fuzzIdentify(f, "FuzzIdentifyTasmota") }

// FuzzIdentifyWLED: a device announcing _wled._tcp answers /json/info,
// then its security settings script (or /shelly, when it was not WLED).
func FuzzIdentifyWLED(f *testing.F) { fuzzIdentify(f, "FuzzIdentifyWLED") }

// FuzzIdentifyHue: a bridge announcing _hue._tcp answers /api/config over
// HTTPS, then over plain HTTP when the first answer was no bridge's.
func FuzzIdentifyHue(f *testing.F) { fuzzIdentify(f, "FuzzIdentifyHue") }

// FuzzIdentifyCast: a device announcing _googlecast._tcp answers
// /setup/eureka_info.
func FuzzIdentifyCast(f *testing.F) { fuzzIdentify(f, "FuzzIdentifyCast") }

// FuzzIdentifySonos: a player announcing _sonos._tcp answers its UPnP
// device description (XML).
func FuzzIdentifySonos(f *testing.F) { fuzzIdentify(f, "FuzzIdentifySonos") }

// FuzzIdentifyElgato: a light announcing _elg._tcp answers
// /elgato/accessory-info.
func FuzzIdentifyElgato(f *testing.F) { fuzzIdentify(f, "FuzzIdentifyElgato") }

// TestFuzzSeedsIdentify keeps the corpus honest: the answers captured from
// the lab's home household identify each target's device as the lab's
// device of its family, with a firmware version, so the fuzzer starts from
// answers that reach the end of every family reader.
func TestFuzzSeedsIdentify(t *testing.T) {
	for _, tt := range []struct {
		target, seed string
		want         Family
	}{
		{"FuzzIdentifyShelly", "sim_home_shelly-gen1_1", ShellyGen1},
		{"FuzzIdentifyShelly", "sim_home_shelly-gen2_1", ShellyGen2},
		{"FuzzIdentifyTasmota", "sim_home_tasmota_1", Tasmota},
		{"FuzzIdentifyWLED", "sim_home_wled_1", WLED},
		{"FuzzIdentifyHue", "sim_home_hue-bridge_1", HueBridge},
		{"FuzzIdentifyCast", "sim_home_chromecast_1", Chromecast},
		{"FuzzIdentifySonos", "sim_home_sonos_1", Sonos},
		{"FuzzIdentifyElgato", "sim_home_elgato_1", Elgato},
	} {
		t.Run(tt.target+"/"+tt.seed, func(t *testing.T) {
			target := fuzzTargets[tt.target]
			id := identifyFuzzed(t, target.d, target.families, devhttptest.Seed(t, tt.target, tt.seed)...)
			if id.Family != tt.want || id.Firmware == "" || !id.HardwareIDAnswered {
				t.Errorf("identified as %+v, want %s with its firmware and hardware id", id, tt.want)
			}
		})
	}
}
