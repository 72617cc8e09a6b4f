package sim

import (
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// UPnPKind names what a simulated UPnP device is.
type UPnPKind string

// The UPnP devices the lab simulates, written from the UPnP Device
// Architecture 2.0, the IGD 2.0 (WANIPConnection:2) and DIAL 2.2
// specifications, and hostile ones.
const (
	// UPnPRouter is an Internet Gateway Device with port mappings.
	UPnPRouter UPnPKind = "router"
	// UPnPTV is a smart TV: a DIAL server and media renderer.
	UPnPTV UPnPKind = "tv"
	// UPnPNAS is a NAS: Synology's DSM announces itself as a UPnP Basic
	// device made by "Synology" (as Home Assistant's SSDP table records it).
	UPnPNAS UPnPKind = "nas"
	// UPnPHostileXML answers with a description that is an entity bomb.
	UPnPHostileXML UPnPKind = "hostile-xml"
	// UPnPHostileHuge answers with a description far beyond any bound.
	UPnPHostileHuge UPnPKind = "hostile-huge"
	// UPnPHostileElsewhere names a description at another address.
	UPnPHostileElsewhere UPnPKind = "hostile-elsewhere"
)

// UPnPPort is the port the simulated devices serve their descriptions and
// control on (a FRITZ!Box uses 49000).
const UPnPPort = 49000

// PortMapping is one port mapping a simulated router holds.
type PortMapping struct {
	ExternalPort   int    `json:"external_port"`
	Protocol       string `json:"protocol"`
	InternalClient string `json:"internal_client"`
	InternalPort   int    `json:"internal_port"`
	Description    string `json:"description"`
}

// UPnPDevice is one simulated device that announces itself over SSDP and
// serves a UPnP description (and, for a router, IGD control).
type UPnPDevice struct {
	Kind         UPnPKind   `json:"kind"`
	Name         string     `json:"name"`
	Addr         netip.Addr `json:"address"`
	UUID         string     `json:"uuid"`
	DeviceType   string     `json:"device_type"`
	Manufacturer string     `json:"manufacturer"`
	Model        string     `json:"model"`
	ModelNumber  string     `json:"model_number"`
	Server       string     `json:"server"`
	// AdminPort serves an admin page over plain HTTP (0: none).
	AdminPort int `json:"admin_port,omitempty"`
	// PCP makes a router speak PCP (RFC 6887) beside NAT-PMP, as a
	// FRITZ!Box does (https://avm.de/service/fritzbox/fritzbox-6430-cable/wissensdatenbank/publication/show/894_Automatische-Portfreigaben-einrichten/);
	// without it, a router answers a PCP request as a NAT-PMP-only one does.
	PCP bool `json:"pcp,omitempty"`

	mu       sync.Mutex
	mappings []PortMapping
}

// Mappings returns the router's port mappings now.
func (d *UPnPDevice) Mappings() []PortMapping {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]PortMapping(nil), d.mappings...)
}

// AddMapping adds a port mapping to the router, as a device of the
// household does when it asks the router over UPnP to open a port.
func (d *UPnPDevice) AddMapping(m PortMapping) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.mappings = append(d.mappings, m)
}

// Addresses of the UPnP devices, apart from every household's mDNS devices.
var (
	// RouterAddr is the simulated router's address.
	RouterAddr = netip.AddrFrom4([4]byte{127, 77, 250, 1})
	// SSDPFloodAddr is where the hostile household's SSDP flood comes from.
	SSDPFloodAddr = netip.AddrFrom4([4]byte{127, 77, 250, 99})
)

