package factorypw

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/driver"
)

// fakeDriver answers TryFactory from a table and records every try.
type fakeDriver struct {
	driver.Driver
	can     []string
	answers map[string]driver.FactoryOutcome
	errs    map[string]error
	clock   *fakeClock
	tries   []try
}

type try struct {
	iface, password string
	at              time.Time
	held            *driver.Credentials
}

func (f *fakeDriver) CanTryFactory(iface string) bool { return slices.Contains(f.can, iface) }

func (f *fakeDriver) TryFactory(_ context.Context, _ driver.Target, iface, pw string, held *driver.Credentials) (driver.FactoryOutcome, error) {
	f.tries = append(f.tries, try{iface, pw, f.clock.now, held})
	f.clock.now = f.clock.now.Add(time.Second) // a try takes a while
	return f.answers[iface], f.errs[iface]
}

// fakeClock is a clock that moves only when slept on.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.now = c.now.Add(d)
	return nil
}

func cred(iface, pw string) catalog.Credential {
	if pw == "" {
		return catalog.Credential{Interface: iface, AuthOffByDefault: true}
	}
	return catalog.Credential{Interface: iface, Password: pw}
}

func TestTry(t *testing.T) {
	start := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		creds     []catalog.Credential
		can       []string
		answers   map[string]driver.FactoryOutcome
		errs      map[string]error
		notBefore time.Duration
		want      []Outcome
		reasons   []Reason
		sent      []string
	}{
		{
			name:    "WLED: only the update lock can be tried",
			creds:   []catalog.Credential{cred("wifi-ap", "wled1234"), cred("ota", "wledota"), cred("web", "")},
			can:     []string{"ota"},
			answers: map[string]driver.FactoryOutcome{"ota": driver.FactoryAccepted},
			want:    []Outcome{NotTried, Accepted, NotTried},
			reasons: []Reason{OwnNetwork, "", AuthOff},
			sent:    []string{"ota:wledota"},
		},
		{
			name:    "refused, then accepted, then stop",
			creds:   []catalog.Credential{cred("web", "admin"), cred("ota", "otapw"), cred("settings-pin", "1234")},
			can:     []string{"web", "ota", "settings-pin"},
			answers: map[string]driver.FactoryOutcome{"web": driver.FactoryRefused, "ota": driver.FactoryAccepted, "settings-pin": driver.FactoryAccepted},
			want:    []Outcome{Refused, Accepted, NotTried},
			reasons: []Reason{"", "", Stopped},
			sent:    []string{"web:admin", "ota:otapw"},
		},
		{
			name:    "lock off: nothing to try",
			creds:   []catalog.Credential{cred("ota", "wledota")},
			can:     []string{"ota"},
			answers: map[string]driver.FactoryOutcome{"ota": driver.FactoryNotInUse},
			want:    []Outcome{NotInUse},
			reasons: []Reason{""},
			sent:    []string{"ota:wledota"},
		},
		{
			name:    "no way to try",
			creds:   []catalog.Credential{cred("api", "secret")},
			want:    []Outcome{NotTried},
			reasons: []Reason{NoWay},
		},
		{
			name:    "a failure does not stop the next try",
			creds:   []catalog.Credential{cred("web", "admin"), cred("ota", "otapw")},
			can:     []string{"web", "ota"},
			answers: map[string]driver.FactoryOutcome{"ota": driver.FactoryRefused},
			errs:    map[string]error{"web": fmt.Errorf("%w: GET /login?pw=admin: timeout", driver.ErrUnreachable)},
			want:    []Outcome{Failed, Refused},
			reasons: []Reason{"", ""},
			sent:    []string{"web:admin", "ota:otapw"},
		},
		{
			name:      "waits for the previous run's spacing",
			creds:     []catalog.Credential{cred("ota", "wledota")},
			can:       []string{"ota"},
			answers:   map[string]driver.FactoryOutcome{"ota": driver.FactoryRefused},
			notBefore: 2 * time.Second,
			want:      []Outcome{Refused},
			reasons:   []Reason{""},
			sent:      []string{"ota:wledota"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{now: start}
			d := &fakeDriver{can: tc.can, answers: tc.answers, errs: tc.errs, clock: clock}
			held := &driver.Credentials{Password: "held"}
			var announced []string
			res := Try(context.Background(), Input{
				Family: catalog.Family{DefaultCredentials: tc.creds}, Driver: d, Held: held,
				NotBefore: start.Add(tc.notBefore), Now: clock.Now, Sleep: clock.Sleep,
			}, func(iface string) { announced = append(announced, iface) })

			var got []Outcome
			var reasons []Reason
			for _, a := range res.Attempts {
				got, reasons = append(got, a.Outcome), append(reasons, a.Reason)
				if a.Outcome == Failed && (a.Detail == "" || strings.Contains(a.Detail, "admin")) {
					t.Errorf("%s: detail %q (empty, or shows the password)", a.Interface, a.Detail)
				}
				if (a.At.IsZero()) != (a.Outcome == NotTried) {
					t.Errorf("%s: %s at %v", a.Interface, a.Outcome, a.At)
				}
			}
			if !slices.Equal(got, tc.want) || !slices.Equal(reasons, tc.reasons) {
				t.Errorf("outcomes %v %q, want %v %q", got, reasons, tc.want, tc.reasons)
			}
			var sent []string
			for i, tr := range d.tries {
				sent = append(sent, tr.iface+":"+tr.password)
				if tr.held != held {
					t.Errorf("try %d without the held password", i)
				}
				if tr.at.Before(start.Add(tc.notBefore)) {
					t.Errorf("try %d at %v, before %v", i, tr.at, start.Add(tc.notBefore))
				}
				if i > 0 {
					// Spacing counts from the end of the previous try.
					if gap := tr.at.Sub(d.tries[i-1].at); gap < Spacing+time.Second {
						t.Errorf("tries %d and %d only %v apart", i-1, i, gap)
					}
				}
			}
			if !slices.Equal(sent, tc.sent) {
				t.Errorf("sent %v, want %v", sent, tc.sent)
			}
			var wantAnnounced []string
			for _, s := range tc.sent {
				wantAnnounced = append(wantAnnounced, strings.SplitN(s, ":", 2)[0])
			}
			if !slices.Equal(announced, wantAnnounced) {
				t.Errorf("progress %v, want %v", announced, wantAnnounced)
			}
			_, accepted := res.Accepted()
			if accepted != slices.Contains(tc.want, Accepted) {
				t.Errorf("Accepted() = %v", accepted)
			}
			if res.Tried() != (len(tc.sent) > 0) {
				t.Errorf("Tried() = %v", res.Tried())
			}
		})
	}
}

