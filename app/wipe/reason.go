package wipe

import "slices"

// Reason says, as a code and never as a sentence, why a device of a wipe is
// where it is: why the plan gives it manual steps or blocks it, what a step
// did, why it was not wiped. The desktop app, the command line and the HTML
// receipt render it in the person's language. Free text that comes from a
// device or an error travels beside it, as a Detail, and is never read back.
type Reason string

// Why the plan gives a device manual steps or blocks it (DevicePlan.Reason).
// A device whose check just before sending fails ends failed with the same
// reason.
const (
	// ReasonNotYours: the person has not marked the device as theirs.
	ReasonNotYours Reason = "not_yours"
	// ReasonNoAutoReset: Porchlight cannot factory-reset this kind of
	// device itself; the person follows the vendor's steps.
	ReasonNoAutoReset Reason = "no_auto_reset"
	// ReasonOtherDevice: something else answers where the device was, and
	// it was not found elsewhere.
	ReasonOtherDevice Reason = "other_device"
	// ReasonUnreachable: the device does not answer.
	ReasonUnreachable Reason = "unreachable"
	// ReasonCheckFailed: the device could not be checked (Detail says why).
	ReasonCheckFailed Reason = "check_failed"
	// ReasonKeyring: the keyring could not be read.
	ReasonKeyring Reason = "keyring"
	// ReasonNoPassword: the device asks for a password Porchlight does not hold.
	ReasonNoPassword Reason = "no_password"
	// ReasonPasswordRefused: the device does not accept the password
	// Porchlight holds.
	ReasonPasswordRefused Reason = "password_refused"
	// ReasonLoginFailed: the device did not answer a login.
	ReasonLoginFailed Reason = "login_failed"
)

// What a step of a wipe did or found (Event.Reason, Step.Reason and the
// journal's entries). A verified step has no reason: its Evidence says how
// the erase was confirmed.
const (
	// ReasonPlannedAutomatic: the device is part of the wipe, by an
	// automatic factory reset (planned).
	ReasonPlannedAutomatic Reason = "planned_automatic"
	// ReasonPlannedManual: the device is part of the wipe, by the vendor's
	// steps (planned).
	ReasonPlannedManual Reason = "planned_manual"
	// ReasonRechecking: the device is checked again before the reset is
	// sent (progress only).
	ReasonRechecking Reason = "rechecking"
	// ReasonSending: the factory reset is sent (sent).
	ReasonSending Reason = "sending"
	// ReasonResending: checked after an interruption, the device still
	// takes the password Porchlight holds, so it was not reset, and the
	// reset is sent again (sent).
	ReasonResending Reason = "resending"
	// ReasonAccepted: the device accepted the reset (acknowledged).
	ReasonAccepted Reason = "accepted"
	// ReasonRefused: the device refused the reset; nothing was erased
	// (failed; Detail says how it refused).
	ReasonRefused Reason = "refused"
	// ReasonPasswordChanged: the device's password changed since the plan
	// was made; nothing was sent (failed).
	ReasonPasswordChanged Reason = "password_changed"
	// ReasonNoAnswer: no answer to the reset; the device is checked
	// (unknown; Detail holds the error).
	ReasonNoAnswer Reason = "no_answer"
	// ReasonWaitingForRestart: waiting for the device to show its reset
	// (progress only).
	ReasonWaitingForRestart Reason = "waiting_for_restart"
	// ReasonNotConfirmed: the device did not confirm the reset in time; it
	// is checked again when the wipe resumes (unknown; Detail holds why).
	ReasonNotConfirmed Reason = "not_confirmed"
	// ReasonCheckingReset: after an interruption, checking whether the
	// device was reset (progress only).
	ReasonCheckingReset Reason = "checking_reset"
	// ReasonCannotCheck: after an interruption, the device cannot be
	// checked; nothing was sent again (unconfirmed; Detail holds the error).
	ReasonCannotCheck Reason = "cannot_check"
	// ReasonAnswersAsBefore: after an interruption, a device that had no
	// password answers as before, so whether it was reset cannot be told;
	// nothing was sent again (unconfirmed).
	ReasonAnswersAsBefore Reason = "answers_as_before"
	// ReasonUnknownPassword: after an interruption, the device asks for a
	// password Porchlight does not hold, so whether it was reset cannot be
	// told; nothing was sent again (unconfirmed).
	ReasonUnknownPassword Reason = "unknown_password"
	// ReasonWaitingForYou: waiting for the person to follow the steps
	// (progress only).
	ReasonWaitingForYou Reason = "waiting_for_you"
	// ReasonNobodyToConfirm: the device needs the person's steps and nobody
	// was there to confirm them (skipped).
	ReasonNobodyToConfirm Reason = "nobody_to_confirm"
	// ReasonSkipped: the person skipped the device (skipped).
	ReasonSkipped Reason = "skipped"
	// ReasonLocalDataDeleted: Porchlight deleted its record of the device
	// and the keyring entries Event.Deleted names (local-data-deleted).
	ReasonLocalDataDeleted Reason = "local_data_deleted"
)

