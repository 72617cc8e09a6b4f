#!/usr/bin/env bash
# Adds what macOS needs before Porchlight may use the local network to a
# packaged app (run it after `fyne package -os darwin`, before codesign):
#   NSLocalNetworkUsageDescription  the reason shown in the permission prompt
#   NSBonjourServices               every mDNS service type Porchlight browses
#   LSMinimumSystemVersion 12.0     fyne writes 10.11, but Go 1.26 programs need
#                                   macOS 12 Monterey or later
# Without both, macOS 15+ silently drops Porchlight's multicast: no prompt,
# no devices, and the app is missing from Settings > Privacy > Local Network.
#
# The service types are read from devices/discover/types.go (KnownTypes and
# the DNS-SD meta-query), so the list cannot fall behind the code; make
# package-check compares what this script reads with what the compiler sees.
#
#   packaging/macos/add-plist-keys.sh Porchlight.app        # also writes en/de InfoPlist.strings
#   packaging/macos/add-plist-keys.sh path/to/Info.plist
#   packaging/macos/add-plist-keys.sh --print-types         # the service types, one a line
#
# Uses /usr/libexec/PlistBuddy on macOS; elsewhere (or with
# PLIST_TOOL=python) python3's plistlib, which keeps the file's format
# (XML or binary). Running it again gives the same result.
set -euo pipefail
# Written for the bash 3.2 that macOS ships.

here=$(cd "$(dirname "$0")" && pwd)
types_go=${TYPES_GO:-$here/../../devices/discover/types.go}

# The reason macOS shows when it asks for permission. Plain words for a
# householder; no quotes or apostrophes (PlistBuddy's command syntax).
reason_en="Porchlight looks for the smart devices in your home, such as plugs, lights, speakers and printers, on your local network, so that it can check how safe they are and help you fix them."
# shellcheck disable=SC2034 # used as ${!reason_var} below
reason_de="Porchlight sucht die smarten Geräte in Ihrem Zuhause, etwa Steckdosen, Lampen, Lautsprecher und Drucker, in Ihrem lokalen Netzwerk, um zu prüfen, wie sicher sie sind, und Ihnen zu helfen, sie abzusichern."

# Go 1.26 supports macOS 12 Monterey or later (golang/go#75836).
min_macos=12.0

usage() {
	echo "usage: $0 APP.app | Info.plist | --print-types" >&2
	exit 2
}

# service_types prints the types Porchlight browses: every string in the
# KnownTypes literal, then the meta-query constant. It fails rather than
# print a partial list when types.go no longer has the shape it expects.
service_types() {
	[ -r "$types_go" ] || { echo "$0: cannot read $types_go" >&2; return 1; }
	local known meta
	known=$(awk '
		/^var KnownTypes = \[\]string\{/ { inside = 1; next }
		inside && /^\}/ { inside = 0; done = 1; next }
		inside {
			line = $0
			sub(/\/\/.*/, "", line)
			while (match(line, /"[^"]*"/)) {
				print substr(line, RSTART + 1, RLENGTH - 2)
				line = substr(line, RSTART + RLENGTH)
			}
		}
		END { if (!done) exit 1 }
	' "$types_go") || { echo "$0: no 'var KnownTypes = []string{ ... }' block in $types_go" >&2; return 1; }
	meta=$(sed -n 's/^const metaQuery = "\(.*\)"$/\1/p' "$types_go")
	[ -n "$meta" ] || { echo "$0: no 'const metaQuery = \"...\"' in $types_go" >&2; return 1; }
	[ -n "$known" ] || { echo "$0: KnownTypes in $types_go is empty" >&2; return 1; }
	# RFC 6763 §7: _name._tcp or _name._udp (the meta-query has one more label)
	local t re='^_[a-z0-9-]{1,15}(\._dns-sd)?\._(tcp|udp)$'
	for t in $known $meta; do
		[[ $t =~ $re ]] || { echo "$0: not a service type: '$t'" >&2; return 1; }
	done
	printf '%s\n' "$known" "$meta"
}

[ $# -eq 1 ] || usage
case "$1" in
	--print-types) service_types; exit ;;
	-*) usage ;;
esac

target=$1
strings_dir=
if [ -d "$target" ]; then
	case "$target" in *.app | *.app/) ;; *) usage ;; esac
	plist=$target/Contents/Info.plist
	strings_dir=$target/Contents/Resources
else
	plist=$target
fi
[ -f "$plist" ] || { echo "$0: no such file: $plist" >&2; exit 1; }

# (macOS ships bash 3.2: no mapfile)
list=$(service_types) || exit 1
types=()
while IFS= read -r t; do types+=("$t"); done <<<"$list"

buddy=/usr/libexec/PlistBuddy
if [ "${PLIST_TOOL:-}" != python ] && [ -x "$buddy" ]; then
	"$buddy" -c "Delete :NSLocalNetworkUsageDescription" "$plist" >/dev/null 2>&1 || true
	"$buddy" -c "Delete :NSBonjourServices" "$plist" >/dev/null 2>&1 || true
	"$buddy" -c "Delete :LSMinimumSystemVersion" "$plist" >/dev/null 2>&1 || true
	cmds=(-c "Add :NSLocalNetworkUsageDescription string $reason_en" -c "Add :NSBonjourServices array"
		-c "Add :LSMinimumSystemVersion string $min_macos")
	for i in "${!types[@]}"; do
		cmds+=(-c "Add :NSBonjourServices:$i string ${types[$i]}")
	done
	"$buddy" "${cmds[@]}" "$plist"
else
	command -v python3 >/dev/null || { echo "$0: needs /usr/libexec/PlistBuddy (macOS) or python3" >&2; exit 1; }
	REASON="$reason_en" MIN_MACOS="$min_macos" python3 - "$plist" "${types[@]}" <<'PY'
import os, plistlib, sys

path, types = sys.argv[1], sys.argv[2:]
with open(path, "rb") as f:
    raw = f.read()
fmt = plistlib.FMT_BINARY if raw.startswith(b"bplist00") else plistlib.FMT_XML
info = plistlib.loads(raw)
if not isinstance(info, dict):
    sys.exit(f"{path}: the top level is not a dictionary")
info["NSLocalNetworkUsageDescription"] = os.environ["REASON"]
info["NSBonjourServices"] = types
info["LSMinimumSystemVersion"] = os.environ["MIN_MACOS"]
tmp = path + ".tmp"
with open(tmp, "wb") as f:
    plistlib.dump(info, f, fmt=fmt, sort_keys=False)
os.replace(tmp, path)
PY
fi

# Inside an .app, translate the prompt too (Info.plist lists en and de in
# CFBundleLocalizations). UTF-8 .strings files are accepted by macOS.
if [ -n "$strings_dir" ]; then
	for l in en de; do
		reason_var=reason_$l
		mkdir -p "$strings_dir/$l.lproj"
		printf '"NSLocalNetworkUsageDescription" = "%s";\n' "${!reason_var}" >"$strings_dir/$l.lproj/InfoPlist.strings"
	done
fi
echo "$plist: NSLocalNetworkUsageDescription, ${#types[@]} NSBonjourServices, LSMinimumSystemVersion $min_macos"
