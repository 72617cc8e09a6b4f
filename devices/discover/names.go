package discover

import "strings"

// DecodeName undoes the presentation-format escapes of a DNS label, as the
// mDNS library hands names over: "\ " and "\." become the character itself,
// "\DDD" becomes the byte with that decimal value. An escape that is cut off
// or out of range is kept as written. The result may hold any bytes; pass it
// through devtext.Clean before showing it.
func DecodeName(escaped string) string {
	if strings.IndexByte(escaped, '\\') < 0 {
		return escaped
	}
	out := make([]byte, 0, len(escaped))
	for i := 0; i < len(escaped); i++ {
		c := escaped[i]
		if c != '\\' || i+1 >= len(escaped) {
			out = append(out, c)
			continue
		}
		if v, ok := decimalEscape(escaped[i+1:]); ok {
			out = append(out, v)
			i += 3
			continue
		}
		if isDigit(escaped[i+1]) {
			// "\1" or "\999": not a valid escape, keep the backslash.
			out = append(out, c)
			continue
		}
		out = append(out, escaped[i+1])
		i++
	}
	return string(out)
}

// decimalEscape reads the DDD of a "\DDD" escape at the start of s.
func decimalEscape(s string) (byte, bool) {
	if len(s) < 3 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) {
		return 0, false
	}
	v := int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
	if v > 255 {
		return 0, false
	}
	return byte(v), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
