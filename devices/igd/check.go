package igd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/ssdp"
)

// ConnectionTypes are the WAN connection services that hold port
// mappings, in the order asked for: IGD 2.0's, IGD 1.0's, and the one of
// routers that dial PPPoE themselves.
var ConnectionTypes = []string{
	"urn:schemas-upnp-org:service:WANIPConnection:2",
	"urn:schemas-upnp-org:service:WANIPConnection:1",
	"urn:schemas-upnp-org:service:WANPPPConnection:1",
}

// MaxMappings bounds the port mappings read: a household has a handful;
// a router claiming more is read no further (Report.More).
const MaxMappings = 64

// Mapping is one port mapping: the router forwards ExternalPort from the
// internet to InternalClient's InternalPort.
type Mapping struct {
	// RemoteHost is the only internet address allowed in ("" for any).
	RemoteHost   string `json:"remote_host,omitempty"`
	ExternalPort int    `json:"external_port"`
	// Protocol is "TCP" or "UDP".
	Protocol       string `json:"protocol"`
	InternalClient string `json:"internal_client"`
	InternalPort   int    `json:"internal_port"`
	Enabled        bool   `json:"enabled"`
	// Description is what the device that asked for it wrote, cleaned.
	Description string `json:"description,omitempty"`
	// LeaseSeconds is how long it lasts (0: until removed).
	LeaseSeconds int `json:"lease_seconds"`
}

// Client returns the mapping's internal client as an address, if it is one.
func (m Mapping) Client() (netip.Addr, bool) {
	a, err := netip.ParseAddr(m.InternalClient)
	return a.Unmap(), err == nil
}

// Exchange is one request and what came back, as evidence.
type Exchange struct {
	Asked string `json:"asked"`
	Saw   string `json:"saw"`
}

// Report is what a router's IGD answered.
type Report struct {
	// Service is the connection service asked ("" when the description
	// offers none).
	Service string `json:"service,omitempty"`
	// ExternalAddress is the router's internet address, as it says.
	ExternalAddress string    `json:"external_address,omitempty"`
	Mappings        []Mapping `json:"mappings"`
	// More is set when the router had more than MaxMappings mappings.
	More bool `json:"more,omitempty"`
	// Complete is set when the list of mappings was read to its end.
	Complete bool       `json:"complete"`
	Evidence []Exchange `json:"evidence"`
	// Error says why reading stopped early ("" when it did not).
	Error string `json:"error,omitempty"`
}

// Router is where a router's IGD control is.
type Router struct {
	Addr netip.Addr
	// Port and Path are the description's (from its SSDP answer).
	Port int
	Path string
}

// Check reads the router's description, then (read-only) its external
// address and every port mapping, through n (the real network when nil),
// each exchange bounded by timeout. It fails only when the description
// cannot be read or names no connection service; what the router refuses
// later is in Report.Error.
func Check(ctx context.Context, n devhttp.Network, r Router, timeout time.Duration) (Report, error) {
	c, err := connect(ctx, n, r, timeout)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Service: c.service, Mappings: []Mapping{}}
	if out, err := c.call(ctx, &rep, "GetExternalIPAddress"); err == nil {
		rep.ExternalAddress = devtext.Clean(out["NewExternalIPAddress"], devtext.Name)
	}
	for i := 0; ; i++ {
		if i == MaxMappings {
			rep.More = true
			break
		}
		out, err := c.call(ctx, &rep, "GetGenericPortMappingEntry", [2]string{"NewPortMappingIndex", strconv.Itoa(i)})
		var f *Fault
		if errors.As(err, &f) && (f.Code == FaultArrayIndexInvalid || f.Code == FaultNoSuchEntry) {
			rep.Complete = true
			break
		}
		if err != nil {
			rep.Error = devtext.Clean(err.Error(), devtext.Message)
			break
		}
		rep.Mappings = append(rep.Mappings, mappingOf(out))
	}
	return rep, nil
}

