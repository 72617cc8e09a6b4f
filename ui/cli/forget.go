package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/porchlight/porchlight/app"
)

// forgetDocument is the JSON that forget prints.
type forgetDocument struct {
	Schema int `json:"schema"`
	app.Forgotten
}

func runForget(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("forget", out, errOut)
	fw := f.flagWords()
	all := f.Bool("all", false, fw.t("cli.flag.forgetall"))
	yes := f.Bool("yes", false, fw.t("cli.flag.yes"))
	asJSON := f.JSON()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, -1); err != nil {
		return err
	}
	w := f.words
	if *all == (f.NArg() > 0) {
		return f.Usagef("cli.forget.which")
	}
	if !*yes {
		fmt.Fprintln(errOut, w.t("cli.forget.confirm"))
		return ErrUsage
	}
	h, err := env.open(*dataDir, "", f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	var ids []string
	if !*all {
		if ids, err = selectIDs(h, f.Args()); err != nil {
			return err
		}
	}
	res, err := h.Forget(ctx, ids, *all)
	if *asJSON {
		if werr := writeJSON(out, forgetDocument{Schema: Schema, Forgotten: res}); werr != nil {
			return werr
		}
		return err
	}
	fmt.Fprintln(out, w.t("cli.forget.done", "Count", len(res.Devices)))
	for _, a := range res.KeyringEntries {
		fmt.Fprintln(out, w.t("cli.forget.entry", "Entry", a))
	}
	if res.InventoryDeleted {
		fmt.Fprintln(out, w.t("cli.forget.list", "File", h.Inventory.Path()))
	}
	return err
}
