package sim

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// SSDPAnswer is one SSDP message a simulated device sent, and its address.
type SSDPAnswer struct {
	From netip.Addr
	Data []byte
}

// serveUPnP serves devices' HTTP in the process, beside the demo's others.
func (d *Demo) serveUPnP(devices []*UPnPDevice) {
	d.upnp = devices
	for _, dev := range devices {
		for _, port := range dev.Ports() {
			ap := netip.AddrPortFrom(dev.Addr, uint16(port))
			ln := &pipeListener{addr: net.TCPAddrFromAddrPort(ap), conns: make(chan net.Conn), closed: make(chan struct{})}
			srv := &http.Server{Handler: dev.Handler(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
			d.listeners[ap], d.servers = ln, append(d.servers, srv)
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				_ = srv.Serve(ln)
			}()
		}
	}
}

// UPnPDevices returns the demo's devices that announce themselves over SSDP.
func (d *Demo) UPnPDevices() []*UPnPDevice { return d.upnp }

// SSDPAnswers are what the demo's UPnP devices answer to an M-SEARCH for
// ssdp:all, each from its device's address.
func (d *Demo) SSDPAnswers() []SSDPAnswer {
	var out []SSDPAnswer
	for _, dev := range d.upnp {
		for _, m := range dev.SearchResponses("ssdp:all") {
			out = append(out, SSDPAnswer{From: dev.Addr, Data: m})
		}
	}
	return out
}
