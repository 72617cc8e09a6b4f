package ui

import (
	"context"
	"io"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/setup"
)

// Household is what the screens need from Porchlight's core, put together
// from what each screen declares it uses (deviceHousehold in device.go, and
// so on). *app.Core is the real one (on the network, or the demo household
// in the process); tests use fakes that embed it and change what they test.
type Household interface {
	deviceHousehold
	// Scan finds devices, reporting each as it answers, and remembers them.
	Scan(ctx context.Context, opts app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error)
	// Watch reports new devices until ctx ends.
	Watch(ctx context.Context, onNew func(app.Device)) error
	Password(ctx context.Context, id string) (string, error)
	KeyringStatus(ctx context.Context) app.KeyringStatus
	WriteReport(w io.Writer, c app.Checkup, format string) error
	Setup() (setup.State, error)
	SaveSetup(setup.State) error
	DeleteAllData(ctx context.Context) ([]string, error)
	PlanWipe(ctx context.Context, ids []string) (*app.WipePlan, error)
	ExecuteWipe(ctx context.Context, p *app.WipePlan, c app.WipeConfirmation, o app.WipeOptions) (*app.WipeReceipt, error)
	UnfinishedWipe() (*app.UnfinishedWipe, error)
	// UnfinishedActions and FinishAction: interrupted updates and resets.
	UnfinishedActions() (app.UnfinishedActions, error)
	FinishAction(ctx context.Context, a app.InterruptedAction, opts app.UpdateOptions) (app.FinishedAction, error)
	ResumeWipe(ctx context.Context, o app.WipeOptions) (*app.WipeReceipt, error)
	DataDir() string
	Demo() bool
	// SetLang sets the language of the core's results.
	SetLang(lang string)
}

var _ Household = (*app.Core)(nil)
