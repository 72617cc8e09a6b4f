package catalog

import "testing"

func TestRouterGuides(t *testing.T) {
	gs, err := routers()
	if err != nil || len(gs) == 0 {
		t.Fatalf("router guides: %v (%d)", err, len(gs))
	}
	for m, want := range map[string]string{"AVM Berlin": "avm-fritzbox", "avm": "avm-fritzbox", "AVMX": "", "Synology Inc": ""} {
		g, ok, err := RouterGuideFor(m)
		if err != nil || ok != (want != "") || g.ID != want {
			t.Errorf("RouterGuideFor(%q) = %q %v %v", m, g.ID, ok, err)
		}
	}
}
