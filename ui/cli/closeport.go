package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app"
)

// closePortDocument is the JSON that close-port prints.
type closePortDocument struct {
	Schema int `json:"schema"`
	app.ClosedPort
}

// runClosePort removes one port mapping from the household's router, the
// one change Porchlight ever makes to a router, and only with --yes.
func runClosePort(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("close-port", out, errOut)
	fw := f.flagWords()
	yes := f.Bool("yes", false, fw.t("cli.flag.yes"))
	asJSON := f.JSON()
	dataDir := f.DataDir()
	if err := f.Parse(args, 1, 1); err != nil {
		return err
	}
	w := f.words
	p, proto, _ := strings.Cut(f.Arg(0), "/")
	port, err := strconv.Atoi(p)
	proto = strings.ToUpper(proto)
	if err != nil || port < 1 || port > 65535 || (proto != "TCP" && proto != "UDP") {
		return f.Usagef("cli.closeport.arg")
	}
	if !*yes {
		fmt.Fprintln(errOut, w.t("cli.closeport.confirm", "Port", port, "Protocol", proto))
		return ErrUsage
	}
	h, err := env.open(*dataDir, "", f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	res, err := h.ClosePort(ctx, port, proto, 3*time.Second)
	if *asJSON {
		if werr := writeJSON(out, closePortDocument{Schema: Schema, ClosedPort: res}); werr != nil {
			return werr
		}
		return err
	}
	if err == nil {
		fmt.Fprintln(out, w.t("cli.closeport.done", "Port", port, "Protocol", proto, "Client", res.Mapping.InternalClient, "Remaining", len(res.Remaining)))
	}
	return err
}
