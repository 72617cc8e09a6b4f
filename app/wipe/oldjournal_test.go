package wipe

import (
	"reflect"
	"testing"

	"github.com/porchlight/porchlight/app/journal"
)

// TestFromOldJournal: every sentence the version before typed reasons wrote
// into a wipe's journal reads back as its reason, method or evidence, with
// the error's text it carried as the detail; entries with typed fields, of
// other kinds, or with a sentence nobody wrote are left as they are.
func TestFromOldJournal(t *testing.T) {
	const cause = "fake: dial tcp 192.0.2.7:80: connection refused"
	tests := []struct {
		state, detail string
		want          journal.Entry
	}{
		{"planned", "automatic factory reset", journal.Entry{Reason: "planned_automatic", Method: "automatic"}},
		{"planned", "manual steps", journal.Entry{Reason: "planned_manual", Method: "manual"}},
		{"sent", "sending the factory reset", journal.Entry{Reason: "sending"}},
		{"sent", "checked again: the device was not reset (it still takes the password Porchlight holds); sending the reset again", journal.Entry{Reason: "resending"}},
		{"acknowledged", "the device accepted the reset", journal.Entry{Reason: "accepted"}},
		{"unknown", "no answer to the reset (" + cause + "); checking the device", journal.Entry{Reason: "no_answer", Detail: cause}},
		{"unknown", "the device did not confirm the reset (waited 5m0s and did not see it restart); it is checked again when the wipe resumes", journal.Entry{Reason: "not_confirmed", Detail: "waited 5m0s and did not see it restart"}},
		{"verified", "the device came back unconfigured", journal.Entry{Evidence: "came_back_unconfigured"}},
		{"verified", "the device left the network", journal.Entry{Evidence: "left_the_network"}},
		{"verified", "the device restarted after the reset", journal.Entry{Evidence: "restarted"}},
		{"verified", "you confirmed that you followed the steps", journal.Entry{Evidence: "person_confirmed"}},
		{"local-data-deleted", "deleted Porchlight's record of the device", journal.Entry{Reason: "local_data_deleted"}},
		{"local-data-deleted", "deleted the keyring entry plug/admin and Porchlight's record of the device", journal.Entry{Reason: "local_data_deleted"}},
		{"local-data-deleted", "deleted the keyring entries plug/admin, plug/user and Porchlight's record of the device", journal.Entry{Reason: "local_data_deleted"}},
		{"failed", "the device refused the reset, so nothing was erased: fake: the device refused", journal.Entry{Reason: "refused", Detail: "fake: the device refused"}},
		{"failed", "nothing was sent: the device's password changed since the plan was made; plan the wipe again", journal.Entry{Reason: "password_changed"}},
		{"failed", "nothing was sent: Porchlight can no longer reset it itself", journal.Entry{Reason: "no_auto_reset"}},
		{"failed", "nothing was sent: Something else answers where it was, and it was not found elsewhere, so Porchlight sends it nothing.", journal.Entry{Reason: "other_device"}},
		{"failed", "nothing was sent: It could not be reached: is it switched on and connected?", journal.Entry{Reason: "unreachable"}},
		{"failed", "nothing was sent: It could not be checked: " + cause, journal.Entry{Reason: "check_failed", Detail: cause}},
		{"failed", "nothing was sent: The keyring could not be read: the keyring is locked", journal.Entry{Reason: "keyring", Detail: "the keyring is locked"}},
		{"failed", "nothing was sent: It asks for a password Porchlight does not hold, so Porchlight cannot send it the reset: follow the steps.", journal.Entry{Reason: "no_password"}},
		{"failed", "nothing was sent: It does not accept the password Porchlight holds (fake: unauthorised), so Porchlight cannot send it the reset.", journal.Entry{Reason: "password_refused", Detail: "fake: unauthorised"}},
		{"failed", "nothing was sent: It did not answer a login: " + cause, journal.Entry{Reason: "login_failed", Detail: cause}},
		{"unconfirmed", "Porchlight cannot check the device (" + cause + "); nothing was sent again", journal.Entry{Reason: "cannot_check", Detail: cause}},
		{"unconfirmed", "the device could not be checked (" + cause + "); nothing was sent again", journal.Entry{Reason: "cannot_check", Detail: cause}},
		{"unconfirmed", "the device had no password and answers as before, so Porchlight cannot tell whether it was reset; nothing was sent again. Wipe it again to send the reset again", journal.Entry{Reason: "answers_as_before"}},
		{"unconfirmed", "the device asks for a password Porchlight does not hold, so Porchlight cannot tell whether it was reset; nothing was sent again", journal.Entry{Reason: "unknown_password"}},
		{"skipped", "it needs you to follow the steps, and nobody was there to confirm them", journal.Entry{Reason: "nobody_to_confirm"}},
		{"skipped", "you skipped this device", journal.Entry{Reason: "skipped"}},
		// Not written by the old version: kept whole as the detail.
		{"failed", "a sentence nobody wrote", journal.Entry{Detail: "a sentence nobody wrote"}},
		{"planned", "manual steps, and more", journal.Entry{Detail: "manual steps, and more"}},
		{"verified", "the device came back", journal.Entry{Detail: "the device came back"}},
	}
	for _, tt := range tests {
		t.Run(tt.state+"/"+tt.detail, func(t *testing.T) {
			old := journal.Entry{Action: "wipe-1", Kind: Kind, Device: "plug", State: tt.state, Detail: tt.detail}
			want := tt.want
			want.Action, want.Kind, want.Device, want.State = old.Action, old.Kind, old.Device, old.State
			if got := fromOldJournal(old); !reflect.DeepEqual(got, want) {
				t.Errorf("read as %+v, want %+v", got, want)
			}
			if tt.want.Reason != "" && !Reason(tt.want.Reason).Known() {
				t.Errorf("%q is not a reason", tt.want.Reason)
			}
		})
	}
	for _, e := range []journal.Entry{
		{Action: "wipe-1", Kind: Kind, Device: "plug", State: "failed", Reason: "refused", Detail: "nothing was sent: the device's password changed since the plan was made; plan the wipe again"},
		{Action: "wipe-1", Kind: Kind, Device: "plug", State: "verified", Evidence: "restarted", Detail: "the device left the network"},
		{Action: "reset-1", Kind: "reset", Device: "plug", State: "verified", Detail: "the device came back unconfigured"},
	} {
		if got := fromOldJournal(e); !reflect.DeepEqual(got, e) {
			t.Errorf("%+v read as %+v", e, got)
		}
	}
}

