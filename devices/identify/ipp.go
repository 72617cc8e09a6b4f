package identify

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
)

// A small, read-only IPP client: it encodes one Get-Printer-Attributes
// request (RFC 8011 §4.2.5.1) in the binary encoding of RFC 8010 §3 and
// decodes the answer, keeping only the printer attributes identification
// needs. Every answer is treated as hostile: lengths are checked against the
// octets actually there, and the number of attributes and the length of the
// values kept are bounded.

// Protocol constants.
const (
	// ippMajor and ippMinor are IPP/1.1 (RFC 8010 §3.4.1), which every IPP
	// printer answers, IPP/2.x ones included (RFC 8011 §4.1.8).
	ippMajor, ippMinor = 1, 1
	// ippOpGetPrinterAttributes is Get-Printer-Attributes (RFC 8011 §5.4.15).
	ippOpGetPrinterAttributes = 0x000B
	// ippRequestID identifies our one request; the printer echoes it
	// (RFC 8011 §4.1.1: 1 to 2^31-1).
	ippRequestID = 1
	// ippLastSuccess is the highest successful status code; 0x0000-0x00FF
	// are successful-ok and its variants (RFC 8011 Appendix B.1.2).
	ippLastSuccess = 0x00FF
	// ippHeaderLen is version-number, operation-id or status-code, and
	// request-id (RFC 8010 §3.1.1).
	ippHeaderLen = 8
)

// Delimiter tags (RFC 8010 §3.5.1): 0x00-0x0F begin a group or end the
// attributes.
const (
	ippTagOperation     = 0x01
	ippTagEndAttributes = 0x03
	ippTagPrinter       = 0x04
	ippTagLastDelimiter = 0x0F
)

// Value tags (RFC 8010 §3.5.2).
const (
	ippTagOctetString      = 0x30
	ippTagTextWithLanguage = 0x35
	ippTagNameWithLanguage = 0x36
	ippTagText             = 0x41 // textWithoutLanguage
	ippTagName             = 0x42 // nameWithoutLanguage
	ippTagKeyword          = 0x44
	ippTagURI              = 0x45
	ippTagCharset          = 0x47
	ippTagNaturalLanguage  = 0x48
)

// ippMaxAttributes bounds the attributes of an answer, in all groups; the
// six requested ones need far fewer, and a printer that ignores
// requested-attributes sends a few hundred.
const ippMaxAttributes = 2000

// ippMaxValues bounds the values kept of one attribute (a printer lists one
// firmware per component: main, network, fax…).
const ippMaxValues = 16

// ippAttrSyntax is what identification accepts for one attribute: the value
// tags of its syntax and the most octets a value may have.
type ippAttrSyntax struct {
	tags   []byte
	maxLen int
}

var (
	// ippTextSyntax is text (RFC 8010 §3.9: textWithoutLanguage or
	// textWithLanguage).
	ippTextSyntax = []byte{ippTagText, ippTagTextWithLanguage}
	// ippNameSyntax is name (RFC 8010 §3.9).
	ippNameSyntax = []byte{ippTagName, ippTagNameWithLanguage}
)

// ippWanted are the attributes requested and kept, with their syntax.
var ippWanted = map[string]ippAttrSyntax{
	// PWG 5110.1: the firmware of each component, as 1setOf name(MAX)
	// (255 octets, RFC 8011 §5.1.3), 1setOf text(MAX) (1023 octets, RFC
	// 8011 §5.1.2) and 1setOf octetString(64), index for index.
	"printer-firmware-name":           {ippNameSyntax, 255},
	"printer-firmware-string-version": {ippTextSyntax, 1023},
	"printer-firmware-version":        {[]byte{ippTagOctetString}, 64},
	// PWG 5100.13: printer-uuid (uri(45)), "urn:uuid:" and an RFC 4122 UUID.
	"printer-uuid": {[]byte{ippTagURI}, 45},
	// PWG 5107.2: printer-device-id (text(1023)), the IEEE 1284 device ID.
	"printer-device-id": {ippTextSyntax, 1023},
	// RFC 8011 §5.4.9: printer-make-and-model (text(127)).
	"printer-make-and-model": {ippTextSyntax, 127},
}

// ippRequested lists ippWanted's names in the order they are requested and
// shown as evidence.
var ippRequested = []string{
	"printer-firmware-string-version", "printer-firmware-name", "printer-firmware-version",
	"printer-uuid", "printer-make-and-model", "printer-device-id",
}

// Why an answer could not be used.
var (
	errIPPShort     = errors.New("IPP answer cut short")
	errIPPMalformed = errors.New("malformed IPP answer")
	errIPPTooMany   = errors.New("IPP answer with too many attributes")
)