// TestTryCancelled: a run cancelled while it waits sends nothing.
func TestTryCancelled(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	d := &fakeDriver{can: []string{"ota"}, clock: clock}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Try(ctx, Input{
		Family: catalog.Family{DefaultCredentials: []catalog.Credential{cred("ota", "wledota")}}, Driver: d,
		NotBefore: clock.now.Add(Spacing), Now: clock.Now, Sleep: clock.Sleep,
	}, nil)
	if len(d.tries) != 0 || res.Attempts[0].Outcome != Failed || res.Tried() {
		t.Errorf("tries %v, result %+v", d.tries, res)
	}
}

// TestTryWithoutTester: a driver that cannot try factory passwords (or
// none at all) sends nothing.
func TestTryWithoutTester(t *testing.T) {
	for _, d := range []driver.Driver{nil, struct{ driver.Driver }{}} {
		res := Try(context.Background(), Input{
			Family: catalog.Family{DefaultCredentials: []catalog.Credential{cred("ota", "wledota")}}, Driver: d,
		}, nil)
		if res.Attempts[0].Outcome != NotTried || res.Attempts[0].Reason != NoWay {
			t.Errorf("%T: %+v", d, res.Attempts)
		}
	}
}

// TestOutcome maps the driver's answers; an accepted password whose device
// could not be put back keeps the warning.
func TestOutcome(t *testing.T) {
	restore := errors.New("could not be switched on again")
	for _, tc := range []struct {
		out    driver.FactoryOutcome
		err    error
		want   Outcome
		detail string
	}{
		{driver.FactoryAccepted, nil, Accepted, ""},
		{driver.FactoryAccepted, restore, Accepted, restore.Error()},
		{driver.FactoryRefused, nil, Refused, ""},
		{driver.FactoryNotInUse, nil, NotInUse, ""},
		{"", driver.ErrUnreachable, Failed, driver.ErrUnreachable.Error()},
		{"", context.Canceled, Failed, "stopped before the device answered"},
		{"maybe", nil, Failed, "the device's answer could not be understood"},
	} {
		got, detail := outcome(tc.out, tc.err)
		if got != tc.want || detail != tc.detail {
			t.Errorf("%q %v: %q %q", tc.out, tc.err, got, detail)
		}
	}
}
