package sim

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Attack names what a hostile device does to a client that connects to it.
// Each attack is served on the device's own address and ports only, and
// ends when the client goes away or the lab closes.
type Attack string

// The attacks of the hostile household, one device each.
const (
	// AttackSlowDrip answers any request 200 with a JSON content type at
	// once, then sends the body one byte every two seconds, forever.
	AttackSlowDrip Attack = "slow-drip"
	// AttackHugeBody answers any request 200 with a Content-Length of
	// 1 GiB (HugeBodyBytes) and streams that many bytes of one JSON object.
	AttackHugeBody Attack = "huge-body"
	// AttackHeaderFlood answers any request with a status line and
	// HeaderFloodLines header lines (about 3.7 MB) before a two-byte body.
	AttackHeaderFlood Attack = "header-flood"
	// AttackRedirectLoop answers any request 302 to the same path with the
	// next number as its query: /api/config, /api/config?1, ?2 …, endlessly.
	AttackRedirectLoop Attack = "redirect-loop"
	// AttackRedirectOutside answers /setup/eureka_info 302 to
	// http://8.8.8.8/setup/eureka_info, and any other path 301 to
	// http://192.168.1.1/: addresses that are not the device's own.
	AttackRedirectOutside Attack = "redirect-outside"
	// AttackInvalidJSON answers any request 200 "application/json" with a
	// JSON object cut off in the middle of a string.
	AttackInvalidJSON Attack = "invalid-json"
	// AttackDeepJSON answers any request 200 "application/json" with arrays
	// nested DeepJSONLevels deep: well-formed, and fatal to a parser that
	// recurses without a limit.
	AttackDeepJSON Attack = "deep-json"
	// AttackGzipBomb answers any request 200 "application/json" with
	// Content-Encoding gzip and a valid gzip stream of about 1 MB that
	// inflates to GzipBombBytes (1 GiB) of zeros.
	AttackGzipBomb Attack = "gzip-bomb"
	// AttackTLSGarbage accepts TCP on the TLS ports (443, 8443) and answers
	// whatever the client sends first, its ClientHello, with random bytes.
	AttackTLSGarbage Attack = "tls-garbage"
	// AttackStall accepts TCP and never sends a byte, on HTTP and TLS ports.
	AttackStall Attack = "stall"
	// AttackHangUp accepts TCP and at once resets the connection.
	AttackHangUp Attack = "hang-up"
)

// hostileOUI prefixes the MACs of hostile devices: locally administered,
// so no vendor's.
var hostileOUI = [3]byte{0x02, 0x00, 0x00}

// attackers returns one hostile device per attack, the first at
// Addr(first). Each announces a real family's service with the TXT record
// that family sends, so identification asks it what it would ask the real
// device; its host name says what it does instead.
func attackers(first int) []*Device {
	specs := []struct {
		attack     Attack
		host, name string
		ports      []int
		services   func(host, name, mac string) []Service
	}{
		{AttackSlowDrip, "slow-drip-shelly", "Slow Drip Plug", []int{80}, shellyPlusServices},
		{AttackHugeBody, "wled-huge-body", "Huge Body LEDs", []int{80}, wledServices},
		{AttackHeaderFlood, "shelly1-header-flood", "Header Flood Relay", []int{80}, plainHTTPServices},
		{AttackRedirectLoop, "hue-redirect-loop", "Hue Redirect Loop", []int{80}, hueServices},
		{AttackRedirectOutside, "cast-redirect-outside", "Redirect Outside TV", []int{8008}, castServices},
		{AttackInvalidJSON, "elgato-invalid-json", "Invalid JSON Light", []int{9123}, elgatoServices},
		{AttackDeepJSON, "elgato-deep-json", "Deep JSON Light", []int{9123}, elgatoServices},
		{AttackGzipBomb, "shelly-gzip-bomb", "Gzip Bomb Plug", []int{80}, shellyPlusServices},
		{AttackTLSGarbage, "hue-tls-garbage", "Hue TLS Garbage", []int{443, 8443}, hueServices},
		{AttackStall, "cast-stall", "Stalling TV", []int{8008, 8443}, castServices},
		{AttackHangUp, "tasmota-hang-up", "Hang-up Switch", []int{80}, plainHTTPServices},
	}
	ds := make([]*Device, len(specs))
	for k, s := range specs {
		i := first + k
		mac := macFor(hostileOUI, i)
		ds[k] = &Device{
			Family: Hostile, Name: s.name, Host: s.host, Addr: Addr(i), MAC: mac,
			Services: s.services(s.host, s.name, mac), HTTPPorts: s.ports, Attack: s.attack,
		}
	}
	return ds
}

// shellyPlusServices announces a Shelly Plus device (device-apis.md §3.2).
func shellyPlusServices(host, _, _ string) []Service {
	txt := []string{"gen=2", "app=Plus1", "ver=1.4.4"}
	return []Service{
		{Type: "_shelly._tcp", Instance: host, Port: 80, TXT: txt},
		{Type: "_http._tcp", Instance: host, Port: 80, TXT: txt},
	}
}

// plainHTTPServices announces a web server only, as Shelly Gen1 and
// Tasmota do: the host name is all there is to go by.
func plainHTTPServices(host, _, _ string) []Service {
	return []Service{{Type: "_http._tcp", Instance: host, Port: 80}}
}

func wledServices(_, name, mac string) []Service {
	return []Service{
		{Type: "_wled._tcp", Instance: name, Port: 80, TXT: []string{"mac=" + strings.ToLower(mac)}},
		{Type: "_http._tcp", Instance: name, Port: 80},
	}
}

func hueServices(_, name, mac string) []Service {
	return []Service{{Type: "_hue._tcp", Instance: fmt.Sprintf("%s - %s", name, mac[6:]), Port: 443, TXT: []string{
		"bridgeid=" + strings.ToLower(mac[:6]+"fffe"+mac[6:]), "modelid=BSB002",
	}}}
}

func castServices(_, name, mac string) []Service {
	id := "5e4b1c2d3f6a7b8c9d0e" + strings.ToLower(mac)
	return []Service{{Type: "_googlecast._tcp", Instance: "Chromecast-" + id, Port: 8009, TXT: []string{
		"id=" + id, "ve=05", "md=Chromecast", "ic=/setup/icon.png", "fn=" + name, "ca=201221", "st=0", "nf=1", "rs=",
	}}}
}

func elgatoServices(_, name, mac string) []Service {
	id := strings.Join([]string{mac[0:2], mac[2:4], mac[4:6], mac[6:8], mac[8:10], mac[10:12]}, ":")
	return []Service{{Type: "_elg._tcp", Instance: fmt.Sprintf("%s %s", name, mac[8:]), Port: 9123, TXT: []string{
		"mf=Elgato", "dt=53", "id=" + id, "md=Elgato Key Light 20GAK9901", "pv=1.0",
	}}}
}

// attackURLs are where a client would reach the device's attack: https on
// the TLS ports 443 and 8443, http elsewhere.
func (d *Device) attackURLs() []string {
	urls := make([]string, 0, len(d.HTTPPorts))
	for _, p := range d.HTTPPorts {
		scheme := "http"
		if p == 443 || p == 8443 {
			scheme = "https"
		}
		urls = append(urls, scheme+"://"+net.JoinHostPort(d.Addr.String(), strconv.Itoa(p))+"/")
	}
	return urls
}
