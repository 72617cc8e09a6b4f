package sim

import (
	"bufio"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Camera is a simulated ONVIF network camera, written from the ONVIF Core
// Specification (device service, WS-Discovery) and WS-Discovery 1.1: it
// answers probes for NetworkVideoTransmitter from its own address and
// serves the ONVIF device service and an admin page over plain HTTP on
// port 80.
type Camera struct {
	Name         string     `json:"name"`
	Addr         netip.Addr `json:"address"`
	UUID         string     `json:"uuid"`
	Manufacturer string     `json:"manufacturer"`
	Model        string     `json:"model"`
	Firmware     string     `json:"firmware"`
	Serial       string     `json:"serial"`
	// Auth makes it refuse GetDeviceInformation without credentials (a
	// SOAP fault ter:NotAuthorized, ONVIF Core §5.11.2.1); without it the
	// camera tells anyone what it is.
	Auth bool `json:"auth"`
	// Username and Password are the one login it accepts, as a
	// WS-UsernameToken with a PasswordDigest (ONVIF Core §5.12.2); none
	// when Password is empty. The password is never written out.
	Username string `json:"username,omitempty"`
	Password string `json:"-"`
	// TLSPort, when set, is where it also serves its device service over
	// HTTPS, with a key of its own made when first served: a copy of the
	// camera cannot have it.
	TLSPort int `json:"tls_port,omitempty"`
	// Impostor marks a camera that copies another's announcement (see
	// CameraImpostor).
	Impostor bool `json:"impostor,omitempty"`

	mu     sync.Mutex
	cert   *tls.Certificate
	logins int
}

// CameraPort is where the cameras serve ONVIF and their admin page.
const CameraPort = 80

// Cameras returns the ONVIF cameras of a profile: two in the home and
// hostile households, one asking for a password and one not.
func Cameras(p Profile) []*Camera {
	if p != ProfileHome && p != ProfileHostile {
		return nil
	}
	return []*Camera{
		// On its maker's documented factory login (see the catalog's
		// cameras/dahua.json).
		{Name: "Haustür Kamera", Addr: netip.AddrFrom4([4]byte{127, 77, 250, 20}), UUID: "5f5a69c2-e0ae-504f-829b-3ce36b1a2b3c",
			Manufacturer: "Dahua", Model: "IPC-HDW1230S", Firmware: "2.420.0000.0.R", Serial: "3G01B2CPAZ00123", Auth: true,
			Username: "admin", Password: "admin", TLSPort: 443},
		{Name: "Garten Kamera", Addr: netip.AddrFrom4([4]byte{127, 77, 250, 21}), UUID: "2419d68a-2dd2-21b2-a205-ec71db9a8b7c",
			Manufacturer: "Generic", Model: "IPC-HX2431", Firmware: "V5.5.0 build 190528", Serial: "EC71DB9A8B7C"},
	}
}

// XAddr is the address of the camera's ONVIF device service.
func (c *Camera) XAddr() string {
	return "http://" + c.Addr.String() + "/onvif/device_service"
}

// ProbeMatches is the camera's answer to a probe with messageID
// (WS-Discovery 1.1 §5.3, ONVIF Core §7.3.2 scopes).
func (c *Camera) ProbeMatches(messageID string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">` +
		`<SOAP-ENV:Header><wsa:MessageID>urn:uuid:` + c.UUID[:24] + `00000000ffff</wsa:MessageID><wsa:RelatesTo>` + xmlText(messageID) + `</wsa:RelatesTo>` +
		`<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>` +
		`<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:` + c.UUID + `</wsa:Address></wsa:EndpointReference>` +
		`<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>` +
		`<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/name/` + strings.ReplaceAll(xmlText(c.Name), " ", "%20") +
		` onvif://www.onvif.org/hardware/` + xmlText(c.Model) + `</d:Scopes>` +
		`<d:XAddrs>` + c.XAddr() + `</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
}

// Ports are the TCP ports it serves: CameraPort, and TLSPort when set.
func (c *Camera) Ports() []int {
	if c.TLSPort > 0 {
		return []int{CameraPort, c.TLSPort}
	}
	return []int{CameraPort}
}

// Listen wraps ln, the listener of one of its Ports, so that TLSPort
// serves TLS with the camera's own key.
func (c *Camera) Listen(ln net.Listener, port int) (net.Listener, error) {
	if port != c.TLSPort || port == 0 {
		return ln, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cert == nil {
		cert, err := selfSigned(strings.ToLower(c.Serial))
		if err != nil {
			return nil, fmt.Errorf("camera %q: making its TLS key: %w", c.Name, err)
		}
		c.cert = &cert
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*c.cert}, MinVersion: tls.VersionTLS12}), nil
}

// TLSKey is the SHA-256 of the camera's public key (its SPKI), hex; ""
// before it was first served over TLS.
func (c *Camera) TLSKey() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cert == nil || c.cert.Leaf == nil {
		return ""
	}
	sum := sha256.Sum256(c.cert.Leaf.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// Logins is how many requests with a WS-UsernameToken it received.
func (c *Camera) Logins() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logins
}

// Handler serves the ONVIF device service and the admin page.
func (c *Camera) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /onvif/device_service", c.serveDevice)
	mux.HandleFunc("POST /onvif/media_service", c.serveMedia)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body><form method=post action=/login><input name=user><input type=password name=password></form></body></html>", xmlText(c.Model))
	})
	return mux
}

func (c *Camera) serveDevice(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 16<<10))
	body := string(b)
	authed := false
	if strings.Contains(body, "UsernameToken") {
		c.mu.Lock()
		c.logins++
		c.mu.Unlock()
		authed = c.Password != "" && validDigest(body, c.Username, c.Password)
	}
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	const head = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body>`
	const tail = `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
	switch {
	case strings.Contains(body, "GetSystemDateAndTime"):
		io.WriteString(w, head+`<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>true</tt:DaylightSavings>`+
			`<tt:UTCDateTime><tt:Time><tt:Hour>12</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year><tt:Month>12</tt:Month><tt:Day>4</tt:Day></tt:Date></tt:UTCDateTime>`+
			`</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`+tail)
	case strings.Contains(body, "UsernameToken") && !authed:
		// A login it does not accept: ONVIF Core §5.12.2 answers HTTP 400
		// with the fault ter:NotAuthorized whatever the request.
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, head+`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>`+
			`<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Sender not Authorized</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`+tail)
	case strings.Contains(body, "GetCapabilities"): // in ONVIF Core's PRE_AUTH access class: answered without credentials
		io.WriteString(w, head+`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://`+c.Addr.String()+`/onvif/media_service</tt:XAddr>`+
			`<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>`+
			`</tds:Capabilities></tds:GetCapabilitiesResponse>`+tail)
	case strings.Contains(body, "GetDeviceInformation") && c.Auth && !authed:
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, head+`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>`+
			`<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Sender not Authorized</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`+tail)
	case strings.Contains(body, "GetDeviceInformation"):
		fmt.Fprintf(w, head+`<tds:GetDeviceInformationResponse><tds:Manufacturer>%s</tds:Manufacturer><tds:Model>%s</tds:Model><tds:FirmwareVersion>%s</tds:FirmwareVersion><tds:SerialNumber>%s</tds:SerialNumber><tds:HardwareId>1</tds:HardwareId></tds:GetDeviceInformationResponse>`+tail,
			xmlText(c.Manufacturer), xmlText(c.Model), xmlText(c.Firmware), xmlText(c.Serial))
	default:
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, head+`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:ActionNotSupported</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code></SOAP-ENV:Fault>`+tail)
	}
}

