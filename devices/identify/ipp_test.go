package identify

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
)

// The answers below are built octet by octet from RFC 8010 §3, so the
// decoder is checked against the standard rather than against our encoder.

// ippHead is an answer's header: IPP/1.1, status and request-id.
func ippHead(status uint16, id uint32) []byte {
	return []byte{1, 1, byte(status >> 8), byte(status), byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
}

// ippVal is one attribute or additional value (empty name): tag,
// name-length, name, value-length, value.
func ippVal(tag byte, name, value string) []byte {
	b := []byte{tag, byte(len(name) >> 8), byte(len(name))}
	b = append(b, name...)
	b = append(b, byte(len(value)>>8), byte(len(value)))
	return append(b, value...)
}

// ippWithLanguage is a textWithLanguage or nameWithLanguage value (RFC 8010 §3.9).
func ippWithLanguage(lang, text string) string {
	return string([]byte{byte(len(lang) >> 8), byte(len(lang))}) + lang +
		string([]byte{byte(len(text) >> 8), byte(len(text))}) + text
}

// ippCat joins the parts of an answer.
func ippCat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var (
	ippOps = ippCat([]byte{0x01}, ippVal(0x47, "attributes-charset", "utf-8"),
		ippVal(0x48, "attributes-natural-language", "en"))
	ippEnd = []byte{0x03}
)

// ippPrinterAnswer is a successful answer to our request with the given
// printer attributes.
func ippPrinterAnswer(attrs ...[]byte) []byte {
	return ippCat(ippHead(0, 1), ippOps, []byte{0x04}, ippCat(attrs...), ippEnd)
}

func TestIPPGetPrinterAttributesRequest(t *testing.T) {
	// RFC 8010 §3.1.1 and RFC 8011 §4.2.5.1, written out by hand.
	want := "\x01\x01\x00\x0b\x00\x00\x00\x01" +
		"\x01" +
		"\x47\x00\x12attributes-charset\x00\x05utf-8" +
		"\x48\x00\x1battributes-natural-language\x00\x02en" +
		"\x45\x00\x0bprinter-uri\x00\x1eipp://127.77.0.7:631/ipp/print" +
		"\x42\x00\x14requesting-user-name\x00\x0aporchlight" +
		"\x44\x00\x14requested-attributes\x00\x1fprinter-firmware-string-version" +
		"\x44\x00\x00\x00\x15printer-firmware-name" +
		"\x44\x00\x00\x00\x18printer-firmware-version" +
		"\x44\x00\x00\x00\x0cprinter-uuid" +
		"\x44\x00\x00\x00\x16printer-make-and-model" +
		"\x44\x00\x00\x00\x11printer-device-id" +
		"\x03"
	if got := ippGetPrinterAttributes("ipp://127.77.0.7:631/ipp/print"); string(got) != want {
		t.Errorf("request\n% x\nwant\n% x", got, want)
	}

	tests := []struct{ uri string }{
		{"ipp://127.0.0.1:631/ipp/print"},
		{"ipp://[fe80::1]:8631/printers/Laser_Flur"},
		{"ipp://192.168.1.20:631/" + strings.Repeat("a", 255)},
	}
	for _, tt := range tests {
		b := ippGetPrinterAttributes(tt.uri)
		uri := ippVal(0x45, "printer-uri", tt.uri)
		if !bytes.Contains(b, uri) || !bytes.HasPrefix(b, []byte("\x01\x01\x00\x0b\x00\x00\x00\x01\x01\x47")) || b[len(b)-1] != 0x03 {
			t.Errorf("%s: request % x lacks the header, the printer-uri or the end tag", tt.uri, b)
		}
	}
}

func TestParseIPPAnswer(t *testing.T) {
	many := make([][]byte, 0, 20)
	for i := range 20 {
		many = append(many, ippVal(0x41, "", strings.Repeat("v", i+1)))
	}
	manyAttrs := make([][]byte, 0, ippMaxAttributes+1)
	for range ippMaxAttributes + 1 {
		manyAttrs = append(manyAttrs, ippVal(0x44, "x", "y"))
	}
	collection := ippCat(ippVal(0x34, "media-col-default", ""), ippVal(0x4A, "", "media-size"),
		ippVal(0x34, "", ""), ippVal(0x4A, "", "x-dimension"), ippVal(0x21, "", "\x00\x00\x52\x08"),
		ippVal(0x37, "", ""), ippVal(0x37, "", ""))
	valid := ippPrinterAnswer(
		ippVal(0x42, "printer-firmware-name", "Main"), ippVal(0x42, "", "Network"),
		ippVal(0x41, "printer-firmware-string-version", "LF25I7"), ippVal(0x41, "", "16.66"),
		ippVal(0x30, "printer-firmware-version", "\x01\x3e"),
		ippVal(0x45, "printer-uuid", "urn:uuid:E3248000-80CE-11DB-8000-30055C000006"),
		ippVal(0x35, "printer-make-and-model", ippWithLanguage("de", "Brother HL-L2350DW series")),
		ippVal(0x41, "printer-device-id", "MFG:Brother;MDL:HL-L2350DW series;"))

	tests := []struct {
		name    string
		in      []byte
		want    map[string][]string
		status  uint16
		id      uint32
		wantErr error
	}{
		{name: "valid", in: valid, want: map[string][]string{
			"printer-firmware-name":           {"Main", "Network"},
			"printer-firmware-string-version": {"LF25I7", "16.66"},
			"printer-firmware-version":        {"\x01\x3e"},
			"printer-uuid":                    {"urn:uuid:E3248000-80CE-11DB-8000-30055C000006"},
			"printer-make-and-model":          {"Brother HL-L2350DW series"},
			"printer-device-id":               {"MFG:Brother;MDL:HL-L2350DW series;"},
		}, id: 1},
		{name: "error status kept", in: ippCat(ippHead(0x0400, 9), ippOps, ippEnd), want: map[string][]string{}, status: 0x0400, id: 9},
		{name: "unwanted attributes and collections skipped", in: ippPrinterAnswer(
			ippVal(0x23, "printer-state", "\x00\x00\x00\x03"), collection,
			ippVal(0x41, "printer-firmware-string-version", "2.1")),
			want: map[string][]string{"printer-firmware-string-version": {"2.1"}}, id: 1},
		{name: "wanted names outside the printer group", in: ippCat(ippHead(0, 1), ippOps,
			ippVal(0x41, "printer-firmware-string-version", "op"), []byte{0x05},
			ippVal(0x41, "printer-make-and-model", "unsupported"), ippEnd),
			want: map[string][]string{}, id: 1},
		{name: "wrong syntax dropped", in: ippPrinterAnswer(
			ippVal(0x44, "printer-make-and-model", "keyword"), ippVal(0x41, "printer-uuid", "urn:uuid:x"),
			ippVal(0x21, "printer-firmware-version", "\x00\x00\x00\x01")),
			want: map[string][]string{}, id: 1},
		{name: "too long dropped, limit kept", in: ippPrinterAnswer(
			ippVal(0x41, "printer-make-and-model", strings.Repeat("m", 128)), ippVal(0x41, "", strings.Repeat("n", 127)),
			ippVal(0x30, "printer-firmware-version", strings.Repeat("\x01", 65))),
			want: map[string][]string{"printer-make-and-model": {strings.Repeat("n", 127)}}, id: 1},
		{name: "lying language length dropped", in: ippPrinterAnswer(
			ippVal(0x35, "printer-make-and-model", "\x00\x09en\x00\x03abc"),
			ippVal(0x35, "printer-device-id", ippWithLanguage("en", "MFG:X;")+"extra")),
			want: map[string][]string{}, id: 1},
		{name: "repeat ignored", in: ippPrinterAnswer(
			ippVal(0x41, "printer-firmware-string-version", "1.0"), ippVal(0x41, "printer-firmware-string-version", "6.6.6")),
			want: map[string][]string{"printer-firmware-string-version": {"1.0"}}, id: 1},
		{name: "values capped", in: ippPrinterAnswer(append([][]byte{ippVal(0x41, "printer-firmware-string-version", "0")}, many...)...),
			want: map[string][]string{"printer-firmware-string-version": append([]string{"0"}, func() []string {
				var vs []string
				for i := range ippMaxValues - 1 {
					vs = append(vs, strings.Repeat("v", i+1))
				}
				return vs
			}()...)}, id: 1},
		{name: "data after the end ignored", in: append(ippPrinterAnswer(ippVal(0x41, "printer-firmware-string-version", "3")), "trailing"...),
			want: map[string][]string{"printer-firmware-string-version": {"3"}}, id: 1},

		{name: "empty", in: nil, wantErr: errIPPShort},
		{name: "short header", in: []byte{1, 1, 0, 0, 0, 0, 0}, wantErr: errIPPShort},
		{name: "header only", in: ippHead(0, 1), wantErr: errIPPShort},
		{name: "no end tag", in: valid[:len(valid)-1], wantErr: errIPPShort},
		{name: "cut in a value", in: valid[:len(valid)/2], wantErr: errIPPShort},
		{name: "cut in a length", in: ippCat(ippHead(0, 1), []byte{0x04, 0x41, 0x00}), wantErr: errIPPShort},
		{name: "lying name length", in: ippCat(ippHead(0, 1), []byte{0x04, 0x41, 0xff, 0xff, 'a'}, ippEnd), wantErr: errIPPShort},
		{name: "lying value length", in: ippCat(ippHead(0, 1), []byte{0x04, 0x41, 0x00, 0x01, 'a', 0x7f, 0xff, 'b'}, ippEnd), wantErr: errIPPShort},
		{name: "value before any group", in: ippCat(ippHead(0, 1), ippVal(0x41, "printer-uuid", "x"), ippEnd), wantErr: errIPPMalformed},
		{name: "additional value first", in: ippCat(ippHead(0, 1), []byte{0x04}, ippVal(0x41, "", "x"), ippEnd), wantErr: errIPPMalformed},
		{name: "too many attributes", in: ippPrinterAnswer(manyAttrs...), wantErr: errIPPTooMany},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseIPPAnswer(tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.status != tt.status || a.requestID != tt.id {
				t.Errorf("status 0x%04x id %d, want 0x%04x id %d", a.status, a.requestID, tt.status, tt.id)
			}
			if len(a.printer) != len(tt.want) {
				t.Errorf("printer attributes %q, want %q", a.printer, tt.want)
			}
			for name, vs := range tt.want {
				if !slices.Equal(a.printer[name], vs) {
					t.Errorf("%s = %q, want %q", name, a.printer[name], vs)
				}
			}
		})
	}
}

