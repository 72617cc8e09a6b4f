package discover

import (
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on what the scanner keeps of a TXT record.
const (
	// MaxTXTPairs bounds the keys kept from one TXT record; RFC 6763 §6.1
	// advises records under 1300 bytes, so a real device needs far fewer.
	MaxTXTPairs = 64
	// MaxTXTBytes bounds the decoded bytes read from one TXT record.
	MaxTXTBytes = 8 << 10
)

// Redacted replaces the value of a TXT key that carries a password, so a
// credential a device announces is never printed, logged or stored by us.
const Redacted = "(hidden)"

// credentialKeys are TXT keys known to carry passwords: OctoPrint's discovery
// plugin announces HTTP Basic credentials as "u" and "p".
var credentialKeys = map[string]bool{"p": true, "pass": true, "password": true, "passwd": true, "pwd": true}

// ParseTXT turns the strings of a TXT record, in the escaped form the mDNS
// library hands over, into key/value pairs as RFC 6763 §6 defines them: keys
// are case-insensitive and kept in lower case, the first occurrence of a key
// wins, a string without "=" is a boolean attribute with an empty value, and
// an empty key is ignored. Keys and values are made safe for display and
// cut (keys to devtext.Label, values to devtext.Value; RFC 6763 §6.4
// recommends keys of nine characters or fewer); credential values are
// replaced by Redacted. It returns nil for an empty record.
func ParseTXT(strs []string) map[string]string {
	var txt map[string]string
	budget := MaxTXTBytes
	for _, s := range strs {
		raw := DecodeName(s)
		if len(raw) > budget {
			break
		}
		budget -= len(raw)
		key, value, _ := strings.Cut(raw, "=")
		key = strings.ToLower(devtext.Clean(key, devtext.Label))
		if key == "" || len(txt) >= MaxTXTPairs {
			continue
		}
		if _, seen := txt[key]; seen {
			continue
		}
		if txt == nil {
			txt = make(map[string]string)
		}
		if credentialKeys[key] && value != "" {
			txt[key] = Redacted
			continue
		}
		txt[key] = devtext.Clean(value, devtext.Value)
	}
	return txt
}
