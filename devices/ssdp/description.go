package ssdp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on a description.
const (
	// MaxDescription bounds the bytes of a description document read;
	// a router's is about 10 KB.
	MaxDescription = 256 << 10
	// maxDepth bounds the nesting of its elements (a root device, its
	// embedded devices and their services need about ten).
	maxDepth = 32
	// maxDevices bounds the devices (root and embedded) kept of one description.
	maxDevices = 16
	// maxServices bounds the services kept of one description.
	maxServices = 32
)

// Description is a root device's description document (UPnP Device
// Architecture 2.0 §2.3), cleaned for display.
type Description struct {
	// Root is the root device; Embedded are its embedded devices, depth first.
	Root     DeviceInfo
	Embedded []DeviceInfo
	// URLBase is where relative URLs start from ("" for the description's own URL).
	URLBase string
}

// DeviceInfo is one device element.
type DeviceInfo struct {
	DeviceType       string
	FriendlyName     string
	Manufacturer     string
	ModelName        string
	ModelNumber      string
	ModelDescription string
	SerialNumber     string
	UDN              string
	PresentationURL  string
	Services         []ServiceInfo
}

// ServiceInfo is one service element.
type ServiceInfo struct {
	ServiceType string
	ControlURL  string
	SCPDURL     string
}

// xmlDevice mirrors a device element.
type xmlDevice struct {
	DeviceType       string `xml:"deviceType"`
	FriendlyName     string `xml:"friendlyName"`
	Manufacturer     string `xml:"manufacturer"`
	ModelName        string `xml:"modelName"`
	ModelNumber      string `xml:"modelNumber"`
	ModelDescription string `xml:"modelDescription"`
	SerialNumber     string `xml:"serialNumber"`
	UDN              string `xml:"UDN"`
	PresentationURL  string `xml:"presentationURL"`
	Services         []struct {
		ServiceType string `xml:"serviceType"`
		ControlURL  string `xml:"controlURL"`
		SCPDURL     string `xml:"SCPDURL"`
	} `xml:"serviceList>service"`
	Devices []xmlDevice `xml:"deviceList>device"`
}

// Errors of ParseDescription.
var (
	// ErrDTD: a description that declares a document type. UPnP
	// descriptions never do; a DTD is how entity bombs and external
	// entities arrive, so none is read.
	ErrDTD = errors.New("the description declares a document type (refused)")
	// ErrDescription: a description that is not one.
	ErrDescription = errors.New("not a UPnP device description")
)

// ParseDescription reads a description document of at most
// MaxDescription bytes. It refuses a DTD, nesting deeper than maxDepth
// and any entity but XML's own five (encoding/xml expands no other), and
// keeps at most maxDevices devices and maxServices services.
func ParseDescription(b []byte) (Description, error) {
	if len(b) > MaxDescription {
		return Description{}, fmt.Errorf("%w: larger than %d bytes", ErrDescription, MaxDescription)
	}
	if err := checkShape(b); err != nil {
		return Description{}, err
	}
	var root struct {
		XMLName xml.Name  `xml:"root"`
		URLBase string    `xml:"URLBase"`
		Device  xmlDevice `xml:"device"`
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		return Description{}, fmt.Errorf("%w: %s", ErrDescription, devtext.Clean(err.Error(), devtext.Message))
	}
	out := Description{URLBase: devtext.Clean(root.URLBase, devtext.Value)}
	budget := maxServices
	out.Root = deviceInfo(root.Device, &budget)
	if out.Root.DeviceType == "" || out.Root.UDN == "" {
		return Description{}, fmt.Errorf("%w: no device type or UDN", ErrDescription)
	}
	var walk func([]xmlDevice)
	walk = func(ds []xmlDevice) {
		for _, x := range ds {
			if len(out.Embedded) >= maxDevices-1 {
				return
			}
			out.Embedded = append(out.Embedded, deviceInfo(x, &budget))
			walk(x.Devices)
		}
	}
	walk(root.Device.Devices)
	return out, nil
}

// checkShape reads b's tokens once, refusing a DTD and nesting deeper
// than maxDepth before anything is decoded.
func checkShape(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	depth := 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %s", ErrDescription, devtext.Clean(err.Error(), devtext.Message))
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) || bytes.Contains(t, []byte("ENTITY")) {
				return ErrDTD
			}
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return fmt.Errorf("%w: elements nested deeper than %d", ErrDescription, maxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

func deviceInfo(x xmlDevice, budget *int) DeviceInfo {
	c := func(s string) string { return devtext.Clean(s, devtext.Name) }
	d := DeviceInfo{
		DeviceType: c(x.DeviceType), FriendlyName: devtext.Clean(x.FriendlyName, devtext.Label),
		Manufacturer: c(x.Manufacturer), ModelName: c(x.ModelName), ModelNumber: c(x.ModelNumber),
		ModelDescription: c(x.ModelDescription), SerialNumber: c(x.SerialNumber), UDN: c(x.UDN),
		PresentationURL: devtext.Clean(x.PresentationURL, devtext.Value),
	}
	for _, s := range x.Services {
		if *budget <= 0 {
			break
		}
		*budget--
		d.Services = append(d.Services, ServiceInfo{ServiceType: c(s.ServiceType),
			ControlURL: devtext.Clean(s.ControlURL, devtext.Value), SCPDURL: devtext.Clean(s.SCPDURL, devtext.Value)})
	}
	return d
}

// All returns the root device and its embedded devices.
func (d Description) All() []DeviceInfo {
	return append([]DeviceInfo{d.Root}, d.Embedded...)
}

// Find returns the first service, in any of the devices, whose type is one
// of types (in the order of types), and whether there is one.
func (d Description) Find(types ...string) (ServiceInfo, bool) {
	for _, t := range types {
		for _, dev := range d.All() {
			for _, s := range dev.Services {
				if strings.EqualFold(s.ServiceType, t) {
					return s, true
				}
			}
		}
	}
	return ServiceInfo{}, false
}

// Resolve turns a URL of the description (a control URL, the presentation
// URL) into a port and path on the device at addr, relative to URLBase or,
// without one, to the description's own port. A URL that points anywhere
// but addr over plain HTTP is refused (ErrLocation).
func (d Description) Resolve(ref string, addr netip.Addr, descPort int) (port int, path string, err error) {
	base := "http://" + strings.ReplaceAll(netip.AddrPortFrom(addr, uint16(descPort)).String(), "%", "%25") + "/"
	if d.URLBase != "" {
		base = d.URLBase
	}
	bu, err := url.Parse(base)
	if err != nil {
		return 0, "", fmt.Errorf("%w: URLBase %q", ErrLocation, base)
	}
	ru, err := url.Parse(ref)
	if err != nil {
		return 0, "", fmt.Errorf("%w: %q", ErrLocation, ref)
	}
	u := bu.ResolveReference(ru)
	if u.Port() == "" {
		u.Host += ":" + strconv.Itoa(80)
	}
	return DescriptionURL(u.String(), addr)
}
