# Installs Porchlight from this directory, the unpacked Linux tarball
# (porchlight-VERSION/), where the files lie as they will be installed:
#   make user-install                    into ~/.local (no root)
#   sudo make install                    into /usr/local
#   make install PREFIX=/usr DESTDIR=/tmp/pkgroot   for a distribution package
#   make uninstall (same PREFIX and DESTDIR) removes exactly what install put there.
# The desktop entry goes to share/applications, the AppStream metainfo to
# share/metainfo, the icons into the hicolor theme (PNG at the standard sizes
# and the SVG as scalable), the licence to share/doc/porchlight.
# packaging/linux/stage.sh in Porchlight's repository writes this directory and
# copies this file into it as its Makefile.

PREFIX ?= /usr/local
DESTDIR ?=
APP_ID := io.github.porchlight.Porchlight
ICON_SIZES := 16 24 32 48 64 128 256 512
INSTALL ?= install

root := $(DESTDIR)$(PREFIX)
self := $(lastword $(MAKEFILE_LIST))
files := bin/porchlight \
	share/applications/$(APP_ID).desktop \
	share/metainfo/$(APP_ID).metainfo.xml \
	$(foreach s,$(ICON_SIZES),share/icons/hicolor/$(s)x$(s)/apps/$(APP_ID).png) \
	share/icons/hicolor/scalable/apps/$(APP_ID).svg \
	share/doc/porchlight/LICENSE

.PHONY: install uninstall user-install user-uninstall

install:
	$(INSTALL) -Dm755 bin/porchlight $(root)/bin/porchlight
	@set -e; for f in $(filter-out bin/porchlight,$(files)); do \
	  echo "$(INSTALL) -Dm644 $$f $(root)/$$f"; $(INSTALL) -Dm644 $$f $(root)/$$f; done
	@$(MAKE) --no-print-directory -f $(self) caches

uninstall:
	@for f in $(files); do [ ! -e $(root)/$$f ] || { echo "rm $(root)/$$f"; rm -f $(root)/$$f; }; done
	-@rmdir $(root)/share/doc/porchlight 2>/dev/null
	@$(MAKE) --no-print-directory -f $(self) caches

# The desktop's caches, only for a live system (with DESTDIR, the package
# manager runs them on the target) and only where the tools exist.
.PHONY: caches
caches:
	@if [ -z "$(DESTDIR)" ]; then \
	  if command -v gtk-update-icon-cache >/dev/null && [ -f $(root)/share/icons/hicolor/index.theme ]; then \
	    gtk-update-icon-cache -q -t $(root)/share/icons/hicolor; fi; \
	  if command -v update-desktop-database >/dev/null; then update-desktop-database -q $(root)/share/applications; fi; \
	fi

user-install:
	@$(MAKE) --no-print-directory -f $(self) install PREFIX=$(HOME)/.local DESTDIR=

user-uninstall:
	@$(MAKE) --no-print-directory -f $(self) uninstall PREFIX=$(HOME)/.local DESTDIR=
