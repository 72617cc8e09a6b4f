package checkup

import (
	"strconv"
	"strings"
)

// version is a firmware version as numbers, e.g. 1.14.0 → [1 14 0].
type version []int

// parseVersion finds the version in what a device reports: the first run
// of digits and dots after the last "/", ignoring a leading "v" and what
// follows the numbers ("v1.14.0-gcb84623" → 1.14.0, "13.2.0(tasmota)" →
// 13.2.0, "ESPHome 2024.6.1" → 2024.6.1). It reports false when there is
// no number, or more than 8 parts (nothing real has that many).
func parseVersion(s string) (version, bool) {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	start := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if start < 0 {
		return nil, false
	}
	end := start
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' && end+1 < len(s) && s[end+1] >= '0' && s[end+1] <= '9') {
		end++
	}
	parts := strings.Split(s[start:end], ".")
	if len(parts) > 8 {
		return nil, false
	}
	v := make(version, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		v[i] = n
	}
	return v, true
}

// compare returns -1, 0 or 1 as v is older than, the same as, or newer
// than w; missing parts count as 0 (1.14 = 1.14.0).
func (v version) compare(w version) int {
	for i := 0; i < max(len(v), len(w)); i++ {
		a, b := 0, 0
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
	}
	return 0
}