// TestFromOldPlan: the sentences of an old plan file become reasons; a
// reason that is already a code stays.
func TestFromOldPlan(t *testing.T) {
	p := &Plan{Devices: []DevicePlan{
		{ID: "a", Method: Manual, Reason: "Porchlight cannot factory-reset a Sonos speaker itself: follow the steps."},
		{ID: "b", Method: Blocked, Reason: "It is not marked as yours: Porchlight wipes only devices you claimed ('porchlight claim DEVICE')."},
		{ID: "c", Method: Blocked, Reason: "It did not answer a login: fake: timeout"},
		{ID: "d", Method: Blocked, Reason: ReasonUnreachable, Detail: "fake: not found"},
		{ID: "e", Method: Automatic},
	}}
	fromOldPlan(p)
	want := []struct {
		reason Reason
		detail string
	}{{ReasonNoAutoReset, ""}, {ReasonNotYours, ""}, {ReasonLoginFailed, "fake: timeout"}, {ReasonUnreachable, "fake: not found"}, {"", ""}}
	for i, d := range p.Devices {
		if d.Reason != want[i].reason || d.Detail != want[i].detail {
			t.Errorf("%s: %q (%q), want %q (%q)", d.ID, d.Reason, d.Detail, want[i].reason, want[i].detail)
		}
	}
}
