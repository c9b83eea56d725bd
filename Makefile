# newsd — the two set-up commands of the README are `make run` and `make test`.
SWIFT ?= swift
BIN := .build/debug/newsd

.PHONY: run test build release bench bench-analysis clean

## Build and run the daemon on ./var (installs libsystemd-dev first when missing).
run:
	./scripts/setup.sh
	$(SWIFT) build
	$(BIN) run --spool-root ./var

## Build everything and run every test (unit, spool, systemd/journald, end-to-end).
test:
	./scripts/setup.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	./scripts/setup.sh
	$(SWIFT) build

## A deployable binary: static Swift runtime, no toolchain needed where it runs.
release:
	./scripts/setup.sh
	$(SWIFT) build -c release --static-swift-stdlib

## End-to-end drain benchmark: files/s and peak RSS of the daemon against the write+fsync+rename floor.
bench: release
	./scripts/bench-spool.sh

clean:
	rm -rf .build var
