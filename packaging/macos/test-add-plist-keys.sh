#!/usr/bin/env bash
# Tests add-plist-keys.sh here, without a Mac: on the Info.plist that fyne
# writes (testdata/), as XML, as a binary plist and inside a fake .app, twice
# each (it must be idempotent), through the python3 fallback.
# check-service-types.sh checks the types themselves against the code.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=$here/add-plist-keys.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PLIST_TOOL=python

"$script" --print-types >"$work/parsed"

# the plist edits
cp "$here/testdata/Info.plist" "$work/xml.plist"
python3 -c 'import plistlib,sys; plistlib.dump(plistlib.load(open(sys.argv[1],"rb")), open(sys.argv[2],"wb"), fmt=plistlib.FMT_BINARY)' \
	"$here/testdata/Info.plist" "$work/binary.plist"
mkdir -p "$work/Porchlight.app/Contents/Resources"
cp "$here/testdata/Info.plist" "$work/Porchlight.app/Contents/Info.plist"

for target in "$work/xml.plist" "$work/binary.plist" "$work/Porchlight.app"; do
	"$script" "$target" >/dev/null
	plist=$target
	[ -d "$target" ] && plist=$target/Contents/Info.plist
	cp "$plist" "$work/first"
	"$script" "$target" >/dev/null
	cmp -s "$work/first" "$plist" || { echo "FAIL: a second run changed $plist" >&2; exit 1; }
	python3 - "$here/testdata/Info.plist" "$plist" "$work/parsed" <<'PY'
import plistlib, sys
orig_path, path, types_path = sys.argv[1:]
raw = open(path, "rb").read()
want_binary = path.endswith("binary.plist")
assert raw.startswith(b"bplist00") == want_binary, f"{path}: format changed"
orig = plistlib.load(open(orig_path, "rb"))
got = plistlib.loads(raw)
types = open(types_path).read().split()
assert got["NSBonjourServices"] == types, got["NSBonjourServices"]
reason = got["NSLocalNetworkUsageDescription"]
assert reason.startswith("Porchlight ") and "local network" in reason and len(reason) < 300, reason
assert got["LSMinimumSystemVersion"] == "12.0", got["LSMinimumSystemVersion"]
for k, v in orig.items():  # every other key fyne wrote is kept, unchanged
    if k != "LSMinimumSystemVersion":
        assert got.get(k) == v, f"{k} changed: {v!r} -> {got.get(k)!r}"
assert set(got) == set(orig) | {"NSBonjourServices", "NSLocalNetworkUsageDescription"}, sorted(got)
PY
	echo "ok   $(basename "$target"): NSLocalNetworkUsageDescription, $(wc -l <"$work/parsed") NSBonjourServices, LSMinimumSystemVersion 12.0, other keys kept, idempotent"
done
for l in en de; do
	f=$work/Porchlight.app/Contents/Resources/$l.lproj/InfoPlist.strings
	grep -q '^"NSLocalNetworkUsageDescription" = "Porchlight .*";$' "$f" || { echo "FAIL: $f" >&2; cat "$f" >&2; exit 1; }
done
echo "ok   Porchlight.app: en.lproj and de.lproj InfoPlist.strings"

# it refuses what it cannot handle
if TYPES_GO=/dev/null "$script" "$work/xml.plist" 2>/dev/null; then
	echo "FAIL: add-plist-keys.sh accepted a types.go without KnownTypes" >&2; exit 1
fi
echo "ok   refuses a types.go it cannot read"
