# Porchlight. The two commands a newcomer needs:
#   make run    install what is missing, build, and open the app
#   make test   install what is missing, then run every check and test
# Networked tests run in an isolated network namespace (.ci/in-netns).

export LANG ?= en_US.UTF-8
GO ?= go
BIN := bin/porchlight
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOBIN := $(shell $(GO) env GOPATH)/bin
# A count of executions, not a duration: with a duration, Go 1.26's fuzz
# coordinator can fail a clean run with "context deadline exceeded" at the
# end (golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 30000x

.PHONY: run build test lint unit vulncheck fuzz bench bench-recognition bench-scan bench-check bench-ui screenshots lab deps-run deps-test

run: deps-run build
	./$(BIN)

build:
	$(GO) build -o $(BIN) .

deps-run:
	@.ci/install-deps run

deps-test:
	@.ci/install-deps test

test: deps-test lint unit

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt would change: $$bad"; exit 1; fi
	$(GO) vet ./...
	GOOS=windows $(GO) vet ./devices/... ./app/...
	$(GO) install $(STATICCHECK)
	$(GOBIN)/staticcheck ./...

# Every test, with the race detector. Each test binary runs in an isolated
# network namespace of its own (-exec), so packages tested in parallel never
# hear each other's mDNS traffic.
unit:
	$(GO) test -race -count=1 -exec $(CURDIR)/.ci/in-netns ./...
	$(GO) test -race -count=1 -exec $(CURDIR)/.ci/in-netns -tags keyring_integration ./app/vault/...
	.ci/in-netns dbus-run-session -- $(GO) test -race -count=1 -tags tray_integration ./ui/statusicon/

# govulncheck against https://vuln.go.dev, or, when it cannot be reached,
# the snapshot in .ci/vulndb (it says which, and how old).
vulncheck:
	.ci/vulncheck

# Runs each fuzz target for FUZZTIME (make fuzz FUZZTIME=3000000x for a long run).
fuzz:
	@for pkg in $$($(GO) list ./devices/... ./app/...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$t in $$pkg for $(FUZZTIME)"; \
	    $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

bench: bench-scan bench-check bench-ui bench-recognition

# Maker and kind named from real announcements copied from public pages
# (devices/identify/testdata/recognition): accuracy overall and per service
# type, wrong and unknown counted apart. Asks no device anything.
bench-recognition:
	$(GO) run ./devices/identify/recognitionbench devices/identify/testdata/recognition/announcements.json

# Scan time against the 250-device lab, compared with avahi-browse.
bench-scan: deps-test
	$(GO) build -o bin/scanbench ./devices/discover/scanbench
	.ci/in-netns bin/scanbench

# Checkup time of the 250-device lab, compared with an nmap port scan.
bench-check: deps-test
	$(GO) build -o bin/checkbench ./app/checkup/checkbench
	.ci/in-netns bin/checkbench

# Start to first frame and memory with 1,000 devices, on the real driver under Xvfb.
bench-ui: deps-test build
	.ci/in-netns xvfb-run -a -s "-screen 0 1280x800x24" .ci/bench-ui $(BIN)

# Every main screen in light and dark, English and German, into docs/screenshots.
screenshots:
	$(GO) run ./ui/screenshots -o docs/screenshots

# Serves the home household in a namespace of its own, with a shell there:
# run `./bin/porchlight scan` in it, or the app with a display forwarded.
lab: build
	.ci/in-netns bash -c './$(BIN) lab --profile $${PROFILE:-home} & sleep 1; exec bash'

# Packaging for Linux, Windows and macOS (see docs/packaging.md).
-include packaging/packaging.mk
