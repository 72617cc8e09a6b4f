#!/usr/bin/env bash
# check-install.sh BINARY: stages the Linux tree around BINARY (stage.sh),
# installs it with `make install PREFIX=/usr DESTDIR=…` as a distribution
# package would, and validates what landed there: desktop-file-validate on the
# desktop entry (errors, warnings and hints fail), appstreamcli validate on
# the metainfo and validate-tree on the whole tree, each hicolor PNG's size;
# then `make uninstall` with the same variables must leave no file behind.
# Run by make package-check (packaging/check.sh).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
app_id=io.github.porchlight.Porchlight
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/porchlight dest=$work/dest
"$here/stage.sh" "$1" "$tree"
make -s -C "$tree" install PREFIX=/usr DESTDIR="$dest" >/dev/null
usr=$dest/usr
fail=0

out=$(desktop-file-validate "$usr/share/applications/$app_id.desktop" 2>&1) || fail=1
[ -z "$out" ] || { echo "$out"; fail=1; }
appstreamcli validate --no-net --explain "$usr/share/metainfo/$app_id.metainfo.xml" >"$work/as.txt" 2>&1 ||
	{ cat "$work/as.txt"; fail=1; }
appstreamcli validate-tree --no-net "$dest" >"$work/tree.txt" 2>&1 || { cat "$work/tree.txt"; fail=1; }
python3 - "$usr/share/icons/hicolor" "$app_id" <<'PY' || fail=1
import os, struct, sys
root, app_id = sys.argv[1], sys.argv[2]
bad = 0
for d in sorted(os.listdir(root)):
    if d == "scalable":
        continue
    want = int(d.split("x")[0])
    with open(os.path.join(root, d, "apps", app_id + ".png"), "rb") as f:
        head = f.read(24)
    w, h = struct.unpack(">II", head[16:24])
    if head[:8] != b"\x89PNG\r\n\x1a\n" or (w, h) != (want, want):
        print(f"{d}/apps/{app_id}.png is {w}x{h}, not {want}x{want}")
        bad = 1
sys.exit(bad)
PY
[ -x "$usr/bin/porchlight" ] || { echo "usr/bin/porchlight is not executable"; fail=1; }
[ -s "$usr/share/doc/porchlight/LICENSE" ] || { echo "usr/share/doc/porchlight/LICENSE is missing"; fail=1; }
installed=$(cd "$dest" && find . -type f | sort)

make -s -C "$tree" uninstall PREFIX=/usr DESTDIR="$dest" >/dev/null
left=$(cd "$dest" && find . -type f)
[ -z "$left" ] || { echo "make uninstall left: $left"; fail=1; }

[ $fail -eq 0 ] || exit 1
echo "ok   make install PREFIX=/usr DESTDIR=…: desktop-file-validate, appstreamcli validate and validate-tree pass; installed:"
sed 's|^\./|       |' <<<"$installed"
echo "ok   make uninstall removed all $(wc -l <<<"$installed") files"
