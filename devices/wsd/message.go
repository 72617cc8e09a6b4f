// Package wsd finds network cameras over WS-Discovery (UDP 3702, the ONVIF
// NetworkVideoTransmitter type) and reads, without credentials, what an
// ONVIF device tells anyone: GetSystemDateAndTime, which ONVIF lets every
// client call, and GetDeviceInformation, which it should refuse without a
// password. Every request goes through devhttp to the camera's own
// home-network address; every answer is hostile: bounded, its DTD refused,
// its text cleaned.
package wsd

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

// Limits on one message.
const (
	// MaxMessage bounds the bytes of a ProbeMatches message or an ONVIF
	// answer read; real ones are a few KB.
	MaxMessage = 64 << 10
	// maxDepth bounds the nesting of their elements.
	maxDepth = 24
	// maxItems bounds the matches, types, scopes and addresses kept.
	maxItems = 16
)

// Match is one ProbeMatch: a device that answered a probe (WS-Discovery
// 1.1 §5.3).
type Match struct {
	// UUID is its endpoint address without "urn:uuid:", lower case.
	UUID string
	// Types are its types, local names ("NetworkVideoTransmitter").
	Types []string
	// Scopes are its scope URIs (ONVIF: onvif://www.onvif.org/name/…).
	Scopes []string
	// XAddrs are the addresses of its ONVIF device service.
	XAddrs []string
}

// Errors of the parsers.
var (
	// ErrMessage: not a SOAP message of the kind asked for.
	ErrMessage = errors.New("not a WS-Discovery or ONVIF answer")
	// ErrDTD: a message that declares a document type (refused).
	ErrDTD = errors.New("the message declares a document type (refused)")
)

// element is a generic XML element, bounded by the walk that reads it.
type element struct {
	name string
	text string
	// token is its "token" attribute (an ONVIF profile's), up to 64 bytes.
	token    string
	children []*element
}

// parse reads b into a tree of elements, refusing a DTD, more than
// MaxMessage bytes, nesting deeper than maxDepth and more than 4096
// elements in all; texts are kept up to 1 KB each.
func parse(b []byte) (*element, error) {
	if len(b) > MaxMessage {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrMessage, MaxMessage)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	root := &element{}
	stack := []*element{root}
	count := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s", ErrMessage, devtext.Clean(err.Error(), devtext.Message))
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, ErrDTD
		case xml.StartElement:
			if len(stack) > maxDepth {
				return nil, fmt.Errorf("%w: elements nested deeper than %d", ErrMessage, maxDepth)
			}
			if count++; count > 4096 {
				return nil, fmt.Errorf("%w: more than 4096 elements", ErrMessage)
			}
			e := &element{name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Local == "token" {
					e.token = a.Value[:min(len(a.Value), 64)]
				}
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.CharData:
			top := stack[len(stack)-1]
			if len(top.text) < 1024 {
				top.text += string(t[:min(len(t), 1024-len(top.text))])
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if len(root.children) != 1 || root.children[0].name != "Envelope" {
		return nil, fmt.Errorf("%w: no SOAP envelope", ErrMessage)
	}
	return root.children[0], nil
}

// find returns the descendants of e named name, depth first.
func (e *element) find(name string) []*element {
	var out []*element
	for _, c := range e.children {
		if c.name == name {
			out = append(out, c)
		}
		out = append(out, c.find(name)...)
	}
	return out
}

// first returns the text of e's first descendant named name ("" for none).
func (e *element) first(name string) string {
	if fs := e.find(name); len(fs) > 0 {
		return strings.TrimSpace(fs[0].text)
	}
	return ""
}

// ParseProbeMatches reads a ProbeMatches message (WS-Discovery 1.1 §5.3).
func ParseProbeMatches(b []byte) ([]Match, error) {
	env, err := parse(b)
	if err != nil {
		return nil, err
	}
	pms := env.find("ProbeMatch")
	if len(env.find("ProbeMatches")) == 0 {
		return nil, fmt.Errorf("%w: no ProbeMatches", ErrMessage)
	}
	var out []Match
	for _, pm := range pms {
		if len(out) == maxItems {
			break
		}
		m := Match{UUID: uuidOf(pm.first("Address"))}
		if m.UUID == "" {
			continue
		}
		m.Types = fields(pm.first("Types"), func(s string) string {
			_, local, ok := strings.Cut(s, ":")
			if !ok {
				local = s
			}
			return devtext.Clean(local, devtext.Label)
		})
		m.Scopes = fields(pm.first("Scopes"), func(s string) string { return devtext.Clean(s, devtext.Value) })
		m.XAddrs = fields(pm.first("XAddrs"), func(s string) string { return devtext.Clean(s, devtext.Value) })
		out = append(out, m)
	}
	return out, nil
}

// fields splits a space-separated list, at most maxItems, each cleaned by c.
func fields(s string, c func(string) string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if len(out) == maxItems {
			break
		}
		out = append(out, c(f))
	}
	return out
}

// uuidOf returns the UUID of an endpoint address ("urn:uuid:X"), lower
// case, or "" when it is none.
func uuidOf(addr string) string {
	id, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(addr)), "urn:uuid:")
	if !ok || id == "" || len(id) > 64 || strings.Trim(id, "0123456789abcdef-") != "" {
		return ""
	}
	return id
}

// ErrAddress reports an XAddr Porchlight will not use: not plain HTTP at
// the address the answer came from.
var ErrAddress = errors.New("the camera's service address is not its own")

// ServiceURL checks that an XAddr is an http URL at the sender's own
// address, and returns its port and path.
func ServiceURL(xaddr string, sender netip.Addr) (port int, path string, err error) {
	u, err := url.Parse(xaddr)
	if err != nil || u.Scheme != "http" || u.User != nil {
		return 0, "", fmt.Errorf("%w: %q", ErrAddress, xaddr)
	}
	host, err := netip.ParseAddr(u.Hostname())
	if err != nil || host.Unmap().WithZone("") != sender.Unmap().WithZone("") {
		return 0, "", fmt.Errorf("%w: %q from %s", ErrAddress, xaddr, sender)
	}
	port = 80
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return 0, "", fmt.Errorf("%w: %q", ErrAddress, xaddr)
		}
	}
	return port, u.RequestURI(), nil
}

// Scope returns the value of an ONVIF scope ("onvif://www.onvif.org/name/X"
// → "X" for key "name"), URL-decoded and cleaned, or "".
func Scope(scopes []string, key string) string {
	for _, s := range scopes {
		if v, ok := strings.CutPrefix(s, "onvif://www.onvif.org/"+key+"/"); ok {
			if d, err := url.PathUnescape(v); err == nil {
				v = d
			}
			return devtext.Clean(v, devtext.Label)
		}
	}
	return ""
}

// ProbeMessage is a Probe for ONVIF NetworkVideoTransmitters (ONVIF Core
// §7.3, WS-Discovery 1.1 §5.2), with messageID "urn:uuid:…".
func ProbeMessage(messageID string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
		`<e:Header><w:MessageID>` + messageID + `</w:MessageID><w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>` +
		`<w:Action e:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>` +
		`<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>`)
}
