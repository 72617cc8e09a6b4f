package natpmp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// PCP (RFC 6887) is NAT-PMP's successor, on the same port. Porchlight only
// asks whether a router speaks it, with an ANNOUNCE request: it creates,
// changes and deletes nothing.
const (
	// PCPVersion is the protocol version Porchlight asks with (RFC 6887 §7.1).
	PCPVersion = 2
	// OpAnnounce is the ANNOUNCE opcode (RFC 6887 §14.1).
	OpAnnounce = 0
	// MaxPCPMessage bounds a PCP message (RFC 6887 §7: 1100 bytes).
	MaxPCPMessage = 1100
	// pcpHeader is the size of a PCP request or response header (§7.1, §7.2).
	pcpHeader = 24
)

// PCP result codes Porchlight names (RFC 6887 §7.4).
const (
	PCPSuccess       = 0
	PCPUnsuppVersion = 1
)

// PCPAnswer is a router's answer to an ANNOUNCE request.
type PCPAnswer struct {
	// Version is the version it answered with: 2 when it speaks PCP, 0
	// when it speaks only NAT-PMP (RFC 6887 §9: a NAT-PMP server answers
	// a PCP request with NAT-PMP's "unsupported version").
	Version int `json:"version"`
	// Result is the result code: PCP's (§7.4) for version 2, NAT-PMP's
	// (RFC 6886 §3.5) for version 0; 1 is "unsupported version" in both.
	Result int `json:"result"`
	// Epoch is the server's epoch time: seconds since its mapping state began.
	Epoch uint32 `json:"epoch"`
}

// SpeaksPCP reports whether the answer is a PCP server's (version 2),
// whatever its result code.
func (a PCPAnswer) SpeaksPCP() bool { return a.Version == PCPVersion }

// ResultName is the name RFC 6887 §7.4 (or, for a version-0 answer,
// RFC 6886 §3.5) gives the result code, or "" for a code it does not name.
func (a PCPAnswer) ResultName() string {
	names := pcpResults
	if a.Version == 0 {
		names = natpmpResults
	}
	if a.Result >= 0 && a.Result < len(names) {
		return names[a.Result]
	}
	return ""
}

var pcpResults = []string{"SUCCESS", "UNSUPP_VERSION", "NOT_AUTHORIZED", "MALFORMED_REQUEST", "UNSUPP_OPCODE",
	"UNSUPP_OPTION", "MALFORMED_OPTION", "NETWORK_FAILURE", "NO_RESOURCES", "UNSUPP_PROTOCOL", "USER_EX_QUOTA",
	"CANNOT_PROVIDE_EXTERNAL", "ADDRESS_MISMATCH", "EXCESSIVE_REMOTE_PEERS"}

var natpmpResults = []string{"Success", "Unsupported Version", "Not Authorized/Refused", "Network Failure",
	"Out of resources", "Unsupported opcode"}

// ErrPCPAnswer reports an answer that is neither a PCP ANNOUNCE response
// nor NAT-PMP's answer to one.
var ErrPCPAnswer = errors.New("not an answer to a PCP ANNOUNCE request")

// AnnounceRequest is a PCP ANNOUNCE request from client (the address the
// request leaves from; IPv4 as an IPv4-mapped IPv6 address, §7.1): version
// 2, opcode 0, lifetime 0, no options.
func AnnounceRequest(client netip.Addr) []byte {
	b := make([]byte, pcpHeader)
	b[0], b[1] = PCPVersion, OpAnnounce
	if client.IsValid() {
		a := client.Unmap()
		if a.Is4() {
			a = netip.AddrFrom16(a.As16())
		}
		copy(b[8:24], a.AsSlice())
	}
	return b
}

// ParsePCP reads an answer to an ANNOUNCE request: a PCP response (version
// 2, R bit and opcode 0, at least 24 and at most 1100 bytes, a multiple of
// 4; options are not read) or NAT-PMP's (version 0, opcode 128, at least 8
// bytes: result code and epoch).
func ParsePCP(b []byte) (PCPAnswer, error) {
	if len(b) > MaxPCPMessage {
		return PCPAnswer{}, fmt.Errorf("%w: %d bytes, more than %d", ErrPCPAnswer, len(b), MaxPCPMessage)
	}
	switch {
	case len(b) >= 8 && b[0] == 0 && b[1] == 128+OpAnnounce:
		return PCPAnswer{Version: 0, Result: int(binary.BigEndian.Uint16(b[2:4])), Epoch: binary.BigEndian.Uint32(b[4:8])}, nil
	case len(b) >= pcpHeader && len(b)%4 == 0 && b[0] == PCPVersion && b[1] == 0x80|OpAnnounce:
		return PCPAnswer{Version: PCPVersion, Result: int(b[3]), Epoch: binary.BigEndian.Uint32(b[8:12])}, nil
	}
	return PCPAnswer{}, fmt.Errorf("%w (%d bytes)", ErrPCPAnswer, len(b))
}

// Announce asks the router at addr (a home-network address only) through d
// (the real network when nil), once, waiting at most timeout, whether it
// speaks PCP. Like ExternalAddress, one try: a router that does not answer
// within the time does not speak it for this purpose.
func Announce(ctx context.Context, d Dialer, addr netip.Addr, timeout time.Duration) (PCPAnswer, error) {
	b, err := exchange(ctx, d, addr, timeout, "PCP", AnnounceRequest, MaxPCPMessage)
	if err != nil {
		return PCPAnswer{}, err
	}
	return ParsePCP(b)
}
