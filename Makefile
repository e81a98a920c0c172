# klient — the two commands a new user needs: `make demo` and `make test`.
# Everything else (packages, Python venv, builds) is installed on demand.

SHELL := /bin/bash
SWIFT ?= swift
VENV := .build/venv
PYTHON := $(VENV)/bin/python3
# Debian packages the build and the tests need (C libraries via pkg-config,
# protobuf-c compiler for Protocol/*.proto, python venv for interop tests).
APT_PACKAGES := pkg-config libssl-dev libsystemd-dev libprotobuf-c-dev protobuf-c-compiler \
                libyaml-dev zlib1g-dev python3 python3-venv python3-pip iperf3
PIP_PACKAGES := websockets==17.4 kubernetes==37.0.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tests run with the strict cooperative pool so that any blocking call shows up.
TEST_ENV := LIBDISPATCH_COOPERATIVE_POOL_STRICT=1 KLIENT_PYTHON=$(CURDIR)/$(PYTHON)

.PHONY: all deps venv build build-release test bench demo clean help

all: build

help:
	@echo "make demo    - install what is needed, build, run the demo"
	@echo "make test    - install what is needed, build, run every test"
	@echo "make bench   - release build + benchmarks (results: docs/performance.md)"
	@echo "make deps    - install Debian packages (idempotent)"
	@echo "make build   - debug build"

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
	$(SWIFT) run --skip-build klient-demo

clean:
	rm -rf .build
