package discover

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
)

func TestParseTXT(t *testing.T) {
	many := make([]string, 100)
	for i := range many {
		many[i] = fmt.Sprintf("k%03d=v", i)
	}
	tests := []struct {
		name string
		in   []string
		want map[string]string
	}{
		{"empty record", nil, nil},
		{"single empty string", []string{""}, nil},
		{"pairs", []string{"gen=2", "app=PlusPlugS"}, map[string]string{"gen": "2", "app": "PlusPlugS"}},
		{"escaped UTF-8 value", []string{`note=B\195\188ro`}, map[string]string{"note": "Büro"}},
		{"boolean attribute", []string{"flag"}, map[string]string{"flag": ""}},
		{"empty value", []string{"rm="}, map[string]string{"rm": ""}},
		{"value holding =", []string{"a=b=c"}, map[string]string{"a": "b=c"}},
		{"keys are case-insensitive, first wins", []string{"a=first", "A=second"}, map[string]string{"a": "first"}},
		{"empty key ignored", []string{"=x", "b=y"}, map[string]string{"b": "y"}},
		{"escape sequences neutralised", []string{"name=\x1b[31mRED\x1b[0m"}, map[string]string{"name": "\uFFFDRED\uFFFD"}},
		{"long value cut", []string{"v=" + strings.Repeat("x", 300)}, map[string]string{"v": strings.Repeat("x", devtext.Value-1) + "…"}},
		{"OctoPrint password redacted", []string{"u=pi", "p=raspberry"}, map[string]string{"u": "pi", "p": Redacted}},
		{"empty password kept empty", []string{"p="}, map[string]string{"p": ""}},
		{"password key any case", []string{"Password=hunter2"}, map[string]string{"password": Redacted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseTXT(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseTXT(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := len(ParseTXT(many)); got != MaxTXTPairs {
		t.Errorf("ParseTXT kept %d pairs of 100, want the limit %d", got, MaxTXTPairs)
	}
	big := make([]string, 64)
	for i := range big {
		big[i] = fmt.Sprintf("k%02d=%s", i, strings.Repeat("x", 250))
	}
	if got := len(ParseTXT(big)); got*254 > MaxTXTBytes || got == 0 {
		t.Errorf("ParseTXT kept %d pairs of 254 bytes, want between 1 and %d bytes' worth", got, MaxTXTBytes)
	}
}

// FuzzParseTXT checks that any TXT record parses without panicking into
// bounded, displayable pairs that never hold a credential.
func FuzzParseTXT(f *testing.F) {
	f.Add("gen=2", "app=PlusPlugS", "")
	f.Add("p=raspberry", "u=pi", `note=B\195\188ro`)
	f.Add("\x00key=\x01value", "=", "A=1")
	f.Add(strings.Repeat("x", 300), `\`, `\1`)
	f.Fuzz(func(t *testing.T, a, b, c string) {
		txt := ParseTXT([]string{a, b, c})
		if len(txt) > 3 {
			t.Fatalf("3 strings gave %d pairs", len(txt))
		}
		for k, v := range txt {
			if k == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
				t.Fatalf("bad pair %q=%q", k, v)
			}
			if utf8.RuneCountInString(v) > devtext.Value || devtext.Clean(v, devtext.Value) != v {
				t.Fatalf("value %q is not clean", v)
			}
			if credentialKeys[k] && v != "" && v != Redacted {
				t.Fatalf("credential %q=%q not redacted", k, v)
			}
		}
	})
}