func TestPrinterFacts(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string][]string
		want  printerFacts
	}{
		{"everything", map[string][]string{
			"printer-firmware-name":           {"Main Firmware", "Sub1"},
			"printer-firmware-string-version": {"1.62", "1.03"},
			"printer-firmware-version":        {"\x01\x3e"},
			"printer-uuid":                    {"urn:uuid:E3248000-80CE-11DB-8000-30055C000006"},
			"printer-make-and-model":          {"Brother HL-L2350DW series"},
			"printer-device-id":               {"MFG:Brother;CMD:PJL,PCL;MDL:HL-L2350DW series;CLS:PRINTER;"},
		}, printerFacts{vendor: "Brother", model: "Brother HL-L2350DW series", firmware: "1.62", uuid: "e3248000-80ce-11db-8000-30055c000006"}},
		{"binary version only", map[string][]string{"printer-firmware-version": {"\x02\x00\x0a"}, "printer-make-and-model": {"Acme Laser 1"}},
			printerFacts{vendor: "Acme", model: "Acme Laser 1", firmware: "2.0.10"}},
		{"text in the octet string", map[string][]string{"printer-firmware-version": {"000000010000I725"}},
			printerFacts{firmware: "000000010000I725"}},
		{"model from the device id, long keys", map[string][]string{"printer-device-id": {" manufacturer : HP ; model:LaserJet Pro M404;SN:X"}},
			printerFacts{vendor: "HP", model: "HP LaserJet Pro M404"}},
		{"control and bidi characters neutralised", map[string][]string{
			"printer-firmware-string-version": {"1.0\x1b[2J\r\nok"},
			"printer-make-and-model":          {"Evil\u202eledoM\x00"},
		}, printerFacts{vendor: "Evil\ufffdledoM\ufffd", model: "Evil\ufffdledoM\ufffd", firmware: "1.0\ufffd ok"}},
		{"not a UUID", map[string][]string{"printer-uuid": {"urn:uuid:e3248000-80ce-11db-8000-30055c00000g"}}, printerFacts{}},
		{"bare UUID", map[string][]string{"printer-uuid": {"E3248000-80CE-11DB-8000-30055C000006"}},
			printerFacts{uuid: "e3248000-80ce-11db-8000-30055c000006"}},
		{"nothing", nil, printerFacts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := factsOf(tt.attrs); got != tt.want {
				t.Errorf("%+q, want %+q", got, tt.want)
			}
		})
	}
}

