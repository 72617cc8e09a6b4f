package catalog

import (
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"
)

//go:embed data/cameras/*.json
var cameraFS embed.FS

// InterfaceONVIF is the interface of a camera's factory login: its ONVIF
// device service.
const InterfaceONVIF = "onvif"

// CameraDefault is a camera maker's documented factory login of its ONVIF
// service, for the model series it names: one login, never a list. A maker
// without one on a public page has no entry, and its cameras no check.
type CameraDefault struct {
	ID     string `json:"id"`
	Vendor string `json:"vendor"`
	// Models are the hardware models it applies to, as the camera names
	// them (its ONVIF hardware scope or GetDeviceInformation's Model),
	// compared with Match.
	Models   []string `json:"models"`
	Username string   `json:"username"`
	Password string   `json:"password"`
	// Note says which cameras have it, in the maker's terms.
	Note string `json:"note"`
	// ChangeSteps are the maker's steps to change it, with their source.
	ChangeSteps Steps `json:"change_steps"`
	Provenance
}

// Steps returns the steps to change the factory login in lang ("en",
// "de", or a tag such as "de-AT"), falling back to English.
func (d CameraDefault) Steps(lang string) []string {
	return Guide{Password: &d.ChangeSteps}.steps(StepsPassword, lang)
}

var cameraDefaults = sync.OnceValues(func() ([]CameraDefault, error) { return readDir[CameraDefault](cameraFS, "data/cameras") })

func (d CameraDefault) validate() error {
	var errs []error
	if !strings.HasPrefix(d.Source, "https://") || !strings.HasPrefix(d.ChangeSteps.Source, "https://") {
		errs = append(errs, errors.New("source, change_steps.source: not an https URL"))
	}
	if _, ok := d.AsOf.Time(); !ok {
		errs = append(errs, errors.New("as_of: not a date"))
	}
	if d.ID == "" || d.Vendor == "" || len(d.Models) == 0 || d.Username == "" || d.Password == "" || d.Note == "" {
		errs = append(errs, errors.New("id, vendor, models, username, password and note are needed"))
	}
	for _, m := range d.Models {
		if strings.Trim(m, "*") == "" {
			errs = append(errs, fmt.Errorf("models: %q matches any camera", m))
		}
	}
	if len(d.ChangeSteps.EN) == 0 || len(d.ChangeSteps.DE) != len(d.ChangeSteps.EN) {
		errs = append(errs, errors.New("change_steps: the same steps in en and de are needed"))
	}
	return errors.Join(errs...)
}

// CameraDefaultFor returns the documented factory login of the camera
// model model, and whether a maker documents one.
func CameraDefaultFor(model string) (CameraDefault, bool, error) {
	ds, err := cameraDefaults()
	if err != nil || strings.TrimSpace(model) == "" {
		return CameraDefault{}, false, err
	}
	for _, d := range ds {
		for _, m := range d.Models {
			if Match(m, strings.TrimSpace(model)) {
				return d, true, nil
			}
		}
	}
	return CameraDefault{}, false, nil
}

// CameraDefaultByID returns the camera factory login with catalog id id.
func CameraDefaultByID(id string) (CameraDefault, bool) {
	ds, _ := cameraDefaults()
	for _, d := range ds {
		if d.ID == id {
			return d, true
		}
	}
	return CameraDefault{}, false
}
