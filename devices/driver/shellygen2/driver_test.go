package shellygen2

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/httpdigest"
)

// TestFrames are the request frame and Shelly.SetAuth parameters the
// documentation shows; only ha1 (not the password) is sent.
func TestFrames(t *testing.T) {
	b, err := json.Marshal(request{ID: 7, Src: source, Method: "Shelly.GetConfig"})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"id":7,"src":"porchlight","method":"Shelly.GetConfig"}` {
		t.Errorf("frame %s", b)
	}
	const realm, password = "shellyplusplugs-a8032ab12345", "s3cret-Pa55"
	p := setAuthParams{User: Username, Realm: realm, HA1: httpdigest.HA1(Username, realm, password)}
	b, err = json.Marshal(request{ID: 1, Src: source, Method: "Shelly.SetAuth", Params: p})
	if err != nil {
		t.Fatal(err)
	}
	// ha1 computed independently: printf 'admin:<realm>:<password>' | sha256sum
	want := `{"id":1,"src":"porchlight","method":"Shelly.SetAuth","params":{"user":"admin","realm":"shellyplusplugs-a8032ab12345","ha1":"89c8d11e19e6643764fb88f3120a888eefbaf42993f08742cf13fff119acaf7e"}}`
	if string(b) != want {
		t.Errorf("frame %s\nwant  %s", b, want)
	}
}

// TestResponseFrames decodes results and errors, tolerating extra fields.
func TestResponseFrames(t *testing.T) {
	var r response
	if err := json.Unmarshal([]byte(`{"id":1,"src":"shellyplus1-x","dst":"porchlight","result":{"stable":{"version":"1.6.2","build_id":"b"}}}`), &r); err != nil {
		t.Fatal(err)
	}
	var u updates
	if err := json.Unmarshal(r.Result, &u); err != nil || u.Stable.Version != "1.6.2" || r.Error != nil {
		t.Errorf("result %+v, %v", u, err)
	}
	if err := json.Unmarshal([]byte(`{"id":2,"error":{"code":-103,"message":"Missing required 'id'"}}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.Error == nil || r.Error.Code != -103 {
		t.Errorf("error %+v", r.Error)
	}
}

// TestSetPasswordChecksFirst refuses what the device cannot take before
// contacting it (the zero target has no address).
func TestSetPasswordChecksFirst(t *testing.T) {
	for _, next := range []driver.Credentials{
		{Password: ""},
		{Password: "with space"},
		{Username: "bob", Password: "fine"},
	} {
		if err := (Driver{}).SetPassword(context.Background(), driver.Target{}, nil, next); !errors.Is(err, driver.ErrPasswordRules) {
			t.Errorf("%q: %v", next.Username, err)
		}
	}
}