// ippGetPrinterAttributes encodes a Get-Printer-Attributes request for the
// printer at printerURI that asks for the ippRequested attributes only. The
// operation group starts with attributes-charset and
// attributes-natural-language (RFC 8011 §4.1.4), then the target (§4.1.5),
// then requesting-user-name and requested-attributes (§4.2.5.1).
func ippGetPrinterAttributes(printerURI string) []byte {
	b := make([]byte, 0, 512)
	b = append(b, ippMajor, ippMinor)
	b = binary.BigEndian.AppendUint16(b, ippOpGetPrinterAttributes)
	b = binary.BigEndian.AppendUint32(b, ippRequestID)
	b = append(b, ippTagOperation)
	b = ippAppendAttr(b, ippTagCharset, "attributes-charset", "utf-8")
	b = ippAppendAttr(b, ippTagNaturalLanguage, "attributes-natural-language", "en")
	b = ippAppendAttr(b, ippTagURI, "printer-uri", printerURI)
	b = ippAppendAttr(b, ippTagName, "requesting-user-name", "porchlight")
	b = ippAppendAttr(b, ippTagKeyword, "requested-attributes", ippRequested...)
	return append(b, ippTagEndAttributes)
}

// ippAppendAttr appends an attribute: its first value carries the name, the
// others are additional values with an empty name (RFC 8010 §3.1.4,
// §3.1.5). Names and values are ours and far below 65535 octets.
func ippAppendAttr(b []byte, tag byte, name string, values ...string) []byte {
	for i, v := range values {
		if i > 0 {
			name = ""
		}
		b = append(b, tag)
		b = binary.BigEndian.AppendUint16(b, uint16(len(name)))
		b = append(b, name...)
		b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
		b = append(b, v...)
	}
	return b
}

// ippAnswer is a decoded Get-Printer-Attributes answer.
type ippAnswer struct {
	status    uint16
	requestID uint32
	// printer holds the ippWanted attributes of the printer group: each
	// value's text (a language, where the value has one, is dropped). A
	// value with another syntax or longer than the attribute allows is
	// left out.
	printer map[string][]string
}

// String summarises the answer for the evidence: the status, then the
// attributes kept, in the order they were requested.
func (a ippAnswer) String() string {
	parts := []string{fmt.Sprintf("IPP status 0x%04x", a.status)}
	for _, name := range ippRequested {
		vs := a.printer[name]
		if len(vs) == 0 {
			continue
		}
		if name == "printer-firmware-version" {
			vs = slices.Clone(vs)
			for i, v := range vs {
				vs[i] = firmwareOctets(v)
			}
		}
		parts = append(parts, name+"="+strings.Join(vs, ","))
	}
	return strings.Join(parts, "; ")
}

// parseIPPAnswer decodes an answer (RFC 8010 §3.1.1): the header, attribute
// groups, and the end-of-attributes tag, which must be there.
func parseIPPAnswer(b []byte) (ippAnswer, error) {
	if len(b) < ippHeaderLen {
		return ippAnswer{}, fmt.Errorf("%w: %d octets", errIPPShort, len(b))
	}
	a := ippAnswer{
		status:    binary.BigEndian.Uint16(b[2:4]),
		requestID: binary.BigEndian.Uint32(b[4:8]),
		printer:   make(map[string][]string),
	}
	var (
		group   byte
		attrs   int
		started bool          // an attribute began in this group
		current string        // the wanted attribute additional values belong to, or ""
		syntax  ippAttrSyntax // current's syntax
		seen    = make(map[string]bool)
	)
	for i := ippHeaderLen; ; {
		if i >= len(b) {
			return a, fmt.Errorf("%w: no end-of-attributes tag", errIPPShort)
		}
		tag := b[i]
		i++
		if tag == ippTagEndAttributes {
			return a, nil
		}
		if tag <= ippTagLastDelimiter {
			group, started, current = tag, false, ""
			continue
		}
		if group == 0 {
			return a, fmt.Errorf("%w: value tag %#x at octet %d before any group", errIPPMalformed, tag, i-1)
		}
		name, next, err := ippField(b, i)
		if err != nil {
			return a, err
		}
		value, next, err := ippField(b, next)
		if err != nil {
			return a, err
		}
		if len(name) > 0 {
			if attrs++; attrs > ippMaxAttributes {
				return a, fmt.Errorf("%w: more than %d", errIPPTooMany, ippMaxAttributes)
			}
			started, current = true, ""
			// The first occurrence of an attribute counts; a repeat is ignored.
			if s, ok := ippWanted[string(name)]; ok && group == ippTagPrinter && !seen[string(name)] {
				current, syntax = string(name), s
				seen[current] = true
			}
		} else if !started {
			return a, fmt.Errorf("%w: additional value at octet %d without an attribute", errIPPMalformed, i-1)
		}
		i = next
		if current == "" || len(a.printer[current]) >= ippMaxValues {
			continue
		}
		if s, ok := ippText(tag, value, syntax); ok {
			a.printer[current] = append(a.printer[current], s)
		}
	}
}

