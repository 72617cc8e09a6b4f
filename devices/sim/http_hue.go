package sim

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Philips Hue bridge, local API v1 over HTTP port 80.
//   - GET /api/config without a whitelisted user returns name,
//     datastoreversion, swversion, apiversion, mac, bridgeid, factorynew,
//     replacesbridgeid, modelid, starterkitid (documented by Philips as
//     allowed for non-whitelisted users; HueSDK types; Q42.HueApi #126). A
//     real bridge answers the same for /api/<unknown user>/config, and
//     /api/<unknown user>[/<resource>] gives error type 1 "unauthorized
//     user" with the resource as address, "/" for the bare user; GET /api
//     gives type 4 (diyhue/diyHue issue #293 quoting a real bridge; address
//     "/lights" seen in entrippy/OctoPrint-OctoHue #36).
//   - POST /api {"devicetype":...} without the link button pressed: error
//     type 101 "link button not pressed" with address "" (Hue "getting
//     started" docs). Pairing itself is not simulated.
//   - GET /description.xml: the UPnP description BSB002 bridges serve
//     (modelName "Philips hue bridge 2015", modelNumber BSB002, serial = MAC,
//     UDN uuid:2f402f80-da50-11e1-9b23-<mac>; Burgestrand/hue-api and
//     emulators copying the real document).
// Error descriptions for invalid bodies (types 2 and 5) are (unverified).

func init() { familyHandlers[HueBridge] = newHueAPI }

// hueAPI serves one bridge.
type hueAPI struct{ d *Device }

func newHueAPI(d *Device) http.Handler {
	a := &hueAPI{d: d}
	return apiBounded(a.serve)
}

// hueError is one element of a v1 error array.
type hueError struct {
	Type        int    `json:"type"`
	Address     string `json:"address"`
	Description string `json:"description"`
}

func hueErrorReply(w http.ResponseWriter, e hueError) {
	apiJSON(w, http.StatusOK, []map[string]hueError{{"error": e}})
}

func (a *hueAPI) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/description.xml":
		a.description(w)
	case path == "/api" || path == "/api/":
		if r.Method == http.MethodPost {
			a.createUser(w, r)
			return
		}
		hueErrorReply(w, hueError{Type: 4, Address: "/",
			Description: "method, " + r.Method + ", not available for resource, /"})
	case strings.HasPrefix(path, "/api/"):
		user, resource, _ := strings.Cut(strings.TrimPrefix(path, "/api/"), "/")
		if (resource == "config" || user == "config" && resource == "") && r.Method == http.MethodGet {
			apiJSON(w, http.StatusOK, a.config())
			return
		}
		// No user is whitelisted: pairing needs the physical link button.
		hueErrorReply(w, hueError{Type: 1, Address: "/" + strings.TrimSuffix(resource, "/"),
			Description: "unauthorized user"})
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
	}
}

// createUser answers POST /api: the link button is never pressed.
func (a *hueAPI) createUser(w http.ResponseWriter, r *http.Request) {
	body, err := apiReadBody(r)
	var req struct {
		DeviceType *string `json:"devicetype"`
	}
	switch {
	case err != nil || json.Unmarshal(body, &req) != nil:
		hueErrorReply(w, hueError{Type: 2, Address: "/", Description: "body contains invalid json"})
	case req.DeviceType == nil || *req.DeviceType == "":
		hueErrorReply(w, hueError{Type: 5, Address: "/", Description: "invalid/missing parameters in body"})
	default:
		hueErrorReply(w, hueError{Type: 101, Address: "", Description: "link button not pressed"})
	}
}

type hueConfig struct {
	Name             string  `json:"name"`
	DatastoreVersion string  `json:"datastoreversion"`
	SWVersion        string  `json:"swversion"`
	APIVersion       string  `json:"apiversion"`
	MAC              string  `json:"mac"`
	BridgeID         string  `json:"bridgeid"`
	FactoryNew       bool    `json:"factorynew"`
	ReplacesBridgeID *string `json:"replacesbridgeid"`
	ModelID          string  `json:"modelid"`
	StarterKitID     string  `json:"starterkitid"`
}

// hueBridgeID is the bridge id: the MAC with FFFE in the middle (EUI-64).
func (a *hueAPI) bridgeID() string { return a.d.MAC[:6] + "FFFE" + a.d.MAC[6:] }

func (a *hueAPI) config() hueConfig {
	return hueConfig{
		Name: a.d.Name, DatastoreVersion: "166", SWVersion: a.d.Firmware,
		APIVersion: hueAPIVersion(a.d.Firmware), MAC: strings.ToLower(a.d.apiMAC(":")),
		BridgeID: a.bridgeID(), ModelID: a.d.Model,
	}
}

// hueAPIVersion derives the API version from a BSB002 software version:
// swversion 19XXyyyzzz goes with apiversion 1.XX.0 (e.g. 1967054020 → 1.67.0).
func hueAPIVersion(sw string) string {
	if len(sw) != 10 || !strings.HasPrefix(sw, "19") {
		return "1.67.0"
	}
	return "1." + strings.TrimPrefix(sw[2:4], "0") + ".0"
}

func (a *hueAPI) description(w http.ResponseWriter) {
	addr := a.d.Addr.String()
	serial := strings.ToLower(a.d.MAC)
	doc := `<?xml version="1.0" encoding="UTF-8" ?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
<specVersion>
<major>1</major>
<minor>0</minor>
</specVersion>
<URLBase>http://` + addr + `:80/</URLBase>
<device>
<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>
<friendlyName>` + apiXMLEscape(a.d.Name+" ("+addr+")") + `</friendlyName>
<manufacturer>Signify</manufacturer>
<manufacturerURL>http://www.philips-hue.com</manufacturerURL>
<modelDescription>Philips hue Personal Wireless Lighting</modelDescription>
<modelName>Philips hue bridge 2015</modelName>
<modelNumber>` + a.d.Model + `</modelNumber>
<modelURL>http://www.philips-hue.com</modelURL>
<serialNumber>` + serial + `</serialNumber>
<UDN>uuid:2f402f80-da50-11e1-9b23-` + serial + `</UDN>
<presentationURL>index.html</presentationURL>
<iconList>
<icon>
<mimetype>image/png</mimetype>
<height>48</height>
<width>48</width>
<depth>24</depth>
<url>hue_logo_0.png</url>
</icon>
</iconList>
</device>
</root>
`
	apiBody(w, http.StatusOK, "text/xml", doc)
}
