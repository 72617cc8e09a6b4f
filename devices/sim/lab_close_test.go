//go:build linux

package sim

import (
	"testing"

	"github.com/porchlight/porchlight/devices/netns"
)

func TestLabClosesTwice(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lab, err := Start(Config{Profile: ProfileHostile})
	if err != nil {
		t.Fatal(err)
	}
	first := lab.Close()
	if second := lab.Close(); second != first {
		t.Errorf("second Close = %v, want the first's result %v", second, first)
	}
}
