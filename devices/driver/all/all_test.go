package all

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/driver"
)

// families are the catalog IDs that must have a driver.
var families = []string{"hue-bridge", "shelly-gen1", "shelly-gen2", "tasmota", "wled"}

// TestEveryDriverRegistered finds each family's driver under its catalog ID.
func TestEveryDriverRegistered(t *testing.T) {
	if got := driver.Families(); !slices.Equal(got, families) {
		t.Errorf("families %v, want %v", got, families)
	}
	for _, f := range families {
		d, ok := driver.For(f)
		if !ok {
			t.Errorf("%s: no driver", f)
			continue
		}
		if d.Family() != f {
			t.Errorf("%s: Family() = %q", f, d.Family())
		}
	}
}

// TestPasswordRules: every family that changes passwords accepts one built
// from its own alphabet at its longest and shortest, and refuses one that
// is too long; the others accept none.
func TestPasswordRules(t *testing.T) {
	for _, f := range families {
		d, _ := driver.For(f)
		r := d.PasswordRules()
		if !d.Capabilities().Password {
			if r.Check("anything") == nil {
				t.Errorf("%s: takes a password it cannot set", f)
			}
			continue
		}
		if r.MinLen < 1 || r.MaxLen < r.MinLen || r.Alphabet == "" {
			t.Errorf("%s: rules %+v", f, r)
			continue
		}
		longest := strings.Repeat(r.Alphabet, r.MaxLen/len(r.Alphabet)+1)[1 : r.MaxLen+1]
		for _, pw := range []string{longest, longest[:r.MinLen]} {
			if err := r.Check(pw); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
		if err := r.Check(longest + r.Alphabet[:1]); !errors.Is(err, driver.ErrPasswordRules) {
			t.Errorf("%s: a password one character too long: %v", f, err)
		}
	}
}
