// Package assets holds what Porchlight ships beside its code: the
// translations of every user-visible string (English and German) and the
// application icon.
package assets

import (
	"embed"
	_ "embed" // for the icon
)

// Translations holds translations/<language>.json for Fyne's lang package.
//
//go:embed translations/*.json
var Translations embed.FS

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte

// Tray icons: TrayOK when all is well, TrayAttention when something needs
// attention (PNG, 64 px, from tray-ok.svg and tray-attention.svg).
var (
	//go:embed tray-ok.png
	TrayOK []byte
	//go:embed tray-attention.png
	TrayAttention []byte
)
