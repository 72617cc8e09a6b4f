package igd

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/sim"
)

// TestCheckLabRouter reads the simulated router's IGD through the demo's
// in-memory network: its external address and its three mappings.
func TestCheckLabRouter(t *testing.T) {
	demo, err := sim.NewDemo(sim.ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	var router *sim.UPnPDevice
	for _, d := range demo.UPnPDevices() {
		if d.Kind == sim.UPnPRouter {
			router = d
		}
	}
	rep, err := Check(context.Background(), demo, Router{Addr: router.Addr, Port: sim.UPnPPort, Path: "/desc.xml"}, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Service != ConnectionTypes[0] || rep.ExternalAddress != "203.0.113.77" || !rep.Complete || rep.More || rep.Error != "" {
		t.Errorf("report %+v", rep)
	}
	want := router.Mappings()
	if len(rep.Mappings) != len(want) {
		t.Fatalf("%d mappings, want %d", len(rep.Mappings), len(want))
	}
	for i, m := range rep.Mappings {
		w := want[i]
		if m.ExternalPort != w.ExternalPort || m.Protocol != w.Protocol || m.InternalClient != w.InternalClient || m.InternalPort != w.InternalPort || m.Description != w.Description || !m.Enabled {
			t.Errorf("mapping %d: %+v, want %+v", i, m, w)
		}
	}
	if len(rep.Evidence) == 0 || !strings.Contains(rep.Evidence[0].Asked, "GetExternalIPAddress") {
		t.Errorf("evidence %+v", rep.Evidence)
	}
}

func TestCheckRefusesNonGateway(t *testing.T) {
	demo, err := sim.NewDemo(sim.ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	for _, d := range demo.UPnPDevices() {
		if d.Kind != sim.UPnPNAS {
			continue
		}
		if _, err := Check(context.Background(), demo, Router{Addr: d.Addr, Port: sim.UPnPPort, Path: "/desc.xml"}, time.Second); err == nil {
			t.Errorf("a NAS checked as a router")
		}
	}
	if _, err := Check(context.Background(), demo, Router{Addr: netip.MustParseAddr("8.8.8.8"), Port: 80, Path: "/"}, time.Second); err == nil {
		t.Errorf("an internet address was contacted")
	}
}

func TestParseAnswer(t *testing.T) {
	env := func(inner string) string {
		return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` + inner + `</s:Body></s:Envelope>`
	}
	fault := func(code int) string {
		return env(`<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>` +
			strconv.Itoa(code) + `</errorCode><errorDescription>SpecifiedArrayIndexInvalid</errorDescription></UPnPError></detail></s:Fault>`)
	}
	ok := env(`<u:GetExternalIPAddressResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewExternalIPAddress>198.51.100.4</NewExternalIPAddress></u:GetExternalIPAddressResponse>`)
	out, err := ParseAnswer([]byte(ok), "GetExternalIPAddress")
	if err != nil || out["NewExternalIPAddress"] != "198.51.100.4" {
		t.Errorf("answer: %v %v", out, err)
	}
	_, err = ParseAnswer([]byte(fault(713)), "GetGenericPortMappingEntry")
	var f *Fault
	if !errors.As(err, &f) || f.Code != 713 {
		t.Errorf("fault: %v", err)
	}
	for name, doc := range map[string]string{
		"other action":    ok,
		"dtd":             `<!DOCTYPE x [<!ENTITY a "b">]>` + ok,
		"entity":          env(`<u:GetGenericPortMappingEntryResponse><NewProtocol>&a;</NewProtocol></u:GetGenericPortMappingEntryResponse>`),
		"fault sans code": env(`<s:Fault><faultstring>x</faultstring></s:Fault>`),
		"empty body":      env(""),
		"deep":            env(`<u:GetGenericPortMappingEntryResponse>` + strings.Repeat("<a>", 20) + strings.Repeat("</a>", 20) + `</u:GetGenericPortMappingEntryResponse>`),
		"huge":            env(strings.Repeat(" ", MaxAnswer)),
		"cut":             `<s:Envelope><s:Body><u:GetGen`,
	} {
		if _, err := ParseAnswer([]byte(doc), "GetGenericPortMappingEntry"); !errors.Is(err, ErrSOAP) {
			t.Errorf("%s: %v, want ErrSOAP", name, err)
		}
	}
}

func TestEnvelopeEscapes(t *testing.T) {
	e := string(Envelope("urn:x", "A", [2]string{"NewPortMappingIndex", "<3&"}))
	if !strings.Contains(e, "<NewPortMappingIndex>&lt;3&amp;</NewPortMappingIndex>") {
		t.Errorf("%s", e)
	}
}
