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