// UPnPHousehold returns the UPnP devices of a profile: the home household
// has a router (three port mappings, two of them to devices of the
// household), a smart TV and a NAS; the hostile one adds devices whose
// descriptions attack the scanner. The large household has none.
func UPnPHousehold(p Profile) []*UPnPDevice {
	if p != ProfileHome && p != ProfileHostile {
		return nil
	}
	home, _ := Household(ProfileHome, 0)
	octo := home[len(builders)-1] // the OctoPrint printer
	addr := func(i byte) netip.Addr { return netip.AddrFrom4([4]byte{127, 77, 250, i}) }
	nas := addr(3)
	ds := []*UPnPDevice{
		{Kind: UPnPRouter, Name: "FRITZ!Box 7590", Addr: RouterAddr, PCP: true, UUID: "75802409-bccb-40e7-8e6c-3431c4a1b2c3",
			DeviceType: "urn:schemas-upnp-org:device:InternetGatewayDevice:2", Manufacturer: "AVM Berlin", Model: "FRITZ!Box 7590", ModelNumber: "avm",
			Server: "FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57", AdminPort: 80,
			mappings: []PortMapping{
				{ExternalPort: 5001, Protocol: "TCP", InternalClient: nas.String(), InternalPort: 5001, Description: "Synology DSM"},
				{ExternalPort: 8080, Protocol: "TCP", InternalClient: octo.Addr.String(), InternalPort: 80, Description: "OctoPrint remote"},
				{ExternalPort: 3074, Protocol: "UDP", InternalClient: "127.77.249.9", InternalPort: 3074, Description: "Xbox"},
			}},
		{Kind: UPnPTV, Name: "Wohnzimmer Fernseher", Addr: addr(2), UUID: "1e0c6a2c-47d5-4b5e-a5b3-3c2f5bd4e6a1",
			DeviceType: "urn:dial-multiscreen-org:device:dial:1", Manufacturer: "Samsung Electronics", Model: "UE50TU7090", ModelNumber: "T-KTM2AKUC-1320.1",
			Server: "Linux/4.1.10 UPnP/1.0 Samsung UPnP SDK/1.0"},
		{Kind: UPnPNAS, Name: "DiskStation", Addr: nas, UUID: "73796e6f-6473-6d00-0000-001132aabbcc",
			DeviceType: "urn:schemas-upnp-org:device:Basic:1", Manufacturer: "Synology", Model: "DS220+", ModelNumber: "DS220+ 7.2.1",
			Server: "Synology/DSM/7.2.1 UPnP/1.0", AdminPort: 5000},
	}
	if p == ProfileHostile {
		ds = append(ds,
			&UPnPDevice{Kind: UPnPHostileXML, Name: "Laughs", Addr: addr(10), UUID: "bad00000-0000-0000-0000-000000000010",
				DeviceType: "urn:schemas-upnp-org:device:MediaRenderer:1", Server: "Evil/1 UPnP/1.0"},
			&UPnPDevice{Kind: UPnPHostileHuge, Name: "Huge", Addr: addr(11), UUID: "bad00000-0000-0000-0000-000000000011",
				DeviceType: "urn:schemas-upnp-org:device:MediaRenderer:1", Server: "Evil/1 UPnP/1.0"},
			&UPnPDevice{Kind: UPnPHostileElsewhere, Name: "Elsewhere", Addr: addr(12), UUID: "bad00000-0000-0000-0000-000000000012",
				DeviceType: "urn:schemas-upnp-org:device:MediaRenderer:1", Server: "Evil/1 UPnP/1.0"})
	}
	return ds
}

// Location is the URL of the device's description.
func (d *UPnPDevice) Location() string {
	if d.Kind == UPnPHostileElsewhere {
		return "http://192.168.1.1:" + strconv.Itoa(UPnPPort) + "/desc.xml"
	}
	return "http://" + netip.AddrPortFrom(d.Addr, UPnPPort).String() + "/desc.xml"
}

// targets are what the device announces (UDA 2.0 §1.2.2): the root
// device three times over, each embedded device twice, each service once.
func (d *UPnPDevice) targets() [][2]string {
	uuid := "uuid:" + d.UUID
	ts := [][2]string{{"upnp:rootdevice", uuid + "::upnp:rootdevice"}, {uuid, uuid}, {d.DeviceType, uuid + "::" + d.DeviceType}}
	for _, s := range d.serviceTypes() {
		ts = append(ts, [2]string{s, uuid + "::" + s})
	}
	return ts
}

