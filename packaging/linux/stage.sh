#!/usr/bin/env bash
# stage.sh BINARY DIR: lays out Porchlight's Linux install tree in DIR (the
# contents of the tarball, porchlight-VERSION/): the binary, the desktop
# entry, the AppStream metainfo, the icons of the hicolor theme (PNG at the
# standard sizes, rendered from assets/icon.svg, and the SVG itself), the
# licence, and packaging/linux/install.mk as DIR/Makefile (make install,
# make uninstall). Needs rsvg-convert (librsvg2-bin). See docs/packaging.md.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BINARY DIR" >&2; exit 2; }
bin=$1 dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
app_id=io.github.porchlight.Porchlight
sizes=$(sed -n 's/^ICON_SIZES := //p' "$root/packaging/linux/install.mk")
[ -n "$sizes" ] || { echo "stage.sh: no ICON_SIZES in install.mk" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/share/applications" "$dir/share/metainfo" "$dir/share/doc/porchlight" \
	"$dir/share/icons/hicolor/scalable/apps"
install -m755 "$bin" "$dir/bin/porchlight"
install -m644 "$root/packaging/linux/$app_id.desktop" "$dir/share/applications/"
install -m644 "$root/packaging/linux/$app_id.metainfo.xml" "$dir/share/metainfo/"
install -m644 "$root/assets/icon.svg" "$dir/share/icons/hicolor/scalable/apps/$app_id.svg"
for s in $sizes; do
	mkdir -p "$dir/share/icons/hicolor/${s}x$s/apps"
	rsvg-convert -w "$s" -h "$s" "$root/assets/icon.svg" -o "$dir/share/icons/hicolor/${s}x$s/apps/$app_id.png"
done
install -m644 "$root/LICENSE" "$dir/share/doc/porchlight/LICENSE"
install -m644 "$root/packaging/linux/install.mk" "$dir/Makefile"
