package inventory

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecode checks the inventory file's promises for any content. A file
// that loads is saved and loads again to the same devices: saving what
// was loaded a second time writes the same bytes. A file that does not
// load is reported (Open returns ErrCorrupt and sets it aside); none is
// taken silently as an empty list: a file that loads without devices says
// so with an empty device list. The committed corpus holds files as
// Porchlight writes them (the lab's household after a scan and a claim,
// an empty one) and damaged ones: cut short, without the device list or
// under a damaged key, another format version, a device twice.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		devices, err := decode(data)
		if err != nil {
			return
		}
		var list struct {
			Devices []json.RawMessage `json:"devices"`
		}
		if len(devices) == 0 && (json.Unmarshal(data, &list) != nil || list.Devices == nil) {
			t.Fatalf("%q loads as an empty list without saying so", data)
		}
		saved, err := encode(devices)
		if err != nil {
			t.Fatalf("%q loads but cannot be saved: %v", data, err)
		}
		again, err := decode(saved)
		if err != nil {
			t.Fatalf("the saved file does not load: %v\n%s", err, saved)
		}
		if len(again) != len(devices) {
			t.Fatalf("%d devices load again, %d were saved", len(again), len(devices))
		}
		resaved, err := encode(again)
		if err != nil || !bytes.Equal(resaved, saved) {
			t.Fatalf("saved again differently (%v):\n%s\nthen\n%s", err, saved, resaved)
		}
	})
}
