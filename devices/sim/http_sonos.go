package sim

import (
	"net/http"
	"strings"
)

// Sonos player, HTTP/UPnP on port 1400.
//   - GET /xml/device_description.xml: the UPnP description of a ZonePlayer,
//     shaped like a real S2 player's answer quoted in ebaauw/homebridge-zp
//     issue #179 (deviceType ZonePlayer:1, friendlyName "<ip> - <model>",
//     manufacturer "Sonos, Inc.", modelNumber, softwareVersion, swGen,
//     hardwareVersion, serialNum "<MAC with dashes>:<n>", MACAddress, UDN
//     uuid:RINCON_<MAC>01400, roomName, displayName, ...).
//   - Current firmware refuses its diagnostic and control pages over plain
//     HTTP with 403 and a small HTML page (body as quoted in simojenki/bonob
//     #239). Which /status pages still answer on 79.x firmware is
//     (unverified): all of /status/* answer 403 here, other paths 404 in the
//     same style.

func init() { familyHandlers[Sonos] = newSonosAPI }

// sonosError is the player's HTML error page.
func sonosError(w http.ResponseWriter, status int) {
	code, text := "403", "Forbidden"
	if status == http.StatusNotFound {
		code, text = "404", "Not Found"
	}
	apiBody(w, status, "text/html", "<HTML><HEAD><TITLE>Error "+code+"</TITLE></HEAD><BODY><H1>Error "+
		code+"</H1><P>"+text+"</P></BODY></HTML>")
}

func newSonosAPI(d *Device) http.Handler {
	return apiBounded(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/xml/device_description.xml":
			apiBody(w, http.StatusOK, "text/xml", sonosDescription(d))
		case r.URL.Path == "/status" || strings.HasPrefix(r.URL.Path, "/status/"):
			sonosError(w, http.StatusForbidden)
		default:
			sonosError(w, http.StatusNotFound)
		}
	})
}

func sonosDescription(d *Device) string {
	number := apiXMLEscape(d.apiTXT("model")) // the model number, e.g. S18
	rincon := "RINCON_" + d.MAC + "01400"
	model := apiXMLEscape(d.Model)
	service := func(name, path string) string {
		return `<service><serviceType>urn:schemas-upnp-org:service:` + name + `:1</serviceType>` +
			`<serviceId>urn:upnp-org:serviceId:` + name + `</serviceId>` +
			`<controlURL>` + path + `/Control</controlURL><eventSubURL>` + path + `/Event</eventSubURL>` +
			`<SCPDURL>/xml/` + name + `1.xml</SCPDURL></service>`
	}
	return `<?xml version="1.0" encoding="utf-8" ?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <device>
    <deviceType>urn:schemas-upnp-org:device:ZonePlayer:1</deviceType>
    <friendlyName>` + d.Addr.String() + ` - ` + model + ` - ` + rincon + `</friendlyName>
    <manufacturer>Sonos, Inc.</manufacturer>
    <manufacturerURL>http://www.sonos.com</manufacturerURL>
    <modelNumber>` + number + `</modelNumber>
    <modelDescription>` + model + `</modelDescription>
    <modelName>` + model + `</modelName>
    <modelURL>http://www.sonos.com/products/zoneplayers/` + number + `</modelURL>
    <softwareVersion>` + apiXMLEscape(d.Firmware) + `</softwareVersion>
    <swGen>2</swGen>
    <hardwareVersion>1.20.1.6-2.1</hardwareVersion>
    <serialNum>` + d.apiMAC("-") + `:E</serialNum>
    <MACAddress>` + d.apiMAC(":") + `</MACAddress>
    <UDN>uuid:` + rincon + `</UDN>
    <iconList><icon><id>0</id><mimetype>image/png</mimetype><width>48</width><height>48</height><depth>24</depth><url>/img/icon-` + number + `.png</url></icon></iconList>
    <minCompatibleVersion>78.0-00000</minCompatibleVersion>
    <legacyCompatibleVersion>58.0-00000</legacyCompatibleVersion>
    <apiVersion>1.40.0</apiVersion>
    <minApiVersion>1.1.0</minApiVersion>
    <displayVersion>15.9</displayVersion>
    <extraVersion></extraVersion>
    <roomName>` + apiXMLEscape(d.Name) + `</roomName>
    <displayName>` + apiXMLEscape(strings.TrimPrefix(d.Model, "Sonos ")) + `</displayName>
    <serviceList>` +
		service("AlarmClock", "/AlarmClock") + service("MusicServices", "/MusicServices") +
		service("DeviceProperties", "/DeviceProperties") + service("SystemProperties", "/SystemProperties") +
		service("ZoneGroupTopology", "/ZoneGroupTopology") + service("GroupManagement", "/GroupManagement") + `</serviceList>
    <deviceList>
      <device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>` + d.Addr.String() + ` - ` + model + ` Media Server - ` + rincon + `</friendlyName><manufacturer>Sonos, Inc.</manufacturer><modelName>` + model + `</modelName><UDN>uuid:` + rincon + `_MS</UDN></device>
      <device><deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType><friendlyName>` + apiXMLEscape(d.Name) + ` - ` + model + `</friendlyName><manufacturer>Sonos, Inc.</manufacturer><modelName>` + model + `</modelName><UDN>uuid:` + rincon + `_MR</UDN></device>
    </deviceList>
  </device>
</root>
`
}
