package ui

import (
	"context"
	"io"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/setup"
)

// Household is what the screens need from Porchlight's core. *app.Core
// is the real one (on the network, or the demo household in the process).
type Household interface {
	Scan(ctx context.Context, opts app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error)
	// Watch reports new devices until ctx ends.
	Watch(ctx context.Context, onNew func(app.Device)) error
	Devices() []app.Device
	Record(id string) (app.Record, bool)
	Claim(ctx context.Context, ids []string, name, room string) error
	Check(ctx context.Context, devices []app.Device, opts app.CheckOptions) (app.Checkup, error)
	Capabilities(id string) app.Capabilities
	SetPassword(ctx context.Context, id, next string) error
	Pair(ctx context.Context, id string) error
	Password(ctx context.Context, id string) (string, error)
	// KeepsPassword reports whether a password is kept (no keyring read).
	KeepsPassword(id string) bool
	CheckUpdate(ctx context.Context, id string) (app.UpdateInfo, error)
	ApplyUpdate(ctx context.Context, id string, opts app.UpdateOptions) (app.UpdateResult, error)
	Reset(ctx context.Context, id string, confirmed bool, opts app.UpdateOptions) (string, error)
	// FactoryPasswords lists the interfaces whose factory password can be
	// tried on the device; TryFactoryPasswords tries them (the person asked).
	FactoryPasswords(id string) []string
	TryFactoryPasswords(ctx context.Context, id string, progress func(iface string)) (app.FactoryResult, error)
	Forget(ctx context.Context, ids []string, all bool) (app.Forgotten, error)
	KeyringStatus(ctx context.Context) app.KeyringStatus
	AdminURL(id string) string
	// ClearText reports whether the device's passwords travel unencrypted.
	ClearText(id string) bool
	WriteReport(w io.Writer, c app.Checkup, format string) error
	Setup() (setup.State, error)
	SaveSetup(setup.State) error
	DeleteAllData(ctx context.Context) ([]string, error)
	PlanWipe(ctx context.Context, ids []string) (*app.WipePlan, error)
	ExecuteWipe(ctx context.Context, p *app.WipePlan, c app.WipeConfirmation, o app.WipeOptions) (*app.WipeReceipt, error)
	UnfinishedWipe() (*app.UnfinishedWipe, error)
	ResumeWipe(ctx context.Context, o app.WipeOptions) (*app.WipeReceipt, error)
	DataDir() string
	Demo() bool
	// SetLang sets the language of the core's results.
	SetLang(lang string)
}

var _ Household = (*app.Core)(nil)
