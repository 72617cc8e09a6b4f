// Package httpdigest is the client side of HTTP Digest access
// authentication (RFC 7616) with SHA-256 and qop=auth, as Shelly Gen2+
// devices use it. It parses a server's challenge and computes the
// Authorization header that answers it; the password itself never travels.
//
// Only SHA-256 is accepted: a challenge offering nothing but MD5 (or no
// qop=auth) is refused rather than answered with a weaker scheme.
package httpdigest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Algorithm is the only digest algorithm this package answers.
const Algorithm = "SHA-256"

// ErrNoChallenge reports that no usable Digest challenge was offered.
var ErrNoChallenge = errors.New("no Digest SHA-256 challenge with qop=auth")

// ErrMalformed reports a WWW-Authenticate value that holds a control
// character other than HTAB: no token or quoted-string may carry one (RFC
// 9110 §5.5), so the header is refused rather than parsed around.
var ErrMalformed = errors.New("malformed WWW-Authenticate header")

// Challenge is one Digest challenge from a WWW-Authenticate header.
type Challenge struct {
	Realm  string
	Nonce  string
	Opaque string
	// Stale is set when the server rejected a previous request only
	// because its nonce had expired: retry with the new nonce.
	Stale bool
}

// Parse returns the first Digest challenge among the WWW-Authenticate
// header values that uses SHA-256 and offers qop=auth. When any value holds
// a control character other than HTAB they are all refused with an error
// wrapping ErrMalformed: what Parse returns never holds one.
// Source: RFC 7616 §3.3 (the WWW-Authenticate response header); a header
// may carry several challenges and a server may send several headers.
func Parse(headers []string) (*Challenge, error) {
	for _, h := range headers {
		if err := checkControls(h); err != nil {
			return nil, err
		}
	}
	for _, h := range headers {
		for _, ch := range splitChallenges(h) {
			if !strings.EqualFold(ch.scheme, "Digest") {
				continue
			}
			// Source: RFC 7616 §3.3: "algorithm" is a token; absent means MD5.
			if !strings.EqualFold(ch.params["algorithm"], Algorithm) {
				continue
			}
			if !hasToken(ch.params["qop"], "auth") || ch.params["nonce"] == "" {
				continue
			}
			return &Challenge{
				Realm:  ch.params["realm"],
				Nonce:  ch.params["nonce"],
				Opaque: ch.params["opaque"],
				Stale:  strings.EqualFold(ch.params["stale"], "true"),
			}, nil
		}
	}
	return nil, ErrNoChallenge
}

// HA1 is hex(SHA-256(username ":" realm ":" password)), the "A1" hash of
// RFC 7616 §3.4.2 (Shelly.SetAuth takes exactly this value as "ha1").
func HA1(username, realm, password string) string {
	return hexSHA256(username + ":" + realm + ":" + password)
}

// Authorization returns the Authorization header value answering c for a
// request of method to uri, given the user's HA1, the nonce count nc
// (1 for a nonce's first use) and a client nonce.
// Source: RFC 7616 §3.4 (the Authorization header) and §3.4.1 (response =
// KD(H(A1), nonce:nc:cnonce:qop:H(A2)) with A2 = method:uri for qop=auth).
func (c *Challenge) Authorization(method, uri, username, ha1 string, nc uint32, cnonce string) string {
	ncHex := fmt.Sprintf("%08x", nc)
	ha2 := hexSHA256(method + ":" + uri)
	response := hexSHA256(strings.Join([]string{ha1, c.Nonce, ncHex, cnonce, "auth", ha2}, ":"))
	var b strings.Builder
	b.WriteString("Digest ")
	fmt.Fprintf(&b, "username=%s, realm=%s, uri=%s, algorithm=%s, nonce=%s, nc=%s, cnonce=%s, qop=auth, response=%s",
		quote(username), quote(c.Realm), quote(uri), Algorithm, quote(c.Nonce), ncHex, quote(cnonce), quote(response))
	if c.Opaque != "" {
		fmt.Fprintf(&b, ", opaque=%s", quote(c.Opaque))
	}
	return b.String()
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// quote writes s as an RFC 9110 quoted-string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// hasToken reports whether the comma-separated list holds tok.
func hasToken(list, tok string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}

// checkControls refuses a header value holding a control character other
// than HTAB: field values, and so their tokens and quoted-strings, are
// visible ASCII, SP, HTAB and obs-text only (RFC 9110 §5.5 field-value,
// §5.6.2 tchar, §5.6.4 qdtext and quoted-pair).
func checkControls(h string) error {
	for i := 0; i < len(h); i++ {
		if c := h[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return fmt.Errorf("%w: control character %U at byte %d", ErrMalformed, rune(c), i)
		}
	}
	return nil
}

type challenge struct {
	scheme string
	params map[string]string
}

// splitChallenges parses one WWW-Authenticate value: challenges are
// "scheme" followed by comma-separated auth-params (token=token or
// token=quoted-string); a token without "=" starts the next challenge.
// Source: RFC 9110 §11.6.1 (WWW-Authenticate) and §11.2 (auth-param).
func splitChallenges(h string) []challenge {
	var out []challenge
	p := parser{s: h}
	for {
		p.skip(" \t,")
		if p.done() {
			return out
		}
		tok := p.token()
		if tok == "" {
			return out // not a token: stop at what cannot be parsed
		}
		p.skip(" \t")
		if p.peek() == '=' && len(out) > 0 {
			// An auth-param of the current challenge.
			p.pos++
			p.skip(" \t")
			out[len(out)-1].params[strings.ToLower(tok)] = p.value()
			continue
		}
		out = append(out, challenge{scheme: tok, params: map[string]string{}})
	}
}

type parser struct {
	s   string
	pos int
}

func (p *parser) done() bool { return p.pos >= len(p.s) }

func (p *parser) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.pos]
}

func (p *parser) skip(chars string) {
	for !p.done() && strings.IndexByte(chars, p.s[p.pos]) >= 0 {
		p.pos++
	}
}

// token reads an RFC 9110 token (tchar+), which also covers token68
// characters that matter here.
func (p *parser) token() string {
	start := p.pos
	for !p.done() && isTchar(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

// value reads a token or a quoted-string, unescaping the latter.
func (p *parser) value() string {
	if p.peek() != '"' {
		return p.token()
	}
	p.pos++
	var b strings.Builder
	for !p.done() {
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == '\\' && !p.done():
			b.WriteByte(p.s[p.pos])
			p.pos++
		case c == '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isTchar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~/", c) >= 0
}