func (d *UPnPDevice) serviceTypes() []string {
	switch d.Kind {
	case UPnPRouter:
		return []string{"urn:schemas-upnp-org:service:Layer3Forwarding:1", "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", "urn:schemas-upnp-org:service:WANIPConnection:2"}
	case UPnPTV:
		return []string{"urn:dial-multiscreen-org:service:dial:1"}
	}
	return nil
}

// SearchResponses are the device's answers to an M-SEARCH for st
// (UDA 2.0 §1.3.3): one per matching target.
func (d *UPnPDevice) SearchResponses(st string) [][]byte {
	var out [][]byte
	for _, t := range d.targets() {
		if st != "ssdp:all" && !strings.EqualFold(st, t[0]) {
			continue
		}
		out = append(out, []byte("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nDATE: "+time.Now().UTC().Format(http.TimeFormat)+
			"\r\nEXT:\r\nLOCATION: "+d.Location()+"\r\nSERVER: "+d.Server+"\r\nST: "+t[0]+"\r\nUSN: "+t[1]+"\r\n\r\n"))
	}
	return out
}

// Notifies are the device's ssdp:alive announcements (UDA 2.0 §1.2.2).
func (d *UPnPDevice) Notifies() [][]byte {
	var out [][]byte
	for _, t := range d.targets() {
		out = append(out, []byte("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: "+d.Location()+
			"\r\nNT: "+t[0]+"\r\nNTS: ssdp:alive\r\nSERVER: "+d.Server+"\r\nUSN: "+t[1]+"\r\n\r\n"))
	}
	return out
}

// Ports are the TCP ports the device serves.
func (d *UPnPDevice) Ports() []int {
	if d.AdminPort != 0 {
		return []int{UPnPPort, d.AdminPort}
	}
	return []int{UPnPPort}
}

// Handler serves the device's description, its control (a router's
// WANIPConnection:2) and its admin page.
func (d *UPnPDevice) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /desc.xml", d.serveDescription)
	if d.Kind == UPnPRouter {
		mux.HandleFunc("POST /upnp/control/WANIPConn1", d.serveControl)
	}
	if d.AdminPort != 0 {
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body><form method=post action=/login><input type=password name=password></form></body></html>", xmlText(d.Name))
		})
	}
	return mux
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *UPnPDevice) serveDescription(w http.ResponseWriter, r *http.Request) {
	switch d.Kind {
	case UPnPHostileXML:
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<?xml version="1.0"?><!DOCTYPE root [<!ENTITY l0 "lol">`)
		for i := 1; i < 10; i++ {
			fmt.Fprintf(w, `<!ENTITY l%d "%s">`, i, strings.Repeat(fmt.Sprintf("&l%d;", i-1), 10))
		}
		io.WriteString(w, `]><root><device><deviceType>`+d.DeviceType+`</deviceType><friendlyName>&l9;</friendlyName><UDN>uuid:`+d.UUID+`</UDN></device></root>`)
		return
	case UPnPHostileHuge:
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<?xml version="1.0"?><root><device><deviceType>`+d.DeviceType+`</deviceType><friendlyName>`)
		chunk := strings.Repeat("A", 64<<10)
		for range 64 { // 4 MB
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `</friendlyName></device></root>`)
		return
	}
	if d.Kind == UPnPTV {
		// DIAL 2.2 §5.4: the description's answer names the REST service.
		w.Header().Set("Application-URL", "http://"+netip.AddrPortFrom(d.Addr, UPnPPort).String()+"/apps/")
	}
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	io.WriteString(w, d.description())
}