// serveMedia serves the ONVIF media service's GetProfiles and GetStreamUri
// (ONVIF Media Service Specification §5.2, §5.15.1): one profile, whose
// stream is rtsp://ADDR:554/stream1; a camera with Auth refuses both
// without credentials.
func (c *Camera) serveMedia(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 16<<10))
	body := string(b)
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	const head = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body>`
	const tail = `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
	switch {
	case c.Auth && !strings.Contains(body, "UsernameToken"):
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, head+`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code></SOAP-ENV:Fault>`+tail)
	case strings.Contains(body, "GetProfiles"):
		io.WriteString(w, head+`<trt:GetProfilesResponse><trt:Profiles token="profile_1" fixed="true"><tt:Name>mainStream</tt:Name></trt:Profiles></trt:GetProfilesResponse>`+tail)
	case strings.Contains(body, "GetStreamUri") && strings.Contains(body, "profile_1"):
		io.WriteString(w, head+`<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>`+c.StreamURI()+`</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>`+
			`<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`+tail)
	default:
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, head+`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:ActionNotSupported</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code></SOAP-ENV:Fault>`+tail)
	}
}

// StreamURI is where the camera's video stream is, as GetStreamUri says.
func (c *Camera) StreamURI() string {
	return "rtsp://" + netip.AddrPortFrom(c.Addr, RTSPPort).String() + "/stream1"
}

