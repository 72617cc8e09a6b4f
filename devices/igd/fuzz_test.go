package igd

import (
	"testing"

	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
)

// FuzzParseAnswer: any answer is read within its bounds, without a
// panic, into values that are safe to show.
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetGenericPortMappingEntryResponse><NewExternalPort>80</NewExternalPort></u:GetGenericPortMappingEntryResponse></s:Body></s:Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := ParseAnswer(b, "GetGenericPortMappingEntry")
		if err != nil {
			return
		}
		if len(out) > maxArgs {
			t.Errorf("%d arguments", len(out))
		}
		for k, v := range out {
			if r, bad := devtexttest.Unsafe(v); bad {
				t.Errorf("%s=%q holds %U", k, v, r)
			}
		}
		m := mappingOf(out)
		if r, bad := devtexttest.Unsafe(m.Description); bad {
			t.Errorf("description %q holds %U", m.Description, r)
		}
	})
}
