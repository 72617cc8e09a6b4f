//go:build linux

package sim_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestLabImpostors serves the home household with impostors of a Shelly
// Gen1 and Gen2, a Tasmota, a WLED and a Hue bridge on addresses of their
// own, and of a Shelly Gen2 and a WLED on their real devices' addresses.
// Each impostor answers mDNS with the real device's instance names, host
// name, port and TXT, and HTTP with a MAC of its own; a device whose
// address an impostor took is silent. Plain reads are not credential
// requests; a Basic auth login, a Tasmota user/password query and a Hue key
// path are, and only the device that received them records them.
// Networked: run it with .ci/in-netns.
func TestLabImpostors(t *testing.T) {
	const secret = "Impostor-Test-9"
	cases := []struct {
		name   string // of the real device
		same   bool   // the impostor takes over the real device's address
		macURL string // where HTTP reports the MAC
		macAt  []string
		// cred is a request with a credential, sent with Basic auth when
		// basic is set; want is how the device records it.
		cred  string
		basic bool
		want  string
	}{
		{"Küche Licht", false, "/shelly", []string{"mac"}, "/settings/login", true, "GET /settings/login"},
		{"Wohnzimmer Steckdose", false, "/shelly", []string{"mac"}, "/rpc/Shelly.GetStatus", true, "GET /rpc/Shelly.GetStatus"},
		{"Flur Sensor", false, "/cm?cmnd=Status%200", []string{"StatusNET", "Mac"},
			"/cm?user=admin&password=" + secret + "&cmnd=Status%200", false, "GET /cm"},
		{"Kinderzimmer.Nachtlicht", false, "/json/info", []string{"mac"}, "/json/info", true, "GET /json/info"},
		{"Philips Hue", false, "/api/config", []string{"mac"}, "/api/" + secret + "/config", false, "GET /api/<key>/config"},
		{"Gartenpumpe", true, "/shelly", []string{"mac"}, "/rpc/Shelly.GetConfig", true, "GET /rpc/Shelly.GetConfig"},
		{"Schreibtisch Lampe", true, "/json/info", []string{"mac"}, "/update", true, "GET /update"},
	}
	household, err := sim.Household(sim.ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	var specs []sim.Impostor
	for _, c := range cases {
		specs = append(specs, sim.Impostor{Of: named(t, household, c.name).Host, SameAddress: c.same})
	}
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Impostors: specs})
	if len(lab.Impostors()) != len(cases) || len(lab.Devices()) != len(household) {
		t.Fatalf("%d impostors and %d devices, want %d and %d", len(lab.Impostors()), len(lab.Devices()), len(cases), len(household))
	}
	manifest := lab.Manifest()
	if want := len(household) + len(cases) - 2; len(manifest.Devices) != want {
		t.Errorf("the manifest lists %d devices, want %d (two left for an impostor)", len(manifest.Devices), want)
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			genuine, imp := named(t, lab.Devices(), c.name), lab.Impostors()[i]
			if imp.Family != genuine.Family || imp.Host != genuine.Host || imp.Name != genuine.Name || imp.MAC == genuine.MAC {
				t.Fatalf("impostor %s %q %s MAC %s copies %s %q %s MAC %s", imp.Family, imp.Name, imp.Host, imp.MAC,
					genuine.Family, genuine.Name, genuine.Host, genuine.MAC)
			}
			if (imp.Addr == genuine.Addr) != c.same {
				t.Errorf("impostor at %s, real device at %s; same address wanted: %v", imp.Addr, genuine.Addr, c.same)
			}
			var inManifest []bool
			for _, md := range manifest.Devices {
				if strings.EqualFold(md.Host, genuine.Host+".local") {
					inManifest = append(inManifest, md.Impostor)
				}
			}
			wantManifest := []bool{false, true}
			if c.same {
				wantManifest = []bool{true}
			}
			if !slices.Equal(inManifest, wantManifest) {
				t.Errorf("manifest entries for the host, impostor or not: %v, want %v", inManifest, wantManifest)
			}

			// mDNS: the same instances, one announcement per device on the
			// network, each with its own address.
			wantAddrs := []netip.Addr{genuine.Addr, imp.Addr}
			if c.same {
				wantAddrs = wantAddrs[1:]
			}
			for _, svc := range genuine.Services {
				var addrs []netip.Addr
				for _, g := range browse(t, svc.Type) {
					if !strings.EqualFold(g.srv.Target, genuine.Host+".local.") {
						continue
					}
					addrs = append(addrs, g.addr)
					wantTXT := svc.TXT
					if len(wantTXT) == 0 {
						wantTXT = []string{""}
					}
					if !sameName(g.instance, escapeLabel(svc.Instance)+"."+svc.Type+".local.") ||
						int(g.srv.Port) != svc.Port || !slices.Equal(g.txt, wantTXT) {
						t.Errorf("%s: %s at %s announces %q port %d TXT %q, want %q port %d TXT %q", svc.Type, genuine.Host, g.addr,
							g.instance, g.srv.Port, g.txt, svc.Instance, svc.Port, wantTXT)
					}
				}
				slices.SortFunc(addrs, netip.Addr.Compare)
				slices.SortFunc(wantAddrs, netip.Addr.Compare)
				if !slices.Equal(addrs, wantAddrs) {
					t.Errorf("%s: %s announced at %v, want %v", svc.Type, genuine.Host, addrs, wantAddrs)
				}
			}

			var hostAddrs []netip.Addr
			for _, rr := range query(t, genuine.Host+".local.", dns.TypeA) {
				if a, ok := rr.(*dns.A); ok {
					hostAddrs = append(hostAddrs, addrOf(a))
				}
			}
			slices.SortFunc(hostAddrs, netip.Addr.Compare)
			if !slices.Equal(hostAddrs, wantAddrs) {
				t.Errorf("%s.local resolves to %v, want %v", genuine.Host, hostAddrs, wantAddrs)
			}

			// HTTP: each device on the network reports its own MAC; the
			// real device is silent where the impostor took its address.
			if got := macOver(t, client, imp, imp.Addr, c.macURL, c.macAt); got != imp.MAC {
				t.Errorf("the impostor at %s reports MAC %s, want its own %s", imp.Addr, got, imp.MAC)
			}
			if !c.same {
				if got := macOver(t, client, genuine, genuine.Addr, c.macURL, c.macAt); got != genuine.MAC {
					t.Errorf("the real device at %s reports MAC %s, want %s", genuine.Addr, got, genuine.MAC)
				}
			}
			for _, d := range []*sim.Device{genuine, imp} {
				if got := d.CredentialRequests(); got != nil {
					t.Errorf("plain reads recorded as credential requests: %q", got)
				}
			}

			// A credential sent to the impostor's address reaches the
			// impostor only.
			req, err := http.NewRequest(http.MethodGet, deviceURL(imp, imp.Addr, c.cred), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.basic {
				req.SetBasicAuth("admin", secret)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("sending a credential: %v", err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if got := imp.CredentialRequests(); !slices.Equal(got, []string{c.want}) {
				t.Errorf("the impostor recorded %q, want %q", got, c.want)
			}
			if got := genuine.CredentialRequests(); got != nil {
				t.Errorf("the real device recorded %q, want nothing", got)
			}
		})
	}
}