// probeMessageID returns the MessageID of a WS-Discovery Probe for
// NetworkVideoTransmitter (or for any type), and whether msg is one.
func probeMessageID(msg string) (string, bool) {
	if !strings.Contains(msg, "/discovery/Probe<") && !strings.Contains(msg, ":Probe>") {
		return "", false
	}
	if i := strings.Index(msg, "<d:Types>"); i >= 0 && !strings.Contains(msg[i:], "NetworkVideoTransmitter") {
		return "", false
	}
	_, rest, ok := strings.Cut(msg, "MessageID>")
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, "<")
	return id, ok && id != ""
}

// RTSPPort is where the cameras serve their video stream (RFC 2326 §3.2).
const RTSPPort = 554

// ServeRTSP answers RTSP requests on conn until it closes (RFC 2326):
// OPTIONS with the methods it supports; DESCRIBE with the stream's session
// description (RFC 8866), or, on a camera with Auth, with 401 and a Digest
// challenge (§D.1, RFC 2069) unless the request carries credentials
// (Porchlight never sends any); other methods with 405. Requests are read
// bounded (4 KiB of headers), each within 10 s.
func (c *Camera) ServeRTSP(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReaderSize(conn, 4096)
	for {
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		method, cseq, authed, err := readRTSPRequest(r)
		if err != nil {
			return
		}
		head := "RTSP/1.0 %s\r\nCSeq: " + cseq + "\r\nServer: " + c.Model + " RTSP server\r\n"
		var out string
		switch {
		case method == "OPTIONS":
			out = fmt.Sprintf(head, "200 OK") + "Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER\r\n\r\n"
		case method == "DESCRIBE" && c.Auth && !authed:
			out = fmt.Sprintf(head, "401 Unauthorized") + `WWW-Authenticate: Digest realm="` + c.Model + `_` + c.Serial + `", nonce="` + c.UUID[:16] + `", stale=FALSE` + "\r\n\r\n"
		case method == "DESCRIBE":
			sdp := "v=0\r\no=- 1 1 IN IP4 " + c.Addr.String() + "\r\ns=" + c.Name + "\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=1\r\n"
			out = fmt.Sprintf(head, "200 OK") + "Content-Base: rtsp://" + c.Addr.String() + ":554/\r\nContent-Type: application/sdp\r\nContent-Length: " +
				strconv.Itoa(len(sdp)) + "\r\n\r\n" + sdp
		default:
			out = fmt.Sprintf(head, "405 Method Not Allowed") + "Allow: OPTIONS, DESCRIBE\r\n\r\n"
		}
		if _, err := io.WriteString(conn, out); err != nil {
			return
		}
	}
}

