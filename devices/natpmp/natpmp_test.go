package natpmp

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	a, err := Parse([]byte{0, 128, 0, 0, 0, 0, 0x1c, 0x20, 203, 0, 113, 77})
	if err != nil || a.Result != 0 || a.External != netip.MustParseAddr("203.0.113.77") || a.Epoch != 7200 {
		t.Errorf("%+v %v", a, err)
	}
	if a, err := Parse([]byte{0, 128, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0}); err != nil || a.Result != 3 || a.External.IsValid() {
		t.Errorf("network failure: %+v %v", a, err)
	}
	for _, b := range [][]byte{nil, {0, 128}, {1, 128, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, {0, 129, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, make([]byte, 13)} {
		if _, err := Parse(b); !errors.Is(err, ErrAnswer) {
			t.Errorf("Parse(%v): %v", b, err)
		}
	}
}

func TestRefusesInternetAddresses(t *testing.T) {
	if _, err := ExternalAddress(context.Background(), nil, netip.MustParseAddr("8.8.8.8"), time.Second); err == nil {
		t.Error("asked an internet address")
	}
}

// FuzzParse: any answer is read without a panic; an accepted one is 12 bytes.
func FuzzParse(f *testing.F) {
	f.Add([]byte{0, 128, 0, 0, 0, 0, 0x1c, 0x20, 203, 0, 113, 77})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := Parse(b); err == nil && len(b) != 12 {
			t.Errorf("accepted %d bytes", len(b))
		}
	})
}