// named returns the device of ds with the given friendly name.
func named(t *testing.T, ds []*sim.Device, name string) *sim.Device {
	t.Helper()
	i := slices.IndexFunc(ds, func(d *sim.Device) bool { return d.Name == name })
	if i < 0 {
		t.Fatalf("no device named %q", name)
	}
	return ds[i]
}

// deviceURL is the address of target on d's first HTTP port at addr.
func deviceURL(d *sim.Device, addr netip.Addr, target string) string {
	return "http://" + net.JoinHostPort(addr.String(), strconv.Itoa(d.HTTPPorts[0])) + target
}

// macOver asks the device at addr (serving d's family) for its MAC, found
// in the JSON answer along path, as 12 upper-case hex digits.
func macOver(t *testing.T, client *http.Client, d *sim.Device, addr netip.Addr, target string, path []string) string {
	t.Helper()
	resp, err := client.Get(deviceURL(d, addr, target))
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	for _, key := range path {
		m, _ := v.(map[string]any)
		v = m[key]
	}
	mac, _ := v.(string)
	return strings.ToUpper(strings.ReplaceAll(mac, ":", ""))
}

// announcement is one service instance as the lab's responder answers it.
type announcement struct {
	instance string
	srv      dns.SRV
	addr     netip.Addr
	txt      []string
}

// browse asks the lab's responder for the instances of a service type.
// Its answers come one instance after another, each a PTR followed by that
// instance's records.
func browse(t *testing.T, typ string) []announcement {
	t.Helper()
	var as []announcement
	for _, rr := range query(t, typ+".local.", dns.TypePTR) {
		if _, ptr := rr.(*dns.PTR); !ptr && len(as) == 0 {
			continue // an instance's records follow its PTR
		}
		switch rr := rr.(type) {
		case *dns.PTR:
			as = append(as, announcement{instance: rr.Ptr})
		case *dns.SRV:
			as[len(as)-1].srv = *rr
		case *dns.A:
			as[len(as)-1].addr = addrOf(rr)
		case *dns.TXT:
			as[len(as)-1].txt = rr.Txt
		}
	}
	if len(as) == 0 {
		t.Fatalf("no answer for %s", typ)
	}
	return as
}

// addrOf is the address of an A record.
func addrOf(a *dns.A) netip.Addr {
	addr, _ := netip.AddrFromSlice(a.A.To4())
	return addr
}

// query asks the lab's responder a question over legacy unicast mDNS (RFC
// 6762 §6.7) and returns the records of its answers, in order.
func query(t *testing.T, name string, qtype uint16) []dns.RR {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := new(dns.Msg)
	q.SetQuestion(name, qtype)
	q.RecursionDesired = false
	b, err := q.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.WriteToUDP(b, &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}); err != nil {
		t.Fatal(err)
	}
	var rrs []dns.RR
	buf := make([]byte, 65536)
	for deadline := time.Now().Add(3 * time.Second); ; {
		_ = conn.SetReadDeadline(deadline)
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			return rrs // the answers are over
		}
		var m dns.Msg
		if m.Unpack(buf[:n]) == nil && m.Id == q.Id {
			rrs = append(rrs, m.Answer...)
			deadline = time.Now().Add(300 * time.Millisecond)
		}
	}
}

// escapeLabel writes an instance name as one DNS label, dots and
// backslashes escaped.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `.`, `\.`).Replace(s)
}

// sameName reports whether two domain names in presentation format are
// the same name, however they escape it.
func sameName(a, b string) bool {
	canon := func(name string) string {
		buf := make([]byte, 512)
		off, err := dns.PackDomainName(name, buf, 0, nil, false)
		if err != nil {
			return "invalid: " + name
		}
		s, _, err := dns.UnpackDomainName(buf[:off], 0)
		if err != nil {
			return "invalid: " + name
		}
		return s
	}
	return strings.EqualFold(canon(a), canon(b))
}
