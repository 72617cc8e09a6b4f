package identify

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
)

// cannedPrinter is a network with one printer on it, in memory: every
// connection gets the same raw HTTP answer, and the request is kept.
type cannedPrinter struct {
	answer []byte

	mu      sync.Mutex
	address string
	method  string
	path    string
	ctype   string
	body    []byte
}

func (c *cannedPrinter) DialContext(_ context.Context, _, address string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		req, err := http.ReadRequest(bufio.NewReader(server))
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		c.mu.Lock()
		c.address, c.method, c.path, c.ctype, c.body = address, req.Method, req.URL.Path, req.Header.Get("Content-Type"), body
		c.mu.Unlock()
		_, _ = server.Write(c.answer)
	}()
	return client, nil
}

// httpAnswer is a raw HTTP/1.1 answer.
func httpAnswer(status int, ctype string, body []byte) []byte {
	return append([]byte(fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		status, http.StatusText(status), ctype, len(body))), body...)
}

// TestIdentifyPrinterAnswers checks what identification makes of a
// printer's answers, good and hostile: a bad answer costs the firmware,
// never the identification.
func TestIdentifyPrinterAnswers(t *testing.T) {
	const txtUUID = "4509a320-00a0-008f-00b6-002507510eca"
	good := ippPrinterAnswer(
		ippVal(0x42, "printer-firmware-name", "Main"),
		ippVal(0x41, "printer-firmware-string-version", "2.4.1"),
		ippVal(0x45, "printer-uuid", "urn:uuid:4509A320-00A0-008F-00B6-002507510ECB"),
		ippVal(0x41, "printer-make-and-model", "Acme LaserWriter 9"),
		ippVal(0x41, "printer-device-id", "MFG:Acme Corp;MDL:LaserWriter 9;"))
	wrongID := append([]byte(nil), good...)
	wrongID[7] = 2
	tests := []struct {
		name     string
		answer   []byte
		port     int
		rp       string
		want     Identity // Family IPPPrinter is implied
		wantPort string
		wantPath string
		saw      string
	}{
		{name: "good", answer: httpAnswer(200, "application/ipp", good),
			want: Identity{Vendor: "Acme Corp", Model: "Acme LaserWriter 9", Firmware: "2.4.1", HardwareID: "4509a320-00a0-008f-00b6-002507510ecb"},
			saw:  "IPP status 0x0000; printer-firmware-string-version=2.4.1; printer-firmware-name=Main;"},
		{name: "announced port and resource", answer: httpAnswer(200, "application/ipp; charset=utf-8", good), port: 8631, rp: "printers/acme",
			want:     Identity{Vendor: "Acme Corp", Model: "Acme LaserWriter 9", Firmware: "2.4.1", HardwareID: "4509a320-00a0-008f-00b6-002507510ecb"},
			wantPort: "8631", wantPath: "/printers/acme", saw: "IPP status 0x0000"},
		{name: "hostile text", answer: httpAnswer(200, "application/ipp", ippPrinterAnswer(
			ippVal(0x41, "printer-firmware-string-version", "9.9\x1b]0;pwned\x07"),
			ippVal(0x41, "printer-make-and-model", "Acme \u202eLaser"))),
			want: Identity{Vendor: "Acme", Model: "Acme \ufffdLaser", Firmware: "9.9\ufffd", HardwareID: txtUUID}, saw: "IPP status"},
		{name: "HTML", answer: httpAnswer(200, "text/html", []byte("<html>Printer</html>")), saw: "no IPP answer: content type"},
		{name: "not found", answer: httpAnswer(404, "application/ipp", nil), saw: "HTTP status 404"},
		{name: "cut short", answer: httpAnswer(200, "application/ipp", good[:len(good)-20]), saw: "cut short"},
		{name: "lying length", answer: httpAnswer(200, "application/ipp", ippCat(ippHead(0, 1), []byte{0x04, 0x41, 0x00, 0x01, 'a', 0xff, 0xff, 'b'}, ippEnd)), saw: "cut short"},
		{name: "garbage", answer: httpAnswer(200, "application/ipp", []byte("\x00\x00\x00\x00\x00\x00\x00\x01\x99\x99")), saw: "malformed"},
		{name: "IPP error", answer: httpAnswer(200, "application/ipp", ippCat(ippHead(0x0401, 1), ippOps, ippEnd)), saw: "IPP status 0x0401"},
		{name: "not our request", answer: httpAnswer(200, "application/ipp", wrongID), saw: "request-id 2"},
		{name: "hung up", answer: nil, saw: "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			printer := &cannedPrinter{answer: tt.answer}
			txt := map[string]string{"ty": "Acme Laser", "uuid": strings.ToUpper(txtUUID), "rp": tt.rp}
			d := discover.Device{Host: "acme.local", Addresses: []netip.Addr{netip.MustParseAddr("127.77.3.3")},
				Services: []discover.Service{{Type: "_ipp._tcp", Instance: "Acme", Port: tt.port, TXT: txt}}}
			id := Identify(context.Background(), printer, d, time.Second)

			want := tt.want
			want.Family = IPPPrinter
			if want.Model == "" {
				// ty is a model; its first word is not taken for the maker.
				want.Model, want.HardwareID = "Acme Laser", txtUUID
			}
			if id.Family != want.Family || id.Vendor != want.Vendor || id.Model != want.Model ||
				id.Firmware != want.Firmware || id.HardwareID != want.HardwareID {
				t.Errorf("identified as %+v\nwant %+v", id, want)
			}
			if n := countRequests(id); n != 1 {
				t.Fatalf("%d requests, want one: %+v", n, id.Evidence)
			}
			ev := id.Evidence[len(id.Evidence)-1]
			if !strings.HasSuffix(ev.Asked, "(IPP Get-Printer-Attributes)") || !strings.Contains(ev.Saw, tt.saw) {
				t.Errorf("evidence %+v, want it to say %q", ev, tt.saw)
			}

			printer.mu.Lock()
			defer printer.mu.Unlock()
			wantPort, wantPath := cmp.Or(tt.wantPort, "631"), cmp.Or(tt.wantPath, "/ipp/print")
			if printer.address != "127.77.3.3:"+wantPort || printer.method != http.MethodPost || printer.path != wantPath || printer.ctype != "application/ipp" {
				t.Errorf("asked %s %s%s (%s), want POST 127.77.3.3:%s%s (application/ipp)", printer.method, printer.address, printer.path, printer.ctype, wantPort, wantPath)
			}
			if want := ippGetPrinterAttributes("ipp://127.77.3.3:" + wantPort + wantPath); string(printer.body) != string(want) {
				t.Errorf("sent % x\nwant % x", printer.body, want)
			}
		})
	}
}

// countRequests counts the requests identification made (TXT records are
// read, not asked).
func countRequests(id Identity) int {
	n := 0
	for _, e := range id.Evidence {
		if !strings.HasPrefix(e.Asked, "TXT ") && e.Asked != announcementEvidence {
			n++
		}
	}
	return n
}
