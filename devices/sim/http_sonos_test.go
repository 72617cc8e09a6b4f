package sim

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

func TestSonosDeviceDescription(t *testing.T) {
	d := newSonos(10, "Esszimmer & Küche", Addr(10))
	rec := get(t, d, "/xml/device_description.xml")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	wantContentType(t, rec, "text/xml")
	var doc struct {
		Device struct {
			DeviceType      string `xml:"deviceType"`
			FriendlyName    string `xml:"friendlyName"`
			Manufacturer    string `xml:"manufacturer"`
			ModelName       string `xml:"modelName"`
			ModelNumber     string `xml:"modelNumber"`
			SoftwareVersion string `xml:"softwareVersion"`
			SerialNum       string `xml:"serialNum"`
			MACAddress      string `xml:"MACAddress"`
			UDN             string `xml:"UDN"`
			RoomName        string `xml:"roomName"`
			DisplayName     string `xml:"displayName"`
			Services        []struct {
				ServiceType string `xml:"serviceType"`
			} `xml:"serviceList>service"`
			Devices []struct {
				UDN string `xml:"UDN"`
			} `xml:"deviceList>device"`
		} `xml:"device"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	dev := doc.Device
	want := map[string]string{
		"deviceType": "urn:schemas-upnp-org:device:ZonePlayer:1", "manufacturer": "Sonos, Inc.",
		"modelName": "Sonos One", "modelNumber": "S18", "softwareVersion": "79.1-52294",
		"serialNum": "34-7E-5C-00-00-0A:E", "MACAddress": "34:7E:5C:00:00:0A",
		"UDN": "uuid:RINCON_347E5C00000A01400", "roomName": "Esszimmer & Küche", "displayName": "One",
	}
	got := map[string]string{
		"deviceType": dev.DeviceType, "manufacturer": dev.Manufacturer, "modelName": dev.ModelName,
		"modelNumber": dev.ModelNumber, "softwareVersion": dev.SoftwareVersion, "serialNum": dev.SerialNum,
		"MACAddress": dev.MACAddress, "UDN": dev.UDN, "roomName": dev.RoomName, "displayName": dev.DisplayName,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if !strings.HasPrefix(dev.FriendlyName, d.Addr.String()+" - Sonos One") || len(dev.Services) < 5 || len(dev.Devices) != 2 {
		t.Errorf("friendlyName %q, %d services, %d sub-devices", dev.FriendlyName, len(dev.Services), len(dev.Devices))
	}
}

func TestSonosRefusals(t *testing.T) {
	d := newSonos(0, "Bad", Addr(0))
	for target, status := range map[string]int{"/status/zp": 403, "/status": 403, "/status/topology": 403, "/nope": 404} {
		rec := get(t, d, target)
		if rec.Code != status || !strings.Contains(rec.Body.String(), "<TITLE>Error ") {
			t.Errorf("%s = %d %q, want %d", target, rec.Code, rec.Body, status)
		}
	}
}
