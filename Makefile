# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need.
MVN ?= mvn -B -ntp

.PHONY: demo test build bench models clean

## Build the launcher and run the job over the bundled sample into ./lake, then print a summary.
demo: build
	bin/tidings demo

## Every test: unit, MiniCluster integration, crash/resume, bad input.
test:
	$(MVN) verify

build:
	$(MVN) -q package -DskipTests

## End-to-end throughput (file → enrichment → committed Parquet) at parallelism 1 and 2, and peak RSS.
bench: build
	bench/run-e2e.sh

## Rebuild the bundled model from ../shared (Python, tens of minutes on CPU).
models:
	bash models/training/build.sh

clean:
	$(MVN) -q clean
