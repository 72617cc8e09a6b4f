package wled

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// TestCheckedBoxes reads the ticked checkboxes of the security page's
// settings script as WLED writes it, never the factory reset.
func TestCheckedBoxes(t *testing.T) {
	js := `function GetV(){var d=document;d.Sf.PIN.value="0000";d.Sf.NO.checked=0;d.Sf.OW.checked=1;` +
		`d.Sf.AO.checked=1;d.Sf.SU.checked=0;d.Sf.RS.checked=1;gId("sip").innerHTML="WLED 0.14.4";sd="WLED";}`
	if got := checkedBoxes(js); !slices.Equal(got, []string{"OW", "AO"}) {
		t.Errorf("boxes %v", got)
	}
	if got := checkedBoxes("alert('PIN incorrect.');"); len(got) != 0 {
		t.Errorf("boxes %v", got)
	}
}

// TestCheckPIN takes four digits, not the "0000" placeholder.
func TestCheckPIN(t *testing.T) {
	rules := Driver{}.PasswordRules()
	for pin, ok := range map[string]bool{"4821": true, "0001": true, "0000": false, "123": false, "12345": false, "12a4": false, "": false} {
		err := checkPIN(rules, pin)
		if (err == nil) != ok || (err != nil && !errors.Is(err, driver.ErrPasswordRules)) {
			t.Errorf("%q: %v", pin, err)
		}
	}
}

// TestSettingsError tells WLED's cooldown from a wrong PIN; neither error
// quotes the PIN.
func TestSettingsError(t *testing.T) {
	c := exchange.New(driver.Target{}, "4821")
	for _, tc := range []struct {
		status int
		body   string
		want   error
	}{
		{200, "<html>Security settings saved.</html>", nil},
		{401, "<html><h2>Access Denied</h2>Please unlock OTA in security settings!</html>", driver.ErrRateLimited},
		{401, "<html><h2>PIN rejected</h2></html>", driver.ErrAuth},
		{404, "", driver.ErrRefused},
	} {
		err := settingsError(c, &devhttp.Response{Asked: "POST http://127.0.0.1:80/settings/sec", Status: tc.status, Body: []byte(tc.body)}, "refused")
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%d %s: %v, want %v", tc.status, tc.body, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "4821") {
			t.Errorf("the error shows the PIN: %v", err)
		}
	}
}

// TestNoPullUpdate: WLED cannot fetch an update itself.
func TestNoPullUpdate(t *testing.T) {
	if err := (Driver{}).StartUpdate(context.Background(), driver.Target{}, nil); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("StartUpdate: %v", err)
	}
	if (Driver{}).Capabilities().Update {
		t.Error("claims updates")
	}
}
