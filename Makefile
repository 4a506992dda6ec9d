# wagate — see README.md. Every target sets up what it needs on a fresh Debian
# machine (as root, or with sudo available).

SHELL        := /bin/bash
export PATH  := $(PATH):/opt/swift/usr/bin
SWIFT        ?= swift
CONFIG       ?= sip.conf.example
LOG_LEVEL    ?= info
VENV         := .venv
PYTHON       ?= python3

# Debian packages: the C libraries (libsrtp is vendored in Sources/CSRTP; speexdsp
# for its resampler), pkg-config, SQLite, and the real peers the tests drive (SIPp
# is packaged as sip-tester; Kamailio, HAProxy and PostgreSQL form the cluster
# around wagate nodes, contrib/cluster; Chromium and its driver run the browser
# tests through Selenium; lintian checks the package `make deb` builds).
APT_PACKAGES := pkg-config libsofia-sip-ua-dev libopus-dev \
                libspandsp-dev libspeexdsp-dev libssl-dev libsqlite3-dev sip-tester baresip-core \
                python3-venv openssl kamailio haproxy postgresql chromium chromium-driver lintian iproute2
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps venv build release test lint unit-test interop-test fuzz fuzz-short fuzz-merge run bench bench-quick clean check-config \
        install deb webphone-test

all: build

## deps: install system packages (idempotent: apt runs only when one is missing)
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: system packages present"; fi
	@command -v $(SWIFT) >/dev/null || { echo "deps: Swift 6 toolchain not found (expected at /opt/swift)"; exit 1; }

## venv: the Python virtualenv for test harnesses only (never part of the product)
venv: $(VENV)/.ready
$(VENV)/.ready: Tests/Interop/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/Interop/requirements.txt
	touch $@

## build: debug build of everything
build: deps
	$(SWIFT) build

## release: optimised build with the Swift runtime linked in, so the binary
## needs only the Debian C libraries (what install and deb ship)
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## install: binary, starting config (never replaced), systemd unit and sysusers
## entry under DESTDIR/PREFIX (scripts/install.sh; docs/operations.md)
PREFIX       ?= /usr/local
DESTDIR      ?=
WAGATE_BIN   ?= .build/release/wagate
install:
	@[ -x $(WAGATE_BIN) ] || $(MAKE) release
	PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) WAGATE_BIN=$(WAGATE_BIN) bash scripts/install.sh

## deb: build/wagate_VERSION_ARCH.deb with dpkg-deb (scripts/make-deb.sh)
deb:
	@[ -x $(WAGATE_BIN) ] || $(MAKE) release
	WAGATE_BIN=$(WAGATE_BIN) bash scripts/make-deb.sh

## test: every test: unit suites, the interop suites with real peers, the short
## fuzz run (scripts/test-suites.sh: the fuzz harnesses build while interop runs)
test: deps build venv
	MAKE="$(MAKE)" SWIFT=$(SWIFT) bash scripts/test-suites.sh
	@echo "make test: all suites passed"

## lint: style (swift format with .swift-format; what is gated and why is in
## scripts/check-format.sh) and layering (the layer table of docs/architecture.md),
## plus the layering check's own negative test. Takes seconds; .ci/run runs it first.
lint:
	SWIFT=$(SWIFT) bash scripts/check-format.sh
	bash scripts/check-layers.sh
	bash scripts/test-check-layers.sh

## unit-test: the Swift unit suites; the store's run on SQLite and on a throwaway
## PostgreSQL that scripts/unit-tests.sh starts (or WAGATE_TEST_POSTGRES names)
unit-test:
	SWIFT=$(SWIFT) bash scripts/unit-tests.sh

## interop-test: every interop file; the web phone files (real Chromium doing
## WebRTC) run apart, in a loopback-only network namespace (webphone-test).
## INTEROP_WORKERS pytest-xdist workers share the files (a file's tests stay on
## one worker; each worker draws ports from its own slice, see conftest.py):
## most interop time is spent waiting on timers, not on the CPU.
INTEROP_WORKERS ?= 2
interop-test: venv
	$(VENV)/bin/python -m pytest -q -n $(INTEROP_WORKERS) --dist loadfile --durations=15 Tests/Interop
	$(MAKE) webphone-test

## webphone-test: Tests/Interop/test_webphone_*.py inside `unshare --net` with only
## `lo` up (scripts/loopback-netns.sh); outside one, conftest skips those files
webphone-test: venv
	bash scripts/loopback-netns.sh $(VENV)/bin/python -m pytest -q $(wildcard Tests/Interop/test_webphone_*.py)

## fuzz: libFuzzer over every parser (Fuzz/), FUZZ_SECONDS per target (default 120)
FUZZ_SECONDS ?= 120
fuzz: deps
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run.sh

## fuzz-short: the short run that is part of `make test` (FUZZ_SHORT_SECONDS per
## target, FUZZ_SHORT_JOBS targets at once: each libFuzzer process uses one core)
FUZZ_SHORT_SECONDS ?= 10
FUZZ_SHORT_JOBS ?= 2
FUZZ_STAGE ?= all
FUZZ_SHORT_CONFIG ?= debug
fuzz-short: deps
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SHORT_SECONDS) FUZZ_JOBS=$(FUZZ_SHORT_JOBS) FUZZ_STAGE=$(FUZZ_STAGE) \
	  FUZZ_CONFIG=$(FUZZ_SHORT_CONFIG) bash Fuzz/run.sh

## fuzz-merge: minimise the committed corpora with what `make fuzz` found (-merge=1)
fuzz-merge:
	SWIFT=$(SWIFT) bash Fuzz/merge.sh

## run: the gateway in sandbox mode (built-in Meta simulator; no credentials).
## With the default CONFIG it runs $(SANDBOX_DIR)/sip.conf: sip.conf.example plus
## a SIP-mode number beside the Graph-mode ones, a tls: listener and a test CA
## made on first use (scripts/sandbox-config.sh); another CONFIG runs as given.
SANDBOX_DIR  ?= build/sandbox
run: deps build
	@if [ "$(CONFIG)" = sip.conf.example ]; then \
	  bash scripts/sandbox-config.sh $(CONFIG) $(SANDBOX_DIR) && \
	  $(SWIFT) run --skip-build wagate run --config $(SANDBOX_DIR)/sip.conf --log-level $(LOG_LEVEL); \
	else $(SWIFT) run --skip-build wagate run --config $(CONFIG) --log-level $(LOG_LEVEL); fi

check-config: build
	$(SWIFT) run --skip-build wagate check-config $(CONFIG)

## bench: benchmarks print their figures beside a baseline from the same run
bench: deps
	@bash bench/run.sh

## bench-quick: the media comparison only (wagate beside rtpengine), short windows, about 3 minutes
bench-quick: deps
	@QUICK=1 bash bench/run.sh

clean:
	rm -rf .build .build-fuzz .build-fuzz-debug $(VENV) build