// description is the device's description document (UDA 2.0 §2.3).
func (d *UPnPDevice) description() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>`)
	head := func(typ, name, udn string) {
		fmt.Fprintf(&b, "<device><deviceType>%s</deviceType><friendlyName>%s</friendlyName><manufacturer>%s</manufacturer><modelName>%s</modelName><modelNumber>%s</modelNumber><UDN>uuid:%s</UDN>",
			typ, xmlText(name), xmlText(d.Manufacturer), xmlText(d.Model), xmlText(d.ModelNumber), udn)
	}
	service := func(typ, id, ctl string) {
		fmt.Fprintf(&b, "<service><serviceType>%s</serviceType><serviceId>%s</serviceId><controlURL>%s</controlURL><eventSubURL>/upnp/event/%s</eventSubURL><SCPDURL>/%s.xml</SCPDURL></service>", typ, id, ctl, id, id)
	}
	head(d.DeviceType, d.Name, d.UUID)
	switch d.Kind {
	case UPnPRouter:
		// IGD 2.0: the root holds Layer3Forwarding, a WANDevice holds a
		// WANConnectionDevice, which holds WANIPConnection.
		b.WriteString("<serviceList>")
		service("urn:schemas-upnp-org:service:Layer3Forwarding:1", "L3Forwarding1", "/upnp/control/layer3forwarding")
		b.WriteString("</serviceList><deviceList>")
		head("urn:schemas-upnp-org:device:WANDevice:2", "WANDevice - "+d.Name, d.UUID[:len(d.UUID)-1]+"4")
		b.WriteString("<serviceList>")
		service("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", "WANCommonIFC1", "/upnp/control/wancommonifconfig1")
		b.WriteString("</serviceList><deviceList>")
		head("urn:schemas-upnp-org:device:WANConnectionDevice:2", "WANConnectionDevice - "+d.Name, d.UUID[:len(d.UUID)-1]+"5")
		b.WriteString("<serviceList>")
		service("urn:schemas-upnp-org:service:WANIPConnection:2", "WANIPConn1", "/upnp/control/WANIPConn1")
		b.WriteString("</serviceList></device></deviceList></device></deviceList>")
		fmt.Fprintf(&b, "<presentationURL>http://%s/</presentationURL>", d.Addr)
	case UPnPTV:
		b.WriteString("<serviceList>")
		service("urn:dial-multiscreen-org:service:dial:1", "dial", "/upnp/control/dial")
		b.WriteString("</serviceList>")
	case UPnPNAS:
		fmt.Fprintf(&b, "<presentationURL>http://%s:5000/</presentationURL>", d.Addr)
	}
	b.WriteString("</device></root>")
	return b.String()
}

// serveControl answers WANIPConnection:2 actions (IGD 2.0): the external
// address, the port mappings by index, and DeletePortMapping.
func (d *UPnPDevice) serveControl(w http.ResponseWriter, r *http.Request) {
	const svc = "urn:schemas-upnp-org:service:WANIPConnection:2"
	action := strings.Trim(r.Header.Get("SOAPAction"), `"`)
	typ, name, _ := strings.Cut(action, "#")
	if !strings.HasPrefix(typ, "urn:schemas-upnp-org:service:WANIPConnection:") {
		soapFault(w, 401, "Invalid Action")
		return
	}
	var env struct {
		Body struct {
			Inner struct {
				Index    string `xml:"NewPortMappingIndex"`
				Port     string `xml:"NewExternalPort"`
				Protocol string `xml:"NewProtocol"`
			} `xml:",any"`
		} `xml:"Body"`
	}
	if err := xml.NewDecoder(io.LimitReader(r.Body, 8<<10)).Decode(&env); err != nil {
		soapFault(w, 402, "Invalid Args")
		return
	}
	switch name {
	case "GetExternalIPAddress":
		soapAnswer(w, svc, name, [2]string{"NewExternalIPAddress", "203.0.113.77"})
	case "GetGenericPortMappingEntry":
		i, err := strconv.Atoi(strings.TrimSpace(env.Body.Inner.Index))
		ms := d.Mappings()
		if err != nil || i < 0 || i >= len(ms) {
			soapFault(w, 713, "SpecifiedArrayIndexInvalid")
			return
		}
		m := ms[i]
		soapAnswer(w, svc, name, [2]string{"NewRemoteHost", ""}, [2]string{"NewExternalPort", strconv.Itoa(m.ExternalPort)},
			[2]string{"NewProtocol", m.Protocol}, [2]string{"NewInternalPort", strconv.Itoa(m.InternalPort)},
			[2]string{"NewInternalClient", m.InternalClient}, [2]string{"NewEnabled", "1"},
			[2]string{"NewPortMappingDescription", m.Description}, [2]string{"NewLeaseDuration", "0"})
	case "DeletePortMapping":
		port, err := strconv.Atoi(strings.TrimSpace(env.Body.Inner.Port))
		proto := strings.TrimSpace(env.Body.Inner.Protocol)
		if err != nil || (proto != "TCP" && proto != "UDP") {
			soapFault(w, 402, "Invalid Args")
			return
		}
		if !d.deleteMapping(port, proto) {
			soapFault(w, 714, "NoSuchEntryInArray")
			return
		}
		soapAnswer(w, svc, name)
	default:
		soapFault(w, 401, "Invalid Action")
	}
}

