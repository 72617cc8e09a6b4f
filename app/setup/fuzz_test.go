package setup

import (
	"reflect"
	"testing"
)

// maxMoves bounds the moves one input makes from the state it loads.
const maxMoves = 64

// FuzzDecode checks the progress file's promises for any content, and the
// state machine's from any state a file holds. A file that loads is saved
// and loads again to the same state; one that does not is reported (Load
// returns the start and an error). From a state that loads, every move the
// wizard makes (Next, Back, SkipDevice, ToSummary, Without a device) leads
// to a valid state again, one moves names at a time. The committed corpus
// holds files as Save writes them, at each step of a setup with two
// devices, and damaged ones.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data, moves []byte) {
		s, err := decode(data)
		if err != nil {
			return
		}
		saved, err := encode(s)
		if err != nil {
			t.Fatalf("%q loads but cannot be saved: %v", data, err)
		}
		again, err := decode(saved)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("saved %+v, loaded %+v again (%v)", s, again, err)
		}
		for i, m := range moves[:min(len(moves), maxMoves)] {
			before := s
			switch m % 5 {
			case 0:
				s = s.Next()
			case 1:
				s = s.Back()
			case 2:
				s = s.SkipDevice()
			case 3:
				s = s.ToSummary()
			case 4:
				if len(s.Devices) > 0 {
					s = s.Without(s.Devices[int(m/5)%len(s.Devices)])
				}
			}
			if !s.valid() {
				t.Fatalf("move %d (%d) from %+v gives %+v, which is not a valid state", i, m%5, before, s)
			}
		}
	})
}
