// Package igd reads a router's UPnP Internet Gateway Device (read-only):
// the external address and every port mapping other devices opened
// through it, over SOAP to the control URL its description names
// (WANIPConnection:1 and :2, WANPPPConnection:1, UPnP IGD 2.0). Every
// request goes through devhttp, to the router's own home-network address;
// every answer is hostile: bounded, its DTD refused, its text cleaned.
package igd

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on one SOAP answer.
const (
	// MaxAnswer bounds the bytes of an answer read; real ones are below 2 KB.
	MaxAnswer = 64 << 10
	// maxArgs bounds the output arguments kept of one answer.
	maxArgs = 32
	// maxDepth bounds the nesting of its elements.
	maxDepth = 16
)

// Fault is a UPnP error a control point receives (UDA 2.0 §3.2.2).
type Fault struct {
	Code        int
	Description string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("UPnP error %d %s", f.Code, f.Description)
}

// UPnP error codes of GetGenericPortMappingEntry (IGD WANIPConnection:2 §2.5.14).
const (
	// FaultArrayIndexInvalid: no mapping at that index, the list's end.
	FaultArrayIndexInvalid = 713
	// FaultNoSuchEntry: the same, as some routers say it.
	FaultNoSuchEntry = 714
	// FaultActionNotAuthorized: the router refuses the action.
	FaultActionNotAuthorized = 606
)

// ErrSOAP reports an answer that is not a SOAP answer to the action asked.
var ErrSOAP = errors.New("not a SOAP answer")

// Envelope is a SOAP request for action of serviceType with args (name,
// value pairs, in order), as UDA 2.0 §3.2.1 writes it.
func Envelope(serviceType, action string, args ...[2]string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?>` + "\r\n" + `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:`)
	b.WriteString(action + ` xmlns:u="`)
	_ = xml.EscapeText(&b, []byte(serviceType))
	b.WriteString(`">`)
	for _, a := range args {
		b.WriteString("<" + a[0] + ">")
		_ = xml.EscapeText(&b, []byte(a[1]))
		b.WriteString("</" + a[0] + ">")
	}
	b.WriteString("</u:" + action + "></s:Body></s:Envelope>")
	return b.Bytes()
}

// ParseAnswer reads the SOAP answer to action: its output arguments by
// name (values cleaned), or the UPnP fault the device answered with (as a
// *Fault error). It refuses a DTD, nesting deeper than maxDepth and more
// than MaxAnswer bytes, and keeps at most maxArgs arguments.
func ParseAnswer(b []byte, action string) (map[string]string, error) {
	if len(b) > MaxAnswer {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrSOAP, MaxAnswer)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var (
		depth, bodyDepth, answerDepth int
		fault                         bool
		args                          = map[string]string{}
		field                         string
		text                          strings.Builder
		code                          = -1
		desc                          string
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s", ErrSOAP, devtext.Clean(err.Error(), devtext.Message))
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, fmt.Errorf("%w: it declares a document type", ErrSOAP)
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return nil, fmt.Errorf("%w: elements nested deeper than %d", ErrSOAP, maxDepth)
			}
			switch {
			case bodyDepth == 0 && t.Name.Local == "Body":
				bodyDepth = depth
			case bodyDepth > 0 && answerDepth == 0 && depth == bodyDepth+1:
				answerDepth = depth
				fault = t.Name.Local == "Fault"
				if !fault && t.Name.Local != action+"Response" {
					return nil, fmt.Errorf("%w: it answers %q, not %s", ErrSOAP, devtext.Clean(t.Name.Local, devtext.Label), action)
				}
			}
			field = t.Name.Local
			text.Reset()
		case xml.CharData:
			if text.Len() < 4*devtext.Value {
				text.Write(t[:min(len(t), 4*devtext.Value)])
			}
		case xml.EndElement:
			v := strings.TrimSpace(text.String())
			switch {
			case answerDepth > 0 && fault && t.Name.Local == "errorCode":
				code, _ = strconv.Atoi(v)
			case answerDepth > 0 && fault && t.Name.Local == "errorDescription":
				desc = devtext.Clean(v, devtext.Summary)
			case answerDepth > 0 && !fault && depth == answerDepth+1 && t.Name.Local == field && len(args) < maxArgs:
				args[t.Name.Local] = devtext.Clean(v, devtext.Value)
			}
			text.Reset()
			depth--
		}
	}
	switch {
	case answerDepth == 0:
		return nil, fmt.Errorf("%w: no answer in it", ErrSOAP)
	case fault && code < 0:
		return nil, fmt.Errorf("%w: a fault without a UPnP error code", ErrSOAP)
	case fault:
		return nil, &Fault{Code: code, Description: desc}
	}
	return args, nil
}
