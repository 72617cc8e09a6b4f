# Packaging for Linux, Windows and macOS (docs/packaging.md). Included by
# the Makefile; also works alone: make -f packaging/packaging.mk TARGET.
#   make package-linux     dist/linux/porchlight-VERSION-linux-ARCH.tar.xz (fyne package)
#   make install           build and install into PREFIX (/usr/local), honouring DESTDIR
#   make uninstall         remove what make install put there (same PREFIX, DESTDIR)
#   make package-windows   dist/windows/Porchlight.exe and Porchlight-VERSION-setup.exe (NSIS)
#   make package-check     validators, the macOS plist script test, the Windows cross-compile
#   make check-windows     porchlight.exe run under Wine in an isolated network namespace
#   make flatpak-sources   vendored Go modules for an offline flatpak-builder run
#   make icon              render assets/icon.png from assets/icon.svg
# Each target installs the Debian packages it needs (as root, or via sudo).
# Variables are prefixed PKG_ so they never collide with the main Makefile's.

GO ?= go
PKG_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
PKG_FYNE_VERSION := v1.7.4
PKG_APP_ID := io.github.porchlight.Porchlight
PKG_VERSION = $(shell sed -n 's/^Version *= *"\(.*\)"$$/\1/p' $(PKG_ROOT)/FyneApp.toml)
PKG_ARCH = $(shell $(GO) env GOARCH)
PKG_BUILD = $(shell sed -n 's/^Build *= *\([0-9]*\)$$/\1/p' $(PKG_ROOT)/FyneApp.toml)
PKG_DIST := $(PKG_ROOT)/dist
# Outside the repository: the fyne tool, and the source copies it builds from
# (it writes fyne_metadata_init.go and fyne.syso into the source directory and
# bumps Build in FyneApp.toml, none of which may touch the working tree that
# other builds and tests are using).
PKG_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/porchlight-packaging
PKG_FYNE := $(PKG_CACHE)/bin/fyne-$(PKG_FYNE_VERSION)
PKG_MINGW_CC := x86_64-w64-mingw32-gcc
PKG_DEPS := $(PKG_ROOT)/packaging/install-deps.sh

# Prints each artifact's size in bytes and MiB.
define pkg_sizes
@echo "Artifacts:"; for f in $(1); do \
	  printf '  %-60s %10s bytes  %6s MiB\n' "$${f#$(PKG_ROOT)/}" "$$(stat -c %s "$$f")" \
	    "$$(awk -v b=$$(stat -c %s "$$f") 'BEGIN { printf "%.1f", b / 1048576 }')"; done
endef

# Copies the working tree (without .git, bin, dist) to $(1) for fyne to build in.
pkg_stage = rm -rf $(1) && mkdir -p $(1) && \
	tar -C $(PKG_ROOT) --exclude=./.git --exclude=./bin --exclude=./dist -cf - . | tar -C $(1) -xf -

.PHONY: package-linux package-windows package-check package-deps-linux package-deps-windows \
	package-deps-check package-deps-install package-deps-wine package-fyne-tool flatpak-sources icon \
	install uninstall check-windows

# fyne.io/tools, pinned, built once into the cache (go.mod stays untouched).
# Built without CC so that a cross compiler in the environment cannot break it.
package-fyne-tool: $(PKG_FYNE)
$(PKG_FYNE):
	@mkdir -p $(dir $@)
	cd $(PKG_ROOT) && env -u CC GOBIN=$(PKG_CACHE)/bin $(GO) install fyne.io/tools/cmd/fyne@$(PKG_FYNE_VERSION)
	mv $(PKG_CACHE)/bin/fyne $@

package-deps-linux:
	@cd $(PKG_ROOT) && .ci/install-deps run
	@$(PKG_DEPS) tar xz-utils librsvg2-bin

package-deps-windows:
	@$(PKG_DEPS) tar gcc-mingw-w64-x86-64 nsis librsvg2-bin icoutils binutils-mingw-w64-x86-64

package-deps-check:
	@$(PKG_DEPS) python3 python3-yaml desktop-file-utils appstream gcc-mingw-w64-x86-64 nsis librsvg2-bin icoutils

# A release build for Linux: `fyne package -os linux --release` builds the
# binary (with FyneApp.toml's metadata), packaging/linux/stage.sh lays out
# the tree around it as installed (hicolor icons, desktop entry, AppStream
# metainfo, licence) with packaging/linux/install.mk as its Makefile
# ("make user-install", "sudo make install", "make uninstall").
package-linux: package-deps-linux package-fyne-tool
	@start=$$(date +%s); set -e; \
	src=$(PKG_CACHE)/src-linux; work=$(PKG_DIST)/linux/.work; name=porchlight-$(PKG_VERSION); \
	out=$(PKG_DIST)/linux/$$name-linux-$(PKG_ARCH).tar.xz; \
	rm -rf $(PKG_DIST)/linux && mkdir -p $$work; \
	$(call pkg_stage,$$src); \
	(cd $$work && $(PKG_FYNE) package -os linux --release --src $$src); \
	mkdir $$work/x && tar -C $$work/x -xJf $$work/Porchlight.tar.xz; \
	bin=$$(find $$work/x -path '*/bin/porchlight' -type f); \
	test -n "$$bin" || { echo "fyne package wrote no bin/porchlight" >&2; exit 1; }; \
	$(PKG_ROOT)/packaging/linux/stage.sh "$$bin" $$work/$$name; \
	tar -C $$work --owner=0 --group=0 -cJf $$out $$name; \
	cp $$work/$$name/bin/porchlight $(PKG_DIST)/linux/porchlight; \
	rm -rf $$work; \
	echo "package-linux took $$(( $$(date +%s) - start )) s"
	$(call pkg_sizes,$(PKG_DIST)/linux/porchlight-$(PKG_VERSION)-linux-$(PKG_ARCH).tar.xz $(PKG_DIST)/linux/porchlight)

