#!/usr/bin/env bash
# make package-check: validates every packaging file, builds the Linux binary
# and checks its installed tree, cross-compiles the Windows GUI executable, timing each step; runs every step even when one
# fails. Needs the tools that `make package-deps-check` installs. See
# docs/packaging.md. (Steps run after `||`, where set -e does not apply, so
# each step function returns its own failures.)
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
app_id=io.github.porchlight.Porchlight
failed=()
t0=$(date +%s)

step() { # step NAME COMMAND...: run, time, remember failures, go on
	local name=$1 s rc=0
	s=$(date +%s)
	shift
	echo "== $name"
	"$@" || rc=$?
	if [ $rc -ne 0 ]; then
		failed+=("$name")
		echo "FAIL $name ($(($(date +%s) - s)) s)"
	else
		echo "   ($(($(date +%s) - s)) s)"
	fi
}

# desktop-file-validate exits 0 on warnings: fail on errors and warnings, show hints.
desktop() {
	local out
	out=$(desktop-file-validate "packaging/linux/$app_id.desktop" 2>&1) || { echo "$out"; return 1; }
	[ -z "$out" ] || echo "$out"
	if grep -qE ': (error|warning): ' <<<"$out"; then return 1; fi
	echo "ok   packaging/linux/$app_id.desktop"
}

appstream() {
	appstreamcli validate --no-net "packaging/linux/$app_id.metainfo.xml"
}

flatpak_manifest() {
	python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1])); print("ok   YAML parses:", sys.argv[1])' \
		"packaging/linux/$app_id.yml" || return 1
	if command -v flatpak-builder >/dev/null; then
		local err state
		state=$(mktemp -d) # its working directory: it leaves .flatpak-builder/ there
		err=$(cd "$state" && flatpak-builder --show-manifest "$OLDPWD/packaging/linux/$app_id.yml" 2>&1 >/dev/null) ||
			{ echo "$err"; rm -rf "$state"; return 1; }
		rm -rf "$state"
		[ -z "$err" ] || { echo "$err"; return 1; }
		echo "ok   flatpak-builder --show-manifest: no unknown properties"
	fi
}

# The installer script must compile: makensis with a stand-in executable.
nsis() {
	local w
	w=$(mktemp -d)
	head -c 4096 /dev/urandom >"$w/Porchlight.exe"
	rsvg-convert -w 32 -h 32 assets/icon.svg -o "$w/32.png" &&
		icotool -c -o "$w/porchlight.ico" "$w/32.png" &&
		makensis -WX -V2 -DVERSION=0.0.0 -DBUILD=0 -DEXE="$w/Porchlight.exe" -DICON="$w/porchlight.ico" \
		-DOUTFILE="$w/Porchlight-check-setup.exe" packaging/windows/porchlight.nsi
	local rc=$?
	rm -rf "$w"
	[ $rc -eq 0 ] && echo "ok   packaging/windows/porchlight.nsi compiles (makensis -WX)"
}

# The Linux binary as the Flatpak manifest builds it (-tags flatpak: Fyne's
# portals), then the tarball's tree around it installed and uninstalled.
# Not -trimpath (the manifest's GOFLAGS): the same tags, but the build cache
# that make test filled serves it.
linux_tree() {
	local w rc=0
	w=$(mktemp -d)
	CGO_ENABLED=1 "$GO" build -tags release,migrated_fynedo,flatpak -ldflags "-s -w" -o "$w/porchlight" . &&
		echo "ok   go build -tags release,migrated_fynedo,flatpak (the Flatpak's build command)" &&
		packaging/linux/check-install.sh "$w/porchlight" || rc=$?
	rm -rf "$w"
	return $rc
}

windows_build() {
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
		"$GO" build -ldflags -H=windowsgui -o /dev/null . &&
		echo "ok   GOOS=windows CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go build -ldflags -H=windowsgui ."
}

step "metadata agrees (FyneApp.toml, main.go, icon, desktop, AppStream, Flatpak, NSIS)" python3 packaging/check-metadata.py
step "desktop-file-validate" desktop
step "appstreamcli validate --no-net" appstream
step "Flatpak manifest" flatpak_manifest
step "Linux: the Flatpak's build, make install and uninstall of the tarball's tree" linux_tree
step "macOS: add-plist-keys.sh on a sample Info.plist" packaging/macos/test-add-plist-keys.sh
step "macOS: service types drift (types.go)" packaging/macos/check-service-types.sh
step "Windows: NSIS installer script" nsis
step "Windows: cross-compile the GUI executable" windows_build

echo "== package-check took $(($(date +%s) - t0)) s"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "package-check: all passed"