// deleteMapping removes the mapping of an external port and protocol, and
// reports whether there was one.
func (d *UPnPDevice) deleteMapping(port int, proto string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, m := range d.mappings {
		if m.ExternalPort == port && m.Protocol == proto {
			d.mappings = append(d.mappings[:i:i], d.mappings[i+1:]...)
			return true
		}
	}
	return false
}

func soapAnswer(w http.ResponseWriter, svc, action string, args ...[2]string) {
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	fmt.Fprintf(w, `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:%sResponse xmlns:u="%s">`, action, svc)
	for _, a := range args {
		fmt.Fprintf(w, "<%s>%s</%s>", a[0], xmlText(a[1]), a[0])
	}
	fmt.Fprintf(w, "</u:%sResponse></s:Body></s:Envelope>", action)
}

// soapFault answers a UPnP error (UDA 2.0 §3.2.2).
func soapFault(w http.ResponseWriter, code int, desc string) {
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>%d</errorCode><errorDescription>%s</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`, code, desc)
}

// natpmpPort is the NAT-PMP server port (RFC 6886 §3.1).
const natpmpPort = 5351

// pcpEpoch is the simulated router's epoch time (seconds since its
// mapping state began), the same over NAT-PMP and PCP.
const pcpEpoch = 7200

// NATPMP answers a request on the NAT-PMP/PCP port as the router does:
// NAT-PMP (RFC 6886 §3.2, §3.5) the external address for opcode 0,
// "unsupported opcode" for the others; PCP (RFC 6887) with PCP on, an
// ANNOUNCE answered with SUCCESS, other opcodes with UNSUPP_OPCODE, a
// malformed request with MALFORMED_REQUEST; without PCP, any request of
// another version with NAT-PMP's "unsupported version" (RFC 6887 §9). nil
// for what is no request, or on a device that is no router.
func (d *UPnPDevice) NATPMP(req []byte) []byte {
	if d.Kind != UPnPRouter || len(req) < 2 || req[1] >= 128 {
		return nil
	}
	if req[0] != 0 {
		return d.pcp(req)
	}
	out := []byte{0, 128 + req[1], 0, 0, 0, 0, 0x1c, 0x20, 203, 0, 113, 77}
	if req[1] != 0 {
		return []byte{0, 128 + req[1], 0, 5, 0, 0, 0x1c, 0x20} // unsupported opcode
	}
	return out
}

// pcp answers a request whose version is not NAT-PMP's.
func (d *UPnPDevice) pcp(req []byte) []byte {
	if !d.PCP || req[0] != 2 {
		// NAT-PMP's "unsupported version": version 0, opcode 128 + the
		// request's, result 1, epoch (RFC 6886 §3.5, RFC 6887 §9).
		return []byte{0, 128 + req[1], 0, 1, 0, 0, 0x1c, 0x20}
	}
	res := make([]byte, 24)
	res[0], res[1] = 2, 0x80|req[1]
	binary.BigEndian.PutUint32(res[8:12], pcpEpoch)
	switch {
	case len(req) < 24 || len(req) > 1100 || len(req)%4 != 0:
		res[3] = 3 // MALFORMED_REQUEST
	case req[1] != 0:
		res[3] = 4 // UNSUPP_OPCODE: the lab's router maps nothing over PCP
	default:
		binary.BigEndian.PutUint32(res[4:8], 0) // ANNOUNCE: lifetime 0
	}
	return res
}