// What is still open for a device, on the receipt (DeviceReceipt.Reason).
const (
	// ReasonLocalDataPending: the erase was verified; Porchlight's own
	// data of the device is deleted when the wipe resumes.
	ReasonLocalDataPending Reason = "local_data_pending"
	// ReasonNotReached: the device's turn had not come when the wipe
	// stopped; it continues when the wipe resumes.
	ReasonNotReached Reason = "not_reached"
)

// reasons are every Reason, in the order above.
var reasons = []Reason{
	ReasonNotYours, ReasonNoAutoReset, ReasonOtherDevice, ReasonUnreachable, ReasonCheckFailed,
	ReasonKeyring, ReasonNoPassword, ReasonPasswordRefused, ReasonLoginFailed,
	ReasonPlannedAutomatic, ReasonPlannedManual, ReasonRechecking, ReasonSending, ReasonResending,
	ReasonAccepted, ReasonRefused, ReasonPasswordChanged, ReasonNoAnswer, ReasonWaitingForRestart,
	ReasonNotConfirmed, ReasonCheckingReset, ReasonCannotCheck, ReasonAnswersAsBefore,
	ReasonUnknownPassword, ReasonWaitingForYou, ReasonNobodyToConfirm, ReasonSkipped,
	ReasonLocalDataDeleted, ReasonLocalDataPending, ReasonNotReached,
}

// Reasons returns every Reason, for a renderer to cover them all.
func Reasons() []Reason { return slices.Clone(reasons) }

// Known reports whether r is one of Reasons.
func (r Reason) Known() bool { return slices.Contains(reasons, r) }

// Evidences returns every kind of Evidence, for a renderer to cover them all.
func Evidences() []Evidence {
	return []Evidence{CameBackUnconfigured, LeftTheNetwork, Restarted, PersonConfirmed}
}

// Limit is one thing a wipe cannot do, as a code; the receipt lists them
// all and the renderers say them in the person's language.
type Limit string

// The limits of a wipe.
const (
	// LimitCopiesElsewhere: a reset erases the device, not copies in the
	// vendor's cloud, in apps on phones, or in this computer's backups.
	LimitCopiesElsewhere Limit = "copies_elsewhere"
	// LimitCloudAccount: a reset does not delete a vendor cloud account.
	LimitCloudAccount Limit = "cloud_account"
	// LimitObservation: "left the network" and "restarted" are what
	// Porchlight observes, not proof of the erase.
	LimitObservation Limit = "observation"
	// LimitJournal: the journal keeps the devices' IDs until all of
	// Porchlight's data is deleted, and deleted files may stay readable.
	LimitJournal Limit = "journal"
)

// Limits returns what a wipe cannot do, in the order a receipt lists them.
func Limits() []Limit {
	return []Limit{LimitCopiesElsewhere, LimitCloudAccount, LimitObservation, LimitJournal}
}
