package checkup

import (
	"slices"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in           string
		release, pre []int
		ok           bool
	}{
		{"1.14.0", []int{1, 14, 0}, nil, true},
		{"20230913-112003/v1.14.0-gcb84623", []int{1, 14, 0}, nil, true},
		{"20231018-132941/1.0.7-beta2-g5d80465", []int{1, 0, 7}, []int{2, 2}, true},
		{"13.2.0(tasmota)", []int{13, 2, 0}, nil, true},
		{"8.1.0.2", []int{8, 1, 0, 2}, nil, true},
		{"ESPHome 2024.6.1, project 1.2", []int{2024, 6, 1}, nil, true},
		{"2024.6.0b1", []int{2024, 6, 0}, []int{2, 1}, true},
		{"1.15.0-dev", []int{1, 15, 0}, []int{0}, true},
		{"0.15.0-b2", []int{0, 15, 0}, []int{2, 2}, true},
		{"0.15.0-rc1", []int{0, 15, 0}, []int{3, 1}, true},
		{"1.5.0-beta.1", []int{1, 5, 0}, []int{2, 1}, true},
		{"1.0.3 (build 200)", []int{1, 0, 3}, nil, true},
		{"1967054020", []int{1967054020}, nil, true},
		{"79.1-52294", []int{79, 1}, nil, true},
		{"1.2.3+exp.sha.5114f85", []int{1, 2, 3}, nil, true},
		{"It runs 1.2.", []int{1, 2}, nil, true},
		{"1.2.3-foo", nil, nil, false},
		{"1.2.3beta", []int{1, 2, 3}, []int{2}, true},
		{"1.2.3-build", nil, nil, false},
		{"1.2.3_x", nil, nil, false},
		{"8.1.0.2-b1", nil, nil, false},
		{"v", nil, nil, false},
		{"", nil, nil, false},
		{"1.2.3.4.5.6.7.8.9", nil, nil, false},
		{"99999999999999999999", nil, nil, false},
	}
	for _, tt := range tests {
		got, ok := parseVersion(tt.in)
		if ok != tt.ok || !slices.Equal(got.release, tt.release) || !slices.Equal(got.pre, tt.pre) {
			t.Errorf("parseVersion(%q) = %v %v, %v; want %v %v, %v", tt.in, got.release, got.pre, ok, tt.release, tt.pre, tt.ok)
		}
	}
}

// TestCompareVersions orders versions as the makers publish them. The
// strings are real: Shelly's from its update server
// (https://api.shelly.cloud/files/firmware, Gen1 "v1.14.0"; Gen2 betas such
// as "1.0.7-beta2"), WLED's from https://github.com/wled/WLED/releases
// ("0.15.0-b2", "0.15.0-rc1"), ESPHome's from https://esphome.io/changelog/
// ("2024.6.0b1") and its development builds ("-dev"), Tasmota's from
// https://github.com/arendst/Tasmota/releases and its development builds
// (four numbers, "8.1.0.2").
func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.14.0", "1.14.1", -1},
		{"1.14", "1.14.0", 0},
		{"2.0", "1.99.99", 1},
		{"0.9.10", "0.9.9", 1},
		// Semantic versions: a pre-release comes before its release.
		{"1.5.0-beta1", "1.5.0", -1},
		{"1.5.0-rc1", "1.5.0-beta2", 1},
		{"1.5.0-alpha", "1.5.0-alpha.1", -1},
		// Shelly: the build date and git commit do not count.
		{"20230913-112003/v1.14.0-gcb84623", "20230913-113709/v1.14.0-gcb84623", 0},
		{"20230503-100134/v1.13.0-g9aed950", "20230913-112003/v1.14.0-gcb84623", -1},
		{"20231018-132941/1.0.7-beta2-g5d80465", "20230912-081941/1.0.3-g6176478", 1},
		{"20231018-132941/1.0.7-beta2-g5d80465", "1.0.7", -1},
		{"20230308-091529/0.14.1-g22a4cb7", "1.0.3", -1},
		// WLED: betas numbered, then release candidates, then the release.
		{"0.15.0-b2", "0.15.0-b4", -1},
		{"0.15.0-b9", "0.15.0-b10", -1},
		{"0.15.0-b4", "0.15.0-rc1", -1},
		{"0.15.0-rc1", "0.15.0", -1},
		{"0.14.4", "0.15.0-b1", -1},
		{"0.14.0-b1", "0.14.0", -1},
		// ESPHome: calendar versions, development builds before betas.
		{"2024.6.0b1", "2024.6.0", -1},
		{"2024.6.0b1", "2024.6.0b2", -1},
		{"2024.7.0-dev", "2024.6.1", 1},
		{"2024.7.0-dev", "2024.7.0b1", -1},
		{"2024.6.1", "2024.12.0", -1},
		// Tasmota: the variant in brackets does not count; a fourth number
		// is a development build after its release.
		{"14.1.0(tasmota)", "14.1.0(tasmota32)", 0},
		{"12.5.0(tasmota)", "14.1.0(tasmota)", -1},
		{"9.2.0(tasmota)", "6.6.0(release-sonoff)", 1},
		{"8.1.0.2", "8.1.0", 1},
		{"8.1.0.2", "8.1.0.10", -1},
		{"8.1.0.2", "8.1.1", -1},
	}
	for _, tt := range tests {
		a, oka := parseVersion(tt.a)
		b, okb := parseVersion(tt.b)
		if !oka || !okb {
			t.Errorf("%s or %s did not parse", tt.a, tt.b)
			continue
		}
		if got := a.compare(b); got != tt.want {
			t.Errorf("%s vs %s = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.compare(a); got != -tt.want {
			t.Errorf("%s vs %s = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

// TestUnknownSchemesNeverNewer: a version Porchlight cannot read is never
// older than the latest (no update claimed) and never comparable (the
// checkup says it cannot tell, rather than "up to date").
func TestUnknownSchemesNeverNewer(t *testing.T) {
	for _, running := range []string{"1.14.0-custom", "1.2.3_local", "nightly", "1.14.0~rc1"} {
		if older(running, "9.9.9") || comparable(running, "9.9.9") {
			t.Errorf("%q: older %v, comparable %v; want neither", running, older(running, "9.9.9"), comparable(running, "9.9.9"))
		}
	}
}

// FuzzParseVersion checks that any firmware string a device reports parses
// without panicking, and that comparison is a consistent order:
// antisymmetric, and equal versions compare alike with a third.
func FuzzParseVersion(f *testing.F) {
	f.Add("20230913-112003/v1.14.0-gcb84623", "1.14.1", "1.14.0")
	f.Add("13.2.0(tasmota)", "14", "8.1.0.2")
	f.Add("2024.6.0b1", "2024.7.0-dev", "0.15.0-rc1")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		va, oka := parseVersion(a)
		vb, okb := parseVersion(b)
		vc, okc := parseVersion(c)
		if !oka || !okb || !okc {
			return
		}
		if va.compare(vb) != -vb.compare(va) {
			t.Fatalf("compare(%q, %q) is not antisymmetric", a, b)
		}
		if va.compare(vb) == 0 && va.compare(vc) != vb.compare(vc) {
			t.Fatalf("%q = %q, but they compare differently with %q", a, b, c)
		}
		if va.compare(vb) < 0 && vb.compare(vc) < 0 && va.compare(vc) >= 0 {
			t.Fatalf("%q < %q < %q, but not %q < %q", a, b, c, a, c)
		}
	})
}
