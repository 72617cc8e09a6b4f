package httpdigest

import (
	"errors"
	"strings"
	"testing"
)

// The example of RFC 7616 §3.9.1: the server offers SHA-256 and MD5 for
// user "Mufasa" with password "Circle of Life".
const (
	rfcRealm  = "http-auth@example.org"
	rfcNonce  = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
	rfcOpaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
	rfcCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
)

func rfcChallenge(algorithm string) string {
	return `Digest realm="` + rfcRealm + `", qop="auth, auth-int", algorithm=` + algorithm +
		`, nonce="` + rfcNonce + `", opaque="` + rfcOpaque + `"`
}

// TestRFC7616SHA256 checks the known answer of RFC 7616 §3.9.1 for SHA-256.
func TestRFC7616SHA256(t *testing.T) {
	ch, err := Parse([]string{rfcChallenge("SHA-256"), rfcChallenge("MD5")})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Realm != rfcRealm || ch.Nonce != rfcNonce || ch.Opaque != rfcOpaque || ch.Stale {
		t.Fatalf("parsed %+v", ch)
	}
	ha1 := HA1("Mufasa", ch.Realm, "Circle of Life")
	// sha256("Mufasa:http-auth@example.org:Circle of Life"), computed independently with sha256sum.
	if ha1 != "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232" {
		t.Errorf("HA1 = %s", ha1)
	}
	got := ch.Authorization("GET", "/dir/index.html", "Mufasa", ha1, 1, rfcCnonce)
	want := map[string]string{
		"username":  `"Mufasa"`,
		"realm":     `"` + rfcRealm + `"`,
		"uri":       `"/dir/index.html"`,
		"algorithm": "SHA-256",
		"nonce":     `"` + rfcNonce + `"`,
		"nc":        "00000001",
		"cnonce":    `"` + rfcCnonce + `"`,
		"qop":       "auth",
		"response":  `"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"`,
		"opaque":    `"` + rfcOpaque + `"`,
	}
	if !strings.HasPrefix(got, "Digest ") {
		t.Fatalf("header %q does not start with the scheme", got)
	}
	params := strings.Split(strings.TrimPrefix(got, "Digest "), ", ")
	if len(params) != len(want) {
		t.Errorf("header has %d parameters, want %d: %s", len(params), len(want), got)
	}
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		if want[k] != v {
			t.Errorf("%s=%s, want %s", k, v, want[k])
		}
	}
}

// TestParseShelly reads the challenge a Shelly Plus device sends (as
// published captures of real devices show it) and the stale flag.
func TestParseShelly(t *testing.T) {
	ch, err := Parse([]string{`Digest qop="auth", realm="shellyplus1-7c87ce7213ec", nonce="642dabce", algorithm=SHA-256`})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Realm != "shellyplus1-7c87ce7213ec" || ch.Nonce != "642dabce" || ch.Opaque != "" || ch.Stale {
		t.Errorf("parsed %+v", ch)
	}
	ch, err = Parse([]string{`Basic realm="x", Digest realm="r", nonce="n2", qop=auth, algorithm=sha-256, stale=TRUE`})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Stale || ch.Nonce != "n2" {
		t.Errorf("parsed %+v", ch)
	}
	if h := ch.Authorization("POST", "/rpc", "admin", "x", 2, "c"); strings.Contains(h, "opaque") || !strings.Contains(h, "nc=00000002") {
		t.Errorf("header %s", h)
	}
}

// TestParseRefusesWeakerChallenges never answers MD5, a missing qop or
// something that is not Digest.
func TestParseRefusesWeakerChallenges(t *testing.T) {
	for _, h := range []string{
		rfcChallenge("MD5"),
		`Digest realm="r", nonce="n"`,                                    // no algorithm: MD5 by default
		`Digest realm="r", nonce="n", algorithm=SHA-256`,                 // no qop
		`Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth-int"`, // no qop=auth
		`Digest realm="r", qop=auth, algorithm=SHA-256`,                  // no nonce
		`Basic realm="r"`,
		``,
		`=broken`,
	} {
		if ch, err := Parse([]string{h}); !errors.Is(err, ErrNoChallenge) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrNoChallenge", h, ch, err)
		}
	}
}

// TestQuotedStrings unescapes what it reads and escapes what it writes.
func TestQuotedStrings(t *testing.T) {
	ch, err := Parse([]string{`Digest realm="a \"b\" \\c", nonce="n,1", qop="auth", algorithm=SHA-256`})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Realm != `a "b" \c` || ch.Nonce != "n,1" {
		t.Fatalf("parsed %+v", ch)
	}
	if h := ch.Authorization("GET", "/", `u"x`, "h", 1, "c"); !strings.Contains(h, `realm="a \"b\" \\c"`) || !strings.Contains(h, `username="u\"x"`) {
		t.Errorf("header %s", h)
	}
}