// ippField reads a two-octet length and that many octets at b[i:] (RFC 8010
// §3.6, §3.8), refusing a length that claims more than is there.
func ippField(b []byte, i int) ([]byte, int, error) {
	if len(b)-i < 2 {
		return nil, i, fmt.Errorf("%w: length at octet %d missing", errIPPShort, i)
	}
	n := int(binary.BigEndian.Uint16(b[i:]))
	i += 2
	if len(b)-i < n {
		return nil, i, fmt.Errorf("%w: %d octets announced at octet %d, %d there", errIPPShort, n, i-2, len(b)-i)
	}
	return b[i : i+n], i + n, nil
}

// ippText returns a value's text when its tag is one of the syntax's and it
// is no longer than the syntax allows. A textWithLanguage or
// nameWithLanguage value is a language and a text, each with a two-octet
// length, which must fill the value exactly (RFC 8010 §3.9).
func ippText(tag byte, value []byte, syntax ippAttrSyntax) (string, bool) {
	if !slices.Contains(syntax.tags, tag) {
		return "", false
	}
	if tag == ippTagTextWithLanguage || tag == ippTagNameWithLanguage {
		_, next, err := ippField(value, 0)
		if err != nil {
			return "", false
		}
		text, end, err := ippField(value, next)
		if err != nil || end != len(value) {
			return "", false
		}
		value = text
	}
	if len(value) > syntax.maxLen {
		return "", false
	}
	return string(value), true
}

// printerFacts is what identification takes from a printer's attributes,
// safe to show.
type printerFacts struct {
	vendor, model, firmware string
	// uuid is the printer's UUID, lower case, without "urn:uuid:".
	uuid string
}

// factsOf reads vendor, model, firmware and UUID from a printer's
// attributes. The firmware is the first component's (PWG 5110.1 lists the
// main firmware first in practice): its string version, else its binary
// version.
func factsOf(attrs map[string][]string) printerFacts {
	var f printerFacts
	first := func(name string) string {
		if vs := attrs[name]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	mfg, mdl := deviceIDMakeModel(first("printer-device-id"))
	f.model = devtext.Clean(first("printer-make-and-model"), devtext.Name)
	if f.model == "" {
		f.model = devtext.Clean(mfg+" "+mdl, devtext.Name)
	}
	f.vendor = devtext.Clean(mfg, devtext.Name)
	if f.vendor == "" {
		f.vendor, _, _ = strings.Cut(f.model, " ")
	}
	f.firmware = devtext.Clean(first("printer-firmware-string-version"), devtext.Name)
	if f.firmware == "" {
		f.firmware = devtext.Clean(firmwareOctets(first("printer-firmware-version")), devtext.Name)
	}
	f.uuid = normaliseUUID(first("printer-uuid"))
	return f
}

// deviceIDMakeModel reads the manufacturer and model of an IEEE 1284 device
// ID ("MFG:Brother;CMD:PJL;MDL:HL-L2350DW series;"), the printer-device-id
// of PWG 5107.2, whose keys have a short and a long form.
func deviceIDMakeModel(id string) (mfg, mdl string) {
	for field := range strings.SplitSeq(id, ";") {
		key, value, ok := strings.Cut(field, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.ToUpper(strings.TrimSpace(key)) {
		case "MFG", "MANUFACTURER":
			if mfg == "" {
				mfg = value
			}
		case "MDL", "MODEL":
			if mdl == "" {
				mdl = value
			}
		}
	}
	return mfg, mdl
}

// firmwareOctets shows a printer-firmware-version value: as it is when it
// is printable ASCII (some printers put text there), else as its octets in
// dotted decimal, the usual binary form (1.62 is 0x01 0x3E).
func firmwareOctets(v string) string {
	if v == "" {
		return ""
	}
	printable := true
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7E {
			printable = false
			break
		}
	}
	if printable {
		return v
	}
	parts := make([]string, len(v))
	for i := 0; i < len(v); i++ {
		parts[i] = strconv.Itoa(int(v[i]))
	}
	return strings.Join(parts, ".")
}

// normaliseUUID turns "urn:uuid:E3248000-80CE-…" or a bare UUID into the
// lower-case UUID, or "" when s is not an RFC 4122 UUID in its usual
// 8-4-4-4-12 form.
func normaliseUUID(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "urn:uuid:")
	if len(s) != 36 {
		return ""
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return ""
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return ""
			}
		}
	}
	return s
}
