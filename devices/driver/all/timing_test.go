package all

// The drivers' waiting: reboots after an update or a reset, WLED's cooldown
// after a PIN change. Each test runs in a synctest bubble (inHome) with the
// devices' own timing, so how long a device takes is the vendor's figure on
// the fake clock, however busy the machine is.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/hue"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestHouseholdSetPassword sets a password, then another: each time only the
// latest is accepted.
func TestHouseholdSetPassword(t *testing.T) {
	ctx := context.Background()
	for _, f := range passwordFamilies {
		t.Run(f, func(t *testing.T) {
			inHome(t, func(t *testing.T, h *household) {
				dev, d, tg := device(t, h, f)
				s := secretsFor(f)
				if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
					t.Fatalf("first password: %v", err)
				}
				if !dev.AuthEnabled() {
					t.Error("the device does not ask for a password")
				}
				if err := login(ctx, d, tg, creds(s.first)); err != nil {
					t.Errorf("login with the new password: %v", err)
				}
				for label, c := range map[string]*driver.Credentials{"a wrong password": creds(s.wrong), "no password": nil} {
					if err := login(ctx, d, tg, c); !errors.Is(err, driver.ErrAuth) {
						t.Errorf("login with %s: %v, want ErrAuth", label, err)
					}
				}
				if err := setPassword(ctx, d, tg, creds(s.first), s.second); err != nil {
					t.Fatalf("second password: %v", err)
				}
				if err := login(ctx, d, tg, creds(s.second)); err != nil {
					t.Errorf("login with the second password: %v", err)
				}
				if err := login(ctx, d, tg, creds(s.first)); !errors.Is(err, driver.ErrAuth) {
					t.Errorf("login with the old password: %v, want ErrAuth", err)
				}
			})
		})
	}
}

// TestHouseholdWrongCurrentPassword: a password change with the wrong current
// password is refused and leaves the device as it was.
func TestHouseholdWrongCurrentPassword(t *testing.T) {
	ctx := context.Background()
	for _, f := range passwordFamilies {
		t.Run(f, func(t *testing.T) {
			inHome(t, func(t *testing.T, h *household) {
				_, d, tg := device(t, h, f)
				s := secretsFor(f)
				if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
					t.Fatalf("first password: %v", err)
				}
				for label, current := range map[string]*driver.Credentials{"a wrong password": creds(s.wrong), "no password": nil} {
					if err := setPassword(ctx, d, tg, current, s.second); !errors.Is(err, driver.ErrAuth) {
						t.Errorf("change with %s as the current one: %v, want ErrAuth", label, err)
					}
				}
				if err := login(ctx, d, tg, creds(s.first)); err != nil {
					t.Errorf("the first password no longer works: %v", err)
				}
				if err := login(ctx, d, tg, creds(s.second)); !errors.Is(err, driver.ErrAuth) {
					t.Errorf("the refused password works: %v", err)
				}
			})
		})
	}
}

// TestHouseholdStartUpdate installs the update and waits for the device to come
// back with another version.
func TestHouseholdStartUpdate(t *testing.T) {
	ctx := context.Background()
	for _, f := range []string{"shelly-gen1", "shelly-gen2", "tasmota"} {
		t.Run(f, func(t *testing.T) {
			inHome(t, func(t *testing.T, h *household) {
				dev, d, tg := device(t, h, f)
				before, err := d.CheckUpdate(ctx, tg, nil)
				if err != nil {
					t.Fatal(err)
				}
				if err := d.StartUpdate(ctx, tg, nil); err != nil {
					t.Fatal(err)
				}
				var after driver.UpdateInfo
				deadline := time.Now().Add(settle)
				for after.Current == "" || after.Current == before.Current || after.InProgress {
					if time.Now().After(deadline) {
						t.Fatalf("still %+v after %s (was %+v)", after, settle, before)
					}
					time.Sleep(poll)
					if info, err := d.CheckUpdate(ctx, tg, nil); err == nil {
						after = info
					}
				}
				if before.Available != "" && after.Current != before.Available {
					t.Errorf("updated to %q, %q was on offer", after.Current, before.Available)
				}
				if !strings.Contains(after.Current, dev.CurrentFirmware()) {
					t.Errorf("reports %q, the device runs %q", after.Current, dev.CurrentFirmware())
				}
			})
		})
	}
	inHome(t, func(t *testing.T, h *household) {
		_, d, tg := device(t, h, "wled")
		if err := d.StartUpdate(ctx, tg, nil); !errors.Is(err, driver.ErrUnsupported) {
			t.Errorf("wled: %v, want ErrUnsupported", err)
		}
	})
}

