package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// HTTP Digest access authentication with SHA-256 and qop=auth, server side,
// as RFC 7616 §3.4 defines it:
//
//	HA1      = SHA-256(username ":" realm ":" password)
//	HA2      = SHA-256(method ":" request-uri)
//	response = SHA-256(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)

// digestMaxHeader bounds the Authorization header the parser looks at.
const digestMaxHeader = 4096

// digestSHA256Hex returns the lower-case hex SHA-256 of s.
func digestSHA256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// digestParams parses the parameters of an "Authorization: Digest ..."
// header (RFC 7616 §3.4: comma-separated auth-params whose values are tokens
// or quoted strings). It reports false for any other scheme or malformed input.
func digestParams(header string) (map[string]string, bool) {
	if len(header) > digestMaxHeader {
		return nil, false
	}
	scheme, rest, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Digest") {
		return nil, false
	}
	params := map[string]string{}
	s := rest
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return params, len(params) > 0
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, false
		}
		key := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimLeft(s[eq+1:], " \t")
		var value string
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false // unterminated quoted string
			}
			value, s = b.String(), s[i+1:]
		} else {
			end := strings.IndexAny(s, ", \t")
			if end < 0 {
				end = len(s)
			}
			value, s = s[:end], s[end:]
		}
		if _, dup := params[key]; dup {
			return nil, false
		}
		params[key] = value
	}
}

// digestSHA256HA1OK reports whether r carries a valid SHA-256 Digest response
// (RFC 7616) for user in realm, checked against HA1, which a server may store
// instead of the password (RFC 7616 §3.4.2); nonceOK decides whether the
// nonce is one the server issued and still accepts.
func digestSHA256HA1OK(r *http.Request, realm, user, ha1 string, nonceOK func(string) bool) bool {
	p, ok := digestParams(r.Header.Get("Authorization"))
	if !ok || ha1 == "" {
		return false
	}
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "SHA-256") {
		return false
	}
	if p["qop"] != "auth" || p["nc"] == "" || p["cnonce"] == "" || p["response"] == "" {
		return false
	}
	if !apiSecretEqual(p["username"], user) || p["realm"] != realm {
		return false
	}
	if p["uri"] != r.URL.RequestURI() || !nonceOK(p["nonce"]) {
		return false
	}
	ha2 := digestSHA256Hex(r.Method + ":" + p["uri"])
	want := digestSHA256Hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	return apiSecretEqual(strings.ToLower(p["response"]), want)
}
