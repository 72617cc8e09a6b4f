package natpmp

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
)

func TestAnnounceRequest(t *testing.T) {
	b := AnnounceRequest(netip.MustParseAddr("192.168.178.20"))
	want := []byte{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 178, 20}
	if string(b) != string(want) {
		t.Errorf("AnnounceRequest = %v, want %v", b, want)
	}
	if b := AnnounceRequest(netip.MustParseAddr("fd00::5")); len(b) != 24 || b[8] != 0xfd || b[23] != 5 {
		t.Errorf("AnnounceRequest(IPv6) = %v", b)
	}
}

func TestParsePCP(t *testing.T) {
	pcpOK := make([]byte, 24)
	pcpOK[0], pcpOK[1], pcpOK[11] = 2, 0x80, 42
	withOption := append(append([]byte{}, pcpOK...), 0x82, 0, 0, 0) // an unread option
	notAuth := append([]byte{}, pcpOK...)
	notAuth[3] = 2
	tests := []struct {
		name    string
		b       []byte
		want    PCPAnswer
		speaks  bool
		result  string
		wantErr bool
	}{
		{"PCP success", pcpOK, PCPAnswer{Version: 2, Result: 0, Epoch: 42}, true, "SUCCESS", false},
		{"PCP success with an option", withOption, PCPAnswer{Version: 2, Result: 0, Epoch: 42}, true, "SUCCESS", false},
		{"PCP not authorized", notAuth, PCPAnswer{Version: 2, Result: 2, Epoch: 42}, true, "NOT_AUTHORIZED", false},
		{"NAT-PMP only (RFC 6887 §9)", []byte{0, 128, 0, 1, 0, 0, 0x1c, 0x20}, PCPAnswer{Version: 0, Result: 1, Epoch: 7200}, false, "Unsupported Version", false},
		{"too short", pcpOK[:20], PCPAnswer{}, false, "", true},
		{"not a multiple of 4", append(append([]byte{}, pcpOK...), 0), PCPAnswer{}, false, "", true},
		{"a request echoed", AnnounceRequest(netip.Addr{}), PCPAnswer{}, false, "", true},
		{"an answer to another opcode", append([]byte{2, 0x81}, pcpOK[2:]...), PCPAnswer{}, false, "", true},
		{"version 1 (a PCP draft)", append([]byte{1}, pcpOK[1:]...), PCPAnswer{}, false, "", true},
		{"NAT-PMP external address answer", []byte{0, 128 + 1, 0, 0, 0, 0, 0, 0}, PCPAnswer{}, false, "", true},
		{"huge", append(append([]byte{}, pcpOK...), make([]byte, 1100)...), PCPAnswer{}, false, "", true},
		{"empty", nil, PCPAnswer{}, false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePCP(tt.b)
			if tt.wantErr {
				if !errors.Is(err, ErrPCPAnswer) {
					t.Errorf("ParsePCP = %+v, %v; want ErrPCPAnswer", got, err)
				}
				return
			}
			if err != nil || got != tt.want || got.SpeaksPCP() != tt.speaks || got.ResultName() != tt.result {
				t.Errorf("ParsePCP = %+v (%q), %v; want %+v (%q)", got, got.ResultName(), err, tt.want, tt.result)
			}
		})
	}
}

// TestSimRouterPCP: the lab's router answers ANNOUNCE as a PCP server;
// one without PCP answers as a NAT-PMP-only router (RFC 6887 §9), and
// both answers parse as such.
func TestSimRouterPCP(t *testing.T) {
	req := AnnounceRequest(netip.MustParseAddr("127.0.0.1"))
	for _, tt := range []struct {
		pcp  bool
		want PCPAnswer
	}{
		{true, PCPAnswer{Version: 2, Result: PCPSuccess, Epoch: 7200}},
		{false, PCPAnswer{Version: 0, Result: PCPUnsuppVersion, Epoch: 7200}},
	} {
		r := &sim.UPnPDevice{Kind: sim.UPnPRouter, PCP: tt.pcp}
		got, err := ParsePCP(r.NATPMP(req))
		if err != nil || got != tt.want {
			t.Errorf("PCP %v: %+v %v, want %+v", tt.pcp, got, err, tt.want)
		}
	}
	r := &sim.UPnPDevice{Kind: sim.UPnPRouter, PCP: true}
	if a, err := ParsePCP(r.NATPMP(req[:20])); err != nil || a.Result != 3 {
		t.Errorf("a malformed request: %+v %v, want MALFORMED_REQUEST", a, err)
	}
}

// FuzzParsePCP: any answer is read without a panic; an accepted one is
// within PCP's bounds and names version 0 or 2.
func FuzzParsePCP(f *testing.F) {
	ok := make([]byte, 24)
	ok[0], ok[1] = 2, 0x80
	f.Add(ok)
	f.Add([]byte{0, 128, 0, 1, 0, 0, 0x1c, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParsePCP(b)
		if err != nil {
			return
		}
		if len(b) > MaxPCPMessage || len(b) < 8 || (a.Version != 0 && a.Version != 2) || (a.Version == 2 && (len(b) < 24 || len(b)%4 != 0)) {
			t.Errorf("accepted %d bytes as %+v", len(b), a)
		}
	})
}