// TestHouseholdFactoryReset: after a reset the device comes back without a
// password, or leaves the network.
func TestHouseholdFactoryReset(t *testing.T) {
	ctx := context.Background()
	for _, f := range passwordFamilies {
		t.Run(f, func(t *testing.T) {
			inHome(t, func(t *testing.T, h *household) {
				_, d, tg := device(t, h, f)
				s := secretsFor(f)
				if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
					t.Fatalf("password: %v", err)
				}
				if err := settled(func() error { return d.FactoryReset(ctx, tg, creds(s.wrong)) }); !errors.Is(err, driver.ErrAuth) {
					t.Errorf("reset with a wrong password: %v, want ErrAuth", err)
				}
				if err := settled(func() error { return d.FactoryReset(ctx, tg, creds(s.first)) }); err != nil {
					t.Fatalf("reset: %v", err)
				}
				var err error
				deadline := time.Now().Add(settle)
				for err = d.Login(ctx, tg, nil); err != nil && time.Now().Before(deadline); err = d.Login(ctx, tg, nil) {
					time.Sleep(poll)
				}
				switch {
				case err == nil:
					// Back, unconfigured.
				case errors.Is(err, driver.ErrUnreachable):
					t.Logf("the device left the network after its reset")
				default:
					t.Errorf("after the reset: %v", err)
				}
			})
		})
	}
}

// TestHouseholdErrorsNeverShowPasswords: refusals of a wrong password (which
// Tasmota and Shelly Gen1 carry in the URL) never quote it.
func TestHouseholdErrorsNeverShowPasswords(t *testing.T) {
	inHome(t, func(t *testing.T, h *household) {
		ctx := context.Background()
		for _, f := range passwordFamilies {
			_, d, tg := device(t, h, f)
			s := secretsFor(f)
			if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			errs := []error{
				login(ctx, d, tg, creds(s.wrong)),
				setPassword(ctx, d, tg, creds(s.wrong), s.second),
			}
			if f != "wled" { // WLED's version is readable without the PIN
				errs = append(errs, settled(func() error { _, err := d.CheckUpdate(ctx, tg, creds(s.wrong)); return err }))
			}
			for _, err := range errs {
				if err == nil {
					t.Errorf("%s: a wrong password was accepted", f)
					continue
				}
				for _, pw := range []string{s.first, s.second, s.wrong} {
					if strings.Contains(err.Error(), pw) {
						t.Errorf("%s: the error shows a password: %v", f, err)
					}
				}
			}
		}
	})
}

// TestHouseholdHuePaired pairs after the link button is pressed, then reads and
// installs the bridge's update with the app key.
func TestHouseholdHuePaired(t *testing.T) {
	inHome(t, func(t *testing.T, h *household) {
		ctx := context.Background()
		dev, d, tg := device(t, h, "hue-bridge")
		dev.PressLinkButton()
		key, err := hue.Pair(ctx, tg, "lab test")
		if err != nil {
			t.Fatal(err)
		}
		paired := creds(key)
		if err := login(ctx, d, tg, paired); err != nil {
			t.Errorf("login with the app key: %v", err)
		}
		before, err := d.CheckUpdate(ctx, tg, paired)
		if err != nil {
			t.Fatal(err)
		}
		if before.Current != dev.Firmware || before.Available != hue.ReadyToInstall {
			t.Errorf("check: %+v, the bridge runs %q and has an update", before, dev.Firmware)
		}
		if err := d.StartUpdate(ctx, tg, paired); err != nil {
			t.Fatal(err)
		}
		var after driver.UpdateInfo
		deadline := time.Now().Add(settle)
		for after.Current == "" || after.Current == before.Current || after.InProgress {
			if time.Now().After(deadline) {
				t.Fatalf("still %+v after %s", after, settle)
			}
			time.Sleep(poll)
			if info, err := d.CheckUpdate(ctx, tg, paired); err == nil {
				after = info
			}
		}
		if after.Current != dev.CurrentFirmware() || after.Available != "" {
			t.Errorf("after the update: %+v, the bridge runs %q", after, dev.CurrentFirmware())
		}
	})
}