func mappingOf(out map[string]string) Mapping {
	num := func(k string) int {
		n, _ := strconv.Atoi(out[k])
		return max(n, 0)
	}
	return Mapping{
		RemoteHost: out["NewRemoteHost"], ExternalPort: num("NewExternalPort"), Protocol: strings.ToUpper(out["NewProtocol"]),
		InternalClient: out["NewInternalClient"], InternalPort: num("NewInternalPort"),
		Enabled:     out["NewEnabled"] == "1" || strings.EqualFold(out["NewEnabled"], "true"),
		Description: devtext.Clean(out["NewPortMappingDescription"], devtext.Label), LeaseSeconds: num("NewLeaseDuration"),
	}
}

// control calls actions of one connection service.
type control struct {
	hc      *devhttp.Client
	port    int
	path    string
	service string
}

// call sends action with args and returns its output arguments, recording
// the exchange in rep's evidence.
func (c *control) call(ctx context.Context, rep *Report, action string, args ...[2]string) (map[string]string, error) {
	h := http.Header{}
	h.Set("Content-Type", `text/xml; charset="utf-8"`)
	h.Set("SOAPAction", `"`+c.service+"#"+action+`"`)
	res, err := c.hc.Do(ctx, devhttp.Request{Method: http.MethodPost, Port: c.port, Path: c.path, Header: h, Body: Envelope(c.service, action, args...)})
	ex := Exchange{Asked: res.Asked + " " + action}
	defer func() {
		if len(rep.Evidence) < 8 {
			rep.Evidence = append(rep.Evidence, ex)
		}
	}()
	if err != nil {
		ex.Saw = devtext.Clean(err.Error(), devtext.Summary)
		return nil, err
	}
	if res.Truncated || len(res.Body) > MaxAnswer {
		ex.Saw = fmt.Sprintf("HTTP %d, more than %d bytes", res.Status, MaxAnswer)
		return nil, fmt.Errorf("%s %s: %w: larger than %d bytes", res.Asked, action, ErrSOAP, MaxAnswer)
	}
	out, err := ParseAnswer(res.Body, action)
	if err != nil {
		ex.Saw = fmt.Sprintf("HTTP %d, %s", res.Status, devtext.Clean(err.Error(), devtext.Summary))
		return nil, fmt.Errorf("%s %s: %w", res.Asked, action, err)
	}
	ex.Saw = fmt.Sprintf("HTTP %d, %d values", res.Status, len(out))
	return out, nil
}

// ErrNoSuchMapping reports a mapping the router does not hold (now).
var ErrNoSuchMapping = errors.New("the router holds no such port mapping")

// Delete removes exactly the port mapping m (its remote host, external
// port and protocol: IGD's key of a mapping) from the router, through n.
// It is the only call in Porchlight that changes a router, made only when
// the person asks for this one mapping.
func Delete(ctx context.Context, n devhttp.Network, r Router, m Mapping, timeout time.Duration) (Exchange, error) {
	c, err := connect(ctx, n, r, timeout)
	if err != nil {
		return Exchange{}, err
	}
	var rep Report
	_, err = c.call(ctx, &rep, "DeletePortMapping", [2]string{"NewRemoteHost", m.RemoteHost},
		[2]string{"NewExternalPort", strconv.Itoa(m.ExternalPort)}, [2]string{"NewProtocol", m.Protocol})
	var ex Exchange
	if len(rep.Evidence) > 0 {
		ex = rep.Evidence[0]
	}
	var f *Fault
	if errors.As(err, &f) && f.Code == FaultNoSuchEntry {
		return ex, fmt.Errorf("%w: %w", ErrNoSuchMapping, err)
	}
	return ex, err
}

// connect reads the router's description and finds its connection service.
func connect(ctx context.Context, n devhttp.Network, r Router, timeout time.Duration) (*control, error) {
	desc, err := ssdp.Describe(ctx, n, r.Addr, r.Port, r.Path, timeout)
	if err != nil {
		return nil, err
	}
	svc, ok := desc.Find(ConnectionTypes...)
	if !ok {
		return nil, errors.New("the router's description offers no WAN connection service")
	}
	port, path, err := desc.Resolve(svc.ControlURL, r.Addr, r.Port)
	if err != nil {
		return nil, fmt.Errorf("the router's control address: %w", err)
	}
	return &control{hc: devhttp.New(n, r.Addr, timeout), port: port, path: path, service: svc.ServiceType}, nil
}
