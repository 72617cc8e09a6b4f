package catalog

import (
	"strings"
	"testing"
)

// TestCameraDefaults loads the camera factory logins and looks them up by
// model: a Dahua series model has Dahua's, other makers' models have none.
func TestCameraDefaults(t *testing.T) {
	ds, err := cameraDefaults()
	if err != nil || len(ds) == 0 {
		t.Fatalf("%d camera defaults, %v", len(ds), err)
	}
	for _, tc := range []struct {
		model, want string
	}{
		{"IPC-HDW1230S", "dahua-ipc"},
		{"ipc-hfw4431r-z", "dahua-ipc"},
		{"IPC-HDBW2431E-S-S2", "dahua-ipc"},
		{"M1065-LW", ""},       // Axis
		{"DS-2CD2042WD-I", ""}, // Hikvision
		{"IPC-HX2431", ""},     // not a Dahua series
		{"", ""},
	} {
		d, ok, err := CameraDefaultFor(tc.model)
		if err != nil || ok != (tc.want != "") || d.ID != tc.want {
			t.Errorf("%q: %q %v %v, want %q", tc.model, d.ID, ok, err, tc.want)
		}
	}
	d, _ := CameraDefaultByID("dahua-ipc")
	if len(d.Steps("de")) != len(d.Steps("en")) || !strings.Contains(strings.Join(d.Steps("de-AT"), " "), "Passwort") {
		t.Errorf("steps: %q / %q", d.Steps("en"), d.Steps("de-AT"))
	}
}

// TestCameraDefaultValidation refuses entries without a source, with a
// model pattern that matches every camera, or with steps in one language.
func TestCameraDefaultValidation(t *testing.T) {
	good, _ := CameraDefaultByID("dahua-ipc")
	if err := good.validate(); err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(*CameraDefault){
		"http source":     func(d *CameraDefault) { d.Source = "http://example.com/" },
		"any model":       func(d *CameraDefault) { d.Models = []string{"*"} },
		"no password":     func(d *CameraDefault) { d.Password = "" },
		"english only":    func(d *CameraDefault) { d.ChangeSteps.DE = nil },
		"no steps source": func(d *CameraDefault) { d.ChangeSteps.Source = "" },
	} {
		d := good
		d.Models = append([]string(nil), good.Models...)
		spoil(&d)
		if d.validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
