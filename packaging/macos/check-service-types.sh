#!/usr/bin/env bash
# Drift check: the service types add-plist-keys.sh reads from
# devices/discover/types.go must be exactly discover.KnownTypes as the Go
# compiler sees them, plus the DNS-SD meta-query. Fails (with a diff) when
# someone reshapes types.go so that the script's parser misses a type.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && ${GO:-go} run ./packaging/macos/testdata/servicetypes) >"$work/compiled"
echo "_services._dns-sd._udp" >>"$work/compiled"
"$here/add-plist-keys.sh" --print-types >"$work/parsed"
if ! diff -u "$work/compiled" "$work/parsed"; then
	echo "FAIL: add-plist-keys.sh reads other service types from devices/discover/types.go than the code uses" >&2
	echo "      (- compiled KnownTypes + meta-query, + parsed): update the parser in add-plist-keys.sh" >&2
	exit 1
fi
echo "ok   $(wc -l <"$work/parsed") service types (KnownTypes + meta-query): add-plist-keys.sh matches the compiled code"