func TestIPPResource(t *testing.T) {
	tests := []struct{ rp, want string }{
		{"", "/ipp/print"},
		{"ipp/print", "/ipp/print"},
		{"/printers/Laser_Flur", "/printers/Laser_Flur"},
		{"//evil.example/x", "/evil.example/x"},
		{"ipp/print?x=1", "/ipp/print"},
		{"ipp/print#f", "/ipp/print"},
		{"ipp print", "/ipp/print"},
		{"ipp/%2e%2e", "/ipp/print"},
		{"ipp/\r\nHost: x", "/ipp/print"},
		{"drücker", "/ipp/print"},
		{strings.Repeat("a", 256), "/ipp/print"},
	}
	for _, tt := range tests {
		if got := ippResource(tt.rp); got != tt.want {
			t.Errorf("ippResource(%q) = %q, want %q", tt.rp, got, tt.want)
		}
	}
}

// TestIPPSeedCorpus checks that the committed seeds are what their names
// say: the lab printer's answer, as captured, and three hostile variants.
func TestIPPSeedCorpus(t *testing.T) {
	tests := []struct {
		file     string
		wantErr  error
		firmware string
	}{
		{"sim_answer", nil, "1.62"},
		{"sim_answer_truncated", errIPPShort, ""},
		{"sim_answer_lying_length", errIPPShort, ""},
		{"sim_answer_lying_short_length", errIPPShort, ""},
	}
	for _, tt := range tests {
		raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParseIPPAnswer", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		lit, ok := strings.CutPrefix(strings.TrimSpace(string(raw)), "go test fuzz v1\n[]byte(")
		lit, ok2 := strings.CutSuffix(lit, ")")
		b, err := strconv.Unquote(lit)
		if !ok || !ok2 || err != nil {
			t.Fatalf("%s: not a []byte seed: %v", tt.file, err)
		}
		a, err := parseIPPAnswer([]byte(b))
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: error %v, want %v", tt.file, err, tt.wantErr)
		}
		if err == nil && factsOf(a.printer).firmware != tt.firmware {
			t.Errorf("%s: firmware %q, want %q", tt.file, factsOf(a.printer).firmware, tt.firmware)
		}
	}
}

