# klient — the two commands a new user needs: `make demo` and `make test`.
# Everything else (packages, Python venv, builds) is installed on demand.

SHELL := /bin/bash
SWIFT ?= swift
VENV := .build/venv
PYTHON := $(VENV)/bin/python3
# Debian packages the build and the tests need (C libraries via pkg-config,
# protobuf-c compiler for Protocol/*.proto, python venv for interop tests;
# systemd for systemd-analyze and the private user manager of the unit tests,
# util-linux (setpriv, runuser) and passwd (useradd) for tests that switch users;
# curl for the demo).
APT_PACKAGES := pkg-config libssl-dev libsystemd-dev libprotobuf-c-dev protobuf-c-compiler \
                libyaml-dev zlib1g-dev python3 python3-venv python3-pip iperf3 \
                systemd util-linux passwd curl
PIP_PACKAGES := websockets==17.4 kubernetes==37.0.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tests run with the strict cooperative pool so that any blocking call shows up.
TEST_ENV := LIBDISPATCH_COOPERATIVE_POOL_STRICT=1 KLIENT_PYTHON=$(CURDIR)/$(PYTHON)

.PHONY: all deps venv build build-release test bench demo clean help install install-bin install-units uninstall

# `make install [PREFIX=~/.local]`: binaries into $(PREFIX)/bin, user units into
# the systemd user unit directory with ExecStart pointing at the installed klientd.
PREFIX ?= $(HOME)/.local
# A literal "~" (PREFIX=~/x where the shell did not expand it) means $HOME.
prefix_path = $(abspath $(patsubst ~%,$(HOME)%,$(PREFIX)))
BINDIR ?= $(prefix_path)/bin
UNITDIR ?= $(if $(XDG_CONFIG_HOME),$(XDG_CONFIG_HOME),$(HOME)/.config)/systemd/user
# The daemon's executables; only those Package.swift declares are built and installed.
DAEMON_PRODUCTS := klientd klientctl
lparen := (
declared_products = $(foreach p,$(DAEMON_PRODUCTS),$(if $(shell grep -F 'executableTarget$(lparen)name: "$(p)"' Package.swift),$(p)))
UNITS := klientd.socket klientd.service
# INSTALL_FROM=DIR installs binaries already built there instead of building
# release ones (the systemd tests install the debug build this way).
INSTALL_FROM ?=

all: build

help:
	@echo "make demo    - install what is needed, build, run the demo"
	@echo "make test    - install what is needed, build, run every test"
	@echo "make bench   - release build + benchmarks (results: docs/performance.md)"
	@echo "make deps    - install Debian packages (idempotent)"
	@echo "make build   - debug build"
	@echo "make install [PREFIX=~/.local] - klientd, klientctl and their systemd user units"
	@echo "make uninstall [PREFIX=~/.local] - remove what install wrote"

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "Debian packages: all present"; fi

$(PYTHON):
	@mkdir -p .build
	python3 -m venv $(VENV)

venv: $(PYTHON)
	@$(PYTHON) -m pip install -q --disable-pip-version-check $(PIP_PACKAGES)

build: deps
	$(SWIFT) build

build-release: deps
	$(SWIFT) build -c release

test: deps venv
	$(SWIFT) build --build-tests
	$(TEST_ENV) $(SWIFT) test --skip-build --skip "[Pp]rocessWide"
	@echo "--- tests that count the whole process's threads and descriptors, alone:"
	$(TEST_ENV) $(SWIFT) test --skip-build --no-parallel --filter "[Pp]rocessWide"

bench: deps build-release
	scripts/bench.sh

demo: deps build
	scripts/demo.sh

clean:
	rm -rf .build

install: install-bin install-units
	@echo "installed; now run:"
	@echo "  systemctl --user daemon-reload && systemctl --user enable --now klientd.socket"

install-bin:
	@products="$(strip $(declared_products))"; \
	if [ -z "$$products" ]; then echo "Package.swift declares none of: $(DAEMON_PRODUCTS)" >&2; exit 1; fi; \
	if [ -n "$(INSTALL_FROM)" ]; then bin="$(INSTALL_FROM)"; else \
	  for p in $$products; do $(SWIFT) build -c release --product $$p || exit 1; done; \
	  bin=$$($(SWIFT) build -c release --show-bin-path); fi && \
	install -d "$(BINDIR)" && \
	for p in $$products; do install -m 0755 "$$bin/$$p" "$(BINDIR)/$$p" && echo "installed $(BINDIR)/$$p" || exit 1; done

install-units:
	@install -d -m 0755 "$(UNITDIR)"
	@sed 's|@BINDIR@|$(BINDIR)|g' systemd/klientd.service > "$(UNITDIR)/klientd.service.tmp" && \
	  chmod 0644 "$(UNITDIR)/klientd.service.tmp" && mv "$(UNITDIR)/klientd.service.tmp" "$(UNITDIR)/klientd.service"
	@install -m 0644 systemd/klientd.socket "$(UNITDIR)/klientd.socket"
	@echo "installed $(UNITDIR)/klientd.socket and $(UNITDIR)/klientd.service (ExecStart=$(BINDIR)/klientd)"

uninstall:
	@echo "first stop the daemon: systemctl --user disable --now klientd.socket klientd.service"
	@for f in $(addprefix $(BINDIR)/,$(DAEMON_PRODUCTS)) $(addprefix $(UNITDIR)/,$(UNITS)); do \
	  if [ -e "$$f" ]; then rm -f "$$f" && echo "removed $$f"; fi; done
	@if [ -L "$(UNITDIR)/sockets.target.wants/klientd.socket" ]; then \
	  echo "klientd.socket is still enabled: run systemctl --user disable klientd.socket"; fi
	@echo "then: systemctl --user daemon-reload"
