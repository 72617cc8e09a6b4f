#!/usr/bin/env bash
# make check-windows: runs the Windows build, not only compiles it. Cross-builds
# porchlight.exe as it ships (GUI subsystem, mingw-w64), then, inside an
# isolated network namespace (.ci/in-netns), in a fresh Wine prefix, runs
#   porchlight.exe --help                    exit 0, the list of commands
#   porchlight.exe version                   exit 0, version, Go and target
#   porchlight.exe scan --json --timeout 2s  see below
# and checks what each prints and its exit status. Prints how long each part
# took. Needs wine, wine64 and gcc-mingw-w64-x86-64 (make check-windows
# installs them). See docs/packaging.md.
#
# Two gaps of Wine 8.0 (Debian 12) meet Go 1.24 and later:
# - bcryptprimitives.dll (ProcessPrng) is missing and the Go runtime stops at
#   start: when the prefix has none, wine/bcryptprimitives.c is built and put
#   in its system32, giving the same random bytes through BCryptGenRandom.
# - WSAIoctl(SIO_UDP_NETRESET), which Go's net package calls on every UDP
#   socket, fails with WSAEOPNOTSUPP (10045), so no mDNS socket opens. Then
#   the scan check requires what a person would see on a Windows that cannot
#   open the socket: one error naming it, exit 1, no panic; and it says that
#   the JSON output was not exercised. On a Wine that has the ioctl, the scan
#   must exit 0 with a JSON list of devices (none, in the empty namespace).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

if [ "${1:-}" = --inside ]; then
	work=$2
	export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
	export PORCHLIGHT_DATA_DIR='C:\porchlight-data'
	fail=0
	t=$(date +%s)
	wine wineboot --init >/dev/null 2>&1
	wineserver -w
	echo "   Wine prefix made in $(($(date +%s) - t)) s ($(wine --version))"
	sys32=$WINEPREFIX/drive_c/windows/system32
	if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
		cp "$work/bcryptprimitives.dll" "$sys32/"
		echo "   this Wine has no bcryptprimitives.dll: installed wine/bcryptprimitives.c's"
	fi

	t=$(date +%s) rc=0
	wine "$work/porchlight.exe" --help >"$work/help.out" 2>"$work/help.err" </dev/null || rc=$?
	if [ $rc -eq 0 ] && grep -q '^Commands:' "$work/help.out" "$work/help.err" &&
		grep -qE '^  scan ' "$work/help.out" "$work/help.err"; then
		echo "ok   porchlight.exe --help: exit 0, lists the commands ($(($(date +%s) - t)) s)"
	else
		echo "FAIL porchlight.exe --help: exit $rc, output:"; cat "$work/help.out" "$work/help.err"; fail=1
	fi

	t=$(date +%s) rc=0
	wine "$work/porchlight.exe" version >"$work/version.out" 2>"$work/version.err" </dev/null || rc=$?
	if [ $rc -eq 0 ] && grep -qE '^Porchlight [0-9]+\.[0-9]+\.[0-9]+' "$work/version.out" &&
		grep -q 'for windows/amd64' "$work/version.out"; then
		echo "ok   porchlight.exe version: exit 0, $(head -1 "$work/version.out" | tr -d '\r') ($(($(date +%s) - t)) s)"
	else
		echo "FAIL porchlight.exe version: exit $rc, output:"; cat "$work/version.out" "$work/version.err"; fail=1
	fi

	t=$(date +%s) rc=0
	wine "$work/porchlight.exe" scan --json --timeout 2s >"$work/scan.out" 2>"$work/scan.err" </dev/null || rc=$?
	took=$(($(date +%s) - t))
	if [ $rc -eq 0 ] && python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(not isinstance(d, (list, dict)))' "$work/scan.out"; then
		echo "ok   porchlight.exe scan --json --timeout 2s: exit 0, JSON ($took s)"
	elif [ $rc -eq 1 ] && grep -q '^porchlight scan: .*cannot listen for devices.*winapi error #10045' "$work/scan.err" &&
		! grep -qE 'panic|goroutine [0-9]' "$work/scan.err" && [ ! -s "$work/scan.out" ]; then
		echo "ok   porchlight.exe scan --json --timeout 2s: exit 1, says it cannot listen for devices ($took s)"
		echo "     NOT EXERCISED: the scan itself and its JSON. This Wine fails WSAIoctl(SIO_UDP_NETRESET)"
		echo "     (WSAEOPNOTSUPP), which Go's net package calls on every UDP socket; Windows has it."
	else
		echo "FAIL porchlight.exe scan --json --timeout 2s: exit $rc ($took s), stdout:"; cat "$work/scan.out"
		echo "stderr:"; cat "$work/scan.err"; fail=1
	fi
	wineserver -k 2>/dev/null || true
	exit $fail
fi

GO=${GO:-go}
t0=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t=$(date +%s)
GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
	"$GO" build -ldflags -H=windowsgui -o "$work/porchlight.exe" .
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bcryptprimitives.dll" \
	packaging/windows/wine/bcryptprimitives.c packaging/windows/wine/bcryptprimitives.def -lbcrypt
echo "   porchlight.exe cross-built in $(($(date +%s) - t)) s"
rc=0
"$root/.ci/in-netns" "$0" --inside "$work" || rc=$?
echo "== check-windows took $(($(date +%s) - t0)) s"
[ $rc -eq 0 ] || { echo "check-windows: FAILED" >&2; exit 1; }
echo "check-windows: passed"