// FuzzParseIPPAnswer checks that any answer decodes without a panic within
// the bounds, and that what identification takes from it is safe to show.
// The committed corpus holds the lab printer's answer, that answer cut
// short, and one whose length field lies.
func FuzzParseIPPAnswer(f *testing.F) {
	f.Add(ippPrinterAnswer(ippVal(0x41, "printer-firmware-string-version", "1.62"),
		ippVal(0x35, "printer-make-and-model", ippWithLanguage("en", "Acme\x1b Laser"))))
	f.Add(ippCat(ippHead(0x0400, 1), ippOps, ippEnd))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseIPPAnswer(b)
		if err != nil {
			return
		}
		for name, vs := range a.printer {
			syntax, ok := ippWanted[name]
			if !ok || len(vs) > ippMaxValues {
				t.Fatalf("kept %q with %d values", name, len(vs))
			}
			for _, v := range vs {
				if len(v) > syntax.maxLen {
					t.Fatalf("%s value of %d octets, limit %d", name, len(v), syntax.maxLen)
				}
			}
		}
		facts := factsOf(a.printer)
		for _, s := range []string{facts.vendor, facts.model, facts.firmware, facts.uuid, summary(a.String())} {
			if !utf8.ValidString(s) || devtext.Clean(s, devtext.Summary) != s {
				t.Fatalf("%q is not safe to show", s)
			}
		}
		if facts.uuid != "" && normaliseUUID(facts.uuid) != facts.uuid {
			t.Fatalf("uuid %q", facts.uuid)
		}
	})
}