# From the source tree: a release build into bin/release, laid out by
# stage.sh, installed by its Makefile. PREFIX (default /usr/local) and DESTDIR
# pass through: make install PREFIX=$$HOME/.local, or PREFIX=/usr DESTDIR=…
# for a distribution package. make uninstall removes the same files.
PKG_RELEASE_DIR := $(PKG_ROOT)/bin/release
install: package-deps-install
	cd $(PKG_ROOT) && $(GO) build -tags release,migrated_fynedo -ldflags "-s -w" -o $(PKG_RELEASE_DIR)/porchlight .
	$(PKG_ROOT)/packaging/linux/stage.sh $(PKG_RELEASE_DIR)/porchlight $(PKG_RELEASE_DIR)/tree
	$(MAKE) -C $(PKG_RELEASE_DIR)/tree install

uninstall:
	$(MAKE) -C $(PKG_ROOT)/packaging/linux -f install.mk uninstall

package-deps-install:
	@cd $(PKG_ROOT) && .ci/install-deps run
	@$(PKG_DEPS) librsvg2-bin

# A release build for Windows (amd64), cross-compiled with mingw-w64 through
# `fyne package -os windows`: GUI subsystem (no console window), icon,
# version info and manifest from FyneApp.toml. Then the NSIS installer.
package-windows: package-deps-windows package-fyne-tool
	@start=$$(date +%s); set -e; \
	src=$(PKG_CACHE)/src-windows; ico=$(PKG_CACHE)/ico; out=$(PKG_DIST)/windows; \
	rm -rf $$out $$ico && mkdir -p $$out $$ico; \
	$(call pkg_stage,$$src); \
	(cd $$src && CC=$(PKG_MINGW_CC) GOARCH=amd64 $(PKG_FYNE) package -os windows --release --src $$src); \
	mv $$src/Porchlight.exe $$out/Porchlight.exe; \
	x86_64-w64-mingw32-objdump -p $$out/Porchlight.exe | grep -q 'Subsystem.*(Windows GUI)' || \
	  { echo "Porchlight.exe is not a Windows GUI executable" >&2; exit 1; }; \
	wrestool -l $$out/Porchlight.exe | grep -q 'type=group_icon' || { echo "Porchlight.exe has no icon" >&2; exit 1; }; \
	wrestool -l $$out/Porchlight.exe | grep -q 'type=version' || { echo "Porchlight.exe has no version info" >&2; exit 1; }; \
	for s in 16 24 32 48 64 256; do rsvg-convert -w $$s -h $$s $(PKG_ROOT)/assets/icon.svg -o $$ico/$$s.png; done; \
	icotool -c -o $$ico/porchlight.ico $$ico/16.png $$ico/24.png $$ico/32.png $$ico/48.png $$ico/64.png -r $$ico/256.png; \
	makensis -WX -V2 -DVERSION=$(PKG_VERSION) -DBUILD=$(PKG_BUILD) -DEXE=$$out/Porchlight.exe \
	  -DICON=$$ico/porchlight.ico -DOUTFILE=$$out/Porchlight-$(PKG_VERSION)-setup.exe \
	  $(PKG_ROOT)/packaging/windows/porchlight.nsi; \
	echo "package-windows took $$(( $$(date +%s) - start )) s"
	$(call pkg_sizes,$(PKG_DIST)/windows/Porchlight.exe $(PKG_DIST)/windows/Porchlight-$(PKG_VERSION)-setup.exe)

package-check: package-deps-check
	@cd $(PKG_ROOT) && GO=$(GO) packaging/check.sh

# Runs the cross-built porchlight.exe under Wine in an isolated network
# namespace (packaging/windows/check-wine.sh): about 20 s with a warm Go cache.
check-windows: package-deps-wine
	@cd $(PKG_ROOT) && GO=$(GO) packaging/windows/check-wine.sh

package-deps-wine:
	@$(PKG_DEPS) wine wine64 gcc-mingw-w64-x86-64 python3 iproute2 util-linux

# Go modules for the Flatpak build, which has no network (see
# packaging/linux/io.github.porchlight.Porchlight.yml). go.mod is not changed.
flatpak-sources:
	rm -rf $(PKG_DIST)/flatpak/vendor
	cd $(PKG_ROOT) && $(GO) mod vendor -o $(PKG_DIST)/flatpak/vendor
	@du -sh $(PKG_DIST)/flatpak/vendor

# assets/icon.png (embedded by assets.go, used by fyne package) from the SVG.
icon:
	@$(PKG_DEPS) librsvg2-bin
	rsvg-convert -w 512 -h 512 $(PKG_ROOT)/assets/icon.svg -o $(PKG_ROOT)/assets/icon.png
