// Command screenshots renders every main screen of Porchlight, on the demo
// household, in light and dark and in English and German, into a folder
// (docs/screenshots by default): `make screenshots`.
package main

import (
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim/simnet"
	"github.com/porchlight/porchlight/ui"
)

func main() {
	out := flag.String("o", "docs/screenshots", "the folder to write the PNG files to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, language := range []string{"en", "de"} {
		for _, variant := range []string{"light", "dark"} {
			a := test.NewApp()
			a.Preferences().SetString("language", language)
			a.Preferences().SetString("theme", variant)
			n, err := simnet.Start(0)
			if err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "porchlight-screenshots-")
			if err != nil {
				return err
			}
			h, err := app.Open(app.Env{Dir: dir, Vault: &vault.Fake{}, Network: n, Temporary: true, OnClose: n.Close})
			if err != nil {
				return err
			}
			var failed error
			ui.Tour(a, h, func(name string, w fyne.Window) {
				path := filepath.Join(out, fmt.Sprintf("%s-%s-%s.png", name, language, variant))
				if err := save(path, w); err != nil && failed == nil {
					failed = err
				}
				fmt.Println(path)
			})
			h.Close()
			a.Quit()
			if failed != nil {
				return failed
			}
		}
	}
	return nil
}

func save(path string, w fyne.Window) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
