package checkup

import (
	"slices"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want version
		ok   bool
	}{
		{"1.14.0", version{1, 14, 0}, true},
		{"20230913-112003/v1.14.0-gcb84623", version{1, 14, 0}, true},
		{"13.2.0(tasmota)", version{13, 2, 0}, true},
		{"ESPHome 2024.6.1, project 1.2", version{2024, 6, 1}, true},
		{"0.14.4", version{0, 14, 4}, true},
		{"1967054020", version{1967054020}, true},
		{"79.1-52294", version{79, 1}, true},
		{"1.", version{1}, true},
		{"v", nil, false},
		{"", nil, false},
		{"1.2.3.4.5.6.7.8.9", nil, false},
		{"99999999999999999999", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseVersion(tt.in)
		if ok != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("parseVersion(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.14.0", "1.14.1", -1},
		{"1.14", "1.14.0", 0},
		{"2.0", "1.99.99", 1},
		{"0.9.10", "0.9.9", 1},
	}
	for _, tt := range tests {
		a, _ := parseVersion(tt.a)
		b, _ := parseVersion(tt.b)
		if got := a.compare(b); got != tt.want {
			t.Errorf("%s vs %s = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzParseVersion checks that any firmware string a device reports parses
// without panicking, and that comparison is antisymmetric.
func FuzzParseVersion(f *testing.F) {
	f.Add("20230913-112003/v1.14.0-gcb84623", "1.14.1")
	f.Add("13.2.0(tasmota)", "14")
	f.Fuzz(func(t *testing.T, a, b string) {
		va, oka := parseVersion(a)
		vb, okb := parseVersion(b)
		if !oka || !okb {
			return
		}
		if va.compare(vb) != -vb.compare(va) {
			t.Fatalf("compare(%v, %v) is not antisymmetric", va, vb)
		}
	})
}