// TestHA1 checks the value Shelly.SetAuth expects against one computed
// independently: printf 'admin:<realm>:<password>' | sha256sum.
func TestHA1(t *testing.T) {
	got := HA1("admin", "shellyplusplugs-a8032ab12345", "s3cret-Pa55")
	if got != "89c8d11e19e6643764fb88f3120a888eefbaf42993f08742cf13fff119acaf7e" {
		t.Errorf("HA1 = %s", got)
	}
}

// TestParseRefusesControlCharacters refuses a header with a control
// character anywhere, in a quoted-string, escaped or not, or in a token,
// whichever header carries it; HTAB stays allowed where RFC 9110 allows it.
func TestParseRefusesControlCharacters(t *testing.T) {
	good := `Digest realm="r", nonce="n", qop=auth, algorithm=SHA-256`
	for _, tt := range []struct {
		name    string
		headers []string
	}{
		{"CR LF in a quoted realm", []string{`Digest realm="r` + "\r\n" + `X-Injected: 1", nonce="n", qop=auth, algorithm=SHA-256`}},
		{"NUL in a quoted nonce", []string{`Digest realm="r", nonce="n` + "\x00" + `", qop=auth, algorithm=SHA-256`}},
		{"DEL in a quoted opaque", []string{good + `, opaque="o` + "\x7f" + `"`}},
		{"ESC escaped in a quoted-string", []string{`Digest realm="a\` + "\x1b" + `[31m", nonce="n", qop=auth, algorithm=SHA-256`}},
		{"control character ending a token", []string{`Digest realm="r", nonce=n, qop=auth, algorithm=SHA-256` + "\x01"}},
		{"control character inside a token", []string{`Digest realm="r", nonce=n` + "\x0b" + `x, qop=auth, algorithm=SHA-256`}},
		{"unterminated quoted-string", []string{`Digest realm="r", qop=auth, algorithm=SHA-256, nonce="n` + "\n"}},
		{"in a later header", []string{good, `Basic realm="b` + "\x08" + `"`}},
		{"in an earlier header", []string{`Basic realm="b` + "\x1f" + `"`, good}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if ch, err := Parse(tt.headers); !errors.Is(err, ErrMalformed) {
				t.Errorf("Parse(%q) = %+v, %v; want ErrMalformed", tt.headers, ch, err)
			}
		})
	}
	ch, err := Parse([]string{"Digest\trealm=\"a\tb\",\tnonce=\"n\"\t,qop=auth, algorithm=SHA-256"})
	if err != nil || ch.Realm != "a\tb" || ch.Nonce != "n" {
		t.Errorf("HTAB as whitespace and in a quoted-string: %+v, %v", ch, err)
	}
}

// FuzzParse feeds arbitrary header values to the challenge parser: it must
// never panic, and neither what it accepts nor the Authorization header
// answering it holds a control character other than HTAB.
func FuzzParse(f *testing.F) {
	f.Add(rfcChallenge("SHA-256"), rfcChallenge("MD5"))
	f.Add(`Digest qop="auth", realm="shellyplus1-7c87ce7213ec", nonce="642dabce", algorithm=SHA-256`, "")
	f.Add(`Basic realm="x", Digest realm="r", nonce="n2", qop=auth, algorithm=sha-256, stale=TRUE`, `=broken`)
	f.Add(`Digest realm="a \"b\" \\c", nonce="n,1", qop="auth", algorithm=SHA-256`, `Digest realm="`)
	f.Fuzz(func(t *testing.T, a, b string) {
		ch, err := Parse([]string{a, b})
		if err != nil {
			if ch != nil {
				t.Fatalf("Parse returned %+v with the error %v", ch, err)
			}
			return
		}
		for _, v := range []string{ch.Realm, ch.Nonce, ch.Opaque} {
			if i := controlAt(v); i >= 0 {
				t.Fatalf("Parse(%q, %q) returned %q with control character %#x", a, b, v, v[i])
			}
		}
		if ch.Nonce == "" {
			t.Fatalf("Parse(%q, %q) accepted a challenge without a nonce", a, b)
		}
		h := ch.Authorization("POST", "/rpc", "admin", HA1("admin", ch.Realm, "pw"), 1, "c")
		if i := controlAt(h); i >= 0 {
			t.Fatalf("Authorization %q holds control character %#x", h, h[i])
		}
	})
}

// controlAt returns the index of the first control character of s other
// than HTAB, -1 when there is none.
func controlAt(s string) int {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f })
}