// readRTSPRequest reads one request's method, CSeq and whether it carries
// credentials, skipping a body of at most 4 KiB.
func readRTSPRequest(r *bufio.Reader) (method, cseq string, authed bool, err error) {
	total, length := 0, 0
	for n := 0; ; n++ {
		line, err := r.ReadSlice('\n')
		if total += len(line); err != nil || total > 4096 || n > 64 {
			return "", "", false, errors.New("a bad request")
		}
		l := strings.TrimRight(string(line), "\r\n")
		if n == 0 {
			method, _, _ = strings.Cut(l, " ")
			continue
		}
		if l == "" {
			break
		}
		k, v, _ := strings.Cut(l, ":")
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "CSEQ":
			cseq = strings.TrimSpace(v)
		case "AUTHORIZATION":
			authed = true
		case "CONTENT-LENGTH":
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if length < 0 || length > 4096 {
		return "", "", false, errors.New("a bad request")
	}
	if _, err := io.CopyN(io.Discard, r, int64(length)); err != nil {
		return "", "", false, err
	}
	return method, cseq, authed, nil
}

// validDigest reports whether body carries a WS-UsernameToken for user
// whose PasswordDigest is Base64(SHA-1(nonce + created + password))
// (WS-Security UsernameToken Profile 1.0 §3.1, as ONVIF Core §5.12.2 uses it).
func validDigest(body, user, password string) bool {
	nonce, err := base64.StdEncoding.DecodeString(elementText(body, "Nonce"))
	created := elementText(body, "Created")
	if err != nil || created == "" || elementText(body, "Username") != user {
		return false
	}
	sum := sha1.Sum(append(append(nonce, created...), password...))
	return elementText(body, "Password") == base64.StdEncoding.EncodeToString(sum[:])
}

// elementText is the text of the first element of body named local (with
// any namespace prefix), "" when there is none.
func elementText(body, local string) string {
	for _, open := range []string{":" + local, "<" + local} {
		rest := body
		for {
			i := strings.Index(rest, open)
			if i < 0 {
				break
			}
			rest = rest[i+len(open):]
			if rest == "" || (rest[0] != '>' && rest[0] != ' ') {
				continue
			}
			_, after, ok := strings.Cut(rest, ">")
			if !ok {
				return ""
			}
			text, _, _ := strings.Cut(after, "<")
			return strings.TrimSpace(text)
		}
	}
	return ""
}

// CameraImpostor asks the lab for a camera that copies a household
// camera: its WS-Discovery announcement (name, UUID, scopes) and its
// device service (maker, model, asking for a login, HTTPS), but with a TLS
// key of its own, which a copy cannot avoid. It accepts no login and counts
// the logins it receives (see Camera.Logins).
type CameraImpostor struct {
	// Of is the Name of the household camera it copies.
	Of string
	// SameAddress makes it take over the copied camera's address (the real
	// one leaves the network); otherwise it answers at an address of its
	// own.
	SameAddress bool
}

// withCameraImpostors returns cams with the impostors specs ask for: in
// place of the camera they copy, or after the household's cameras.
func withCameraImpostors(cams []*Camera, specs []CameraImpostor) ([]*Camera, error) {
	out := slices.Clone(cams)
	for k, spec := range specs {
		i := slices.IndexFunc(cams, func(c *Camera) bool { return c.Name == spec.Of })
		if i < 0 {
			return nil, fmt.Errorf("camera impostor %d: no camera of the household is named %q", k+1, spec.Of)
		}
		orig := cams[i]
		imp := &Camera{Name: orig.Name, Addr: netip.AddrFrom4([4]byte{127, 77, 250, byte(40 + k)}), UUID: orig.UUID,
			Manufacturer: orig.Manufacturer, Model: orig.Model, Firmware: orig.Firmware, Serial: "IMPOSTOR" + strconv.Itoa(k+1),
			Auth: true, Username: orig.Username, TLSPort: orig.TLSPort, Impostor: true}
		if !spec.SameAddress {
			out = append(out, imp)
			continue
		}
		j := slices.Index(out, orig)
		if j < 0 {
			return nil, fmt.Errorf("camera impostor %d: another impostor took over the address of %q already", k+1, spec.Of)
		}
		imp.Addr, out[j] = orig.Addr, imp
	}
	return out, nil
}
