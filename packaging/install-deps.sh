#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages named on the command line that are
# missing, with apt-get as root or through sudo (like .ci/install-deps, for
# the packaging targets' extra tools). Elsewhere it says what to install.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
if ! command -v dpkg-query >/dev/null; then
	echo "Not a Debian or Ubuntu system: install the equivalents of $* yourself (see docs/packaging.md)." >&2
	exit 0
fi
missing=()
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing ${missing[*]}"
sudo=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "Run as root, or install sudo, to install: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
