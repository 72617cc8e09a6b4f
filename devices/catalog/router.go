package catalog

import (
	"embed"
	"errors"
	"strings"
	"sync"
)

//go:embed data/routers/*.json
var routerFS embed.FS

// RouterGuide is a router maker's own steps to close the port mappings
// devices opened through UPnP (and keep them from opening more), with
// the page they were read on.
type RouterGuide struct {
	ID     string `json:"id"`
	Vendor string `json:"vendor"`
	// Manufacturers are the words a router's UPnP description starts its
	// manufacturer with ("AVM" for "AVM Berlin"), compared case-insensitively.
	Manufacturers []string `json:"manufacturers"`
	// CloseMappings are the steps, by language.
	CloseMappings map[string][]string `json:"close_mappings"`
	Provenance
}

var routers = sync.OnceValues(func() ([]RouterGuide, error) { return readDir[RouterGuide](routerFS, "data/routers") })

func (g RouterGuide) validate() error {
	var errs []error
	if !strings.HasPrefix(g.Source, "https://") {
		errs = append(errs, errors.New("source: not an https URL"))
	}
	if _, ok := g.AsOf.Time(); !ok {
		errs = append(errs, errors.New("as_of: not a date"))
	}
	if g.ID == "" || g.Vendor == "" || len(g.Manufacturers) == 0 {
		errs = append(errs, errors.New("id, vendor and manufacturers are needed"))
	}
	if len(g.CloseMappings["en"]) == 0 || len(g.CloseMappings["de"]) != len(g.CloseMappings["en"]) {
		errs = append(errs, errors.New("close_mappings: the same steps in en and de are needed"))
	}
	return errors.Join(errs...)
}

// RouterGuideFor returns the guide of the maker whose name manufacturer
// (from a UPnP description) starts with, and whether there is one.
func RouterGuideFor(manufacturer string) (RouterGuide, bool, error) {
	gs, err := routers()
	if err != nil {
		return RouterGuide{}, false, err
	}
	m := strings.ToLower(strings.TrimSpace(manufacturer))
	for _, g := range gs {
		for _, w := range g.Manufacturers {
			if w = strings.ToLower(w); m == w || strings.HasPrefix(m, w+" ") {
				return g, true, nil
			}
		}
	}
	return RouterGuide{}, false, nil
}
