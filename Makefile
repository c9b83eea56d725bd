# newsd — the two set-up commands of the README are `make run` and `make test`.
SWIFT ?= swift
BIN := .build/debug/newsd

.PHONY: run test build release bench bench-pipe spark-test clean

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
	@if [ "$${NEWSD_SPARK_TEST:-0}" = "1" ]; then $(MAKE) spark-test; fi

## The Spark job in local[2] on 10,000 records (installs pyspark: ~1 min, 2 GB). Off in `make test` unless NEWSD_SPARK_TEST=1.
spark-test: release
	python3 -c 'import pyspark' 2>/dev/null || pip install -q pyspark
	python3 integrations/spark/test_spark_job.py

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

## newsd pipe against newsd process on the corpus, and the Spark job's throughput and start-up cost.
bench-pipe: release
	./scripts/bench-pipe.sh

clean:
	rm -rf .build var