// TestHouseholdWLEDKeepsSecuritySettings: setting the PIN leaves the security
// page's other settings as they were.
func TestHouseholdWLEDKeepsSecuritySettings(t *testing.T) {
	inHome(t, func(t *testing.T, h *household) {
		ctx := context.Background()
		_, d, tg := device(t, h, "wled")
		before := wledSecurityBoxes(t, tg, "")
		if err := setPassword(ctx, d, tg, nil, secretsFor("wled").first); err != nil {
			t.Fatal(err)
		}
		if after := wledSecurityBoxes(t, tg, secretsFor("wled").first); !slices.Equal(after, before) {
			t.Errorf("ticked before: %v, after: %v", before, after)
		}
		t.Logf("kept: %v", before)
	})
}

// TestHouseholdWLEDFactoryPassphrase: the desk lamp's update lock takes WLED's
// factory passphrase, a wrong one is refused, a lamp without the lock has
// nothing to try, and every try leaves the security settings as they were.
// A settings PIN in the way is opened with the PIN Porchlight holds.
func TestHouseholdWLEDFactoryPassphrase(t *testing.T) {
	inHome(t, func(t *testing.T, h *household) {
		ctx := context.Background()
		_, d, desk := namedDevice(t, h, "Schreibtisch Lampe")
		ft := d.(driver.FactoryTester)
		if !ft.CanTryFactory("ota") || ft.CanTryFactory("wifi-ap") {
			t.Fatal("WLED: only the update lock's passphrase can be tried")
		}
		before := wledSecurityBoxes(t, desk, "")
		if !slices.Contains(before, "NO") {
			t.Fatalf("the desk lamp's update lock is off: %v", before)
		}
		for _, tc := range []struct {
			pw   string
			want driver.FactoryOutcome
		}{
			{sim.WLEDDefaultOTAPassword, driver.FactoryAccepted},
			{"not-the-passphrase", driver.FactoryRefused},
			{sim.WLEDDefaultOTAPassword, driver.FactoryAccepted}, // still the factory one
		} {
			got, err := tryFactory(ctx, d, desk, tc.pw, nil)
			if err != nil || got != tc.want {
				t.Fatalf("%s: %q %v, want %q", tc.pw, got, err, tc.want)
			}
			if after := wledSecurityBoxes(t, desk, ""); !slices.Equal(after, before) {
				t.Fatalf("%s: ticked before %v, after %v", tc.pw, before, after)
			}
		}

		_, _, other := device(t, h, "wled")
		if other.Addr == desk.Addr {
			t.Fatal("the first WLED is the desk lamp")
		}
		otherBefore := wledSecurityBoxes(t, other, "")
		if got, err := tryFactory(ctx, d, other, sim.WLEDDefaultOTAPassword, nil); err != nil || got != driver.FactoryNotInUse {
			t.Errorf("lamp without the lock: %q %v", got, err)
		}
		if after := wledSecurityBoxes(t, other, ""); !slices.Equal(after, otherBefore) {
			t.Errorf("lamp without the lock: ticked before %v, after %v", otherBefore, after)
		}

		pin := secretsFor("wled").first
		if err := setPassword(ctx, d, desk, nil, pin); err != nil {
			t.Fatal(err)
		}
		if _, err := tryFactory(ctx, d, desk, sim.WLEDDefaultOTAPassword, nil); !errors.Is(err, driver.ErrAuth) {
			t.Errorf("behind a PIN Porchlight does not hold: %v", err)
		}
		got, err := tryFactory(ctx, d, desk, sim.WLEDDefaultOTAPassword, creds(pin))
		if err != nil || got != driver.FactoryAccepted {
			t.Fatalf("behind the PIN: %q %v", got, err)
		}
		if after := wledSecurityBoxes(t, desk, pin); !slices.Equal(after, before) {
			t.Errorf("behind the PIN: ticked before %v, after %v", before, after)
		}
		if err := login(ctx, d, desk, nil); !errors.Is(err, driver.ErrAuth) {
			t.Errorf("the settings were left unlocked: %v", err)
		}
	})
}
