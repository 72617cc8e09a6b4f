// Package ssdp finds the devices that announce themselves over SSDP/UPnP
// (routers, smart TVs, media servers, NAS boxes) beside mDNS: it asks with
// M-SEARCH (ssdp:all and upnp:rootdevice) and hears NOTIFY announcements
// during a scan, then reads each root device's description XML through
// devhttp (the device's own home-network address only, no redirects,
// bounded in size and time). Every packet and description is hostile:
// what one sender may add is bounded, a description with a DTD is refused
// (no entity is ever expanded), and all text is cleaned (devtext).
package ssdp

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on one SSDP message.
const (
	// MaxMessage bounds the bytes of one SSDP message read; real ones are
	// a few hundred bytes (UDA 2.0 §1.1.2 asks to stay within one packet).
	MaxMessage = 4096
	// maxHeaders bounds the header lines of one message.
	maxHeaders = 40
)

// Kind is what an SSDP message says.
type Kind int

// The kinds of message Porchlight uses.
const (
	// Response answers an M-SEARCH (HTTP/1.1 200 OK, UDA 2.0 §1.3.3).
	Response Kind = iota + 1
	// Alive is a NOTIFY with NTS ssdp:alive (UDA 2.0 §1.2.2).
	Alive
	// ByeBye is a NOTIFY with NTS ssdp:byebye (UDA 2.0 §1.2.4).
	ByeBye
)

// Message is the part of one SSDP message Porchlight uses.
type Message struct {
	Kind Kind
	// Target is the search target (ST) of a response or the
	// notification type (NT) of a NOTIFY.
	Target string
	// USN is the unique service name: "uuid:<device UUID>" and, for all
	// but the device itself, "::" and the target.
	USN string
	// Location is where the root device's description is, as sent.
	Location string
	// Server is what the device says it runs (OS, UPnP version, product).
	Server string
	// MaxAge is the CACHE-CONTROL max-age in seconds (0 when absent).
	MaxAge int
}

// Errors of ParseMessage.
var (
	// ErrNotAnswer: a message that is neither a search response nor a
	// NOTIFY (another scanner's M-SEARCH, say).
	ErrNotAnswer = errors.New("not an SSDP answer or announcement")
	// ErrMalformed: a message that breaks SSDP's form.
	ErrMalformed = errors.New("malformed SSDP message")
)

// ParseMessage reads one SSDP message as it arrived in a UDP packet. It
// reads at most MaxMessage bytes and maxHeaders header lines; values are
// cleaned for display.
func ParseMessage(b []byte) (Message, error) {
	if len(b) > MaxMessage {
		return Message{}, fmt.Errorf("%w: %d bytes, more than %d", ErrMalformed, len(b), MaxMessage)
	}
	lines := bytes.Split(b, []byte("\n"))
	first := strings.TrimSpace(string(lines[0]))
	var m Message
	switch {
	case strings.HasPrefix(first, "HTTP/1.") && len(first) >= 12 && first[8] == ' ':
		if first[9:12] != "200" {
			return Message{}, fmt.Errorf("%w: status %q", ErrMalformed, devtext.Clean(first, devtext.Summary))
		}
		m.Kind = Response
	case strings.EqualFold(first, "NOTIFY * HTTP/1.1"):
	default:
		return Message{}, ErrNotAnswer
	}
	h := map[string]string{}
	n := 0
	for _, l := range lines[1:] {
		line := strings.TrimRight(string(l), "\r")
		if line == "" {
			break
		}
		if n++; n > maxHeaders {
			return Message{}, fmt.Errorf("%w: more than %d header lines", ErrMalformed, maxHeaders)
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return Message{}, fmt.Errorf("%w: a header line without a colon", ErrMalformed)
		}
		k = strings.ToUpper(strings.TrimSpace(k))
		if _, dup := h[k]; !dup {
			h[k] = strings.TrimSpace(v)
		}
	}
	if m.Kind == Response {
		m.Target = h["ST"]
	} else {
		m.Target = h["NT"]
		switch strings.ToLower(h["NTS"]) {
		case "ssdp:alive":
			m.Kind = Alive
		case "ssdp:byebye":
			m.Kind = ByeBye
		default:
			return Message{}, ErrNotAnswer // ssdp:update and others carry nothing new
		}
	}
	m.USN = devtext.Clean(h["USN"], devtext.Value)
	m.Target = devtext.Clean(m.Target, devtext.Value)
	m.Server = devtext.Clean(h["SERVER"], devtext.Name)
	m.Location = h["LOCATION"]
	if len(m.Location) > devtext.Value {
		return Message{}, fmt.Errorf("%w: a LOCATION longer than %d bytes", ErrMalformed, devtext.Value)
	}
	m.Location = devtext.Clean(m.Location, devtext.Value)
	m.MaxAge = maxAge(h["CACHE-CONTROL"])
	if UUID(m.USN) == "" {
		return Message{}, fmt.Errorf("%w: no device UUID in USN", ErrMalformed)
	}
	if m.Kind != ByeBye && m.Location == "" {
		return Message{}, fmt.Errorf("%w: no LOCATION", ErrMalformed)
	}
	return m, nil
}

// maxAge reads "max-age = 1800" from a CACHE-CONTROL value.
func maxAge(v string) int {
	for part := range strings.SplitSeq(v, ",") {
		k, val, ok := strings.Cut(part, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "max-age") {
			if n, err := strconv.Atoi(strings.TrimSpace(val)); err == nil && n > 0 {
				return min(n, 86400)
			}
		}
	}
	return 0
}

// UUID returns the device UUID of a USN ("uuid:X" or "uuid:X::type"),
// lower case, or "" when there is none.
func UUID(usn string) string {
	rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(usn)), "uuid:")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "::")
	if id == "" || len(id) > 128 || strings.ContainsAny(id, " \t/") {
		return ""
	}
	return id
}

// ErrLocation reports a LOCATION Porchlight will not read: not plain HTTP,
// or not at the address the message came from.
var ErrLocation = errors.New("the description's address is not the device's own")

// DescriptionURL checks that a message's LOCATION is an http URL at the
// sender's own address (a device describes itself, never another one) and
// returns its port and path (with query).
func DescriptionURL(location string, sender netip.Addr) (port int, path string, err error) {
	u, err := url.Parse(location)
	if err != nil || u.Scheme != "http" || u.User != nil {
		return 0, "", fmt.Errorf("%w: %q", ErrLocation, location)
	}
	host, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]"))
	if err != nil || host.Unmap().WithZone("") != sender.Unmap().WithZone("") {
		return 0, "", fmt.Errorf("%w: %q from %s", ErrLocation, location, sender)
	}
	port = 80
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return 0, "", fmt.Errorf("%w: %q", ErrLocation, location)
		}
	}
	return port, u.RequestURI(), nil
}
