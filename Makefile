# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need:
# Maven resolves the Java side from Central; `tools` puts the two Python programs some tests run
# as processes in virtual environments under ~/.cache/tidings (where those tests look):
#   cfn-lint      lints kinesis-analytics/cloudformation/tidings.yaml
#   moto[server]  a local Glue API for the glue module's tests
# and, from Debian, the headless chromium and chromedriver the dashboard's browser tests drive.
MVN ?= mvn -B -ntp
TOOLS ?= $(HOME)/.cache/tidings
CFN_LINT_VERSION = 1.58.0
MOTO_VERSION = 5.2.5

.PHONY: demo test build bench models tools browser clean

## Build the launcher and run the job over the bundled sample into ./lake, then print a summary.
demo: build
	bin/tidings demo

## Every test: unit, MiniCluster end to end, failure/restore, kill -9 + resume, bad input, S3, Glue, AWS template.
test: tools
	TIDINGS_REQUIRE_TOOLS=1 $(MVN) verify

build:
	$(MVN) -q package -DskipTests

tools: $(TOOLS)/cfn-venv/bin/cfn-lint $(TOOLS)/moto-venv/bin/moto_server browser

# Debian's own chromium and its matching chromedriver (Selenium is pointed at both, so it never
# downloads a browser). Installed only when missing; apt-get needs root, or sudo.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

$(TOOLS)/cfn-venv/bin/cfn-lint:
	python3 -m venv $(TOOLS)/cfn-venv
	$(TOOLS)/cfn-venv/bin/pip install -q --disable-pip-version-check cfn-lint==$(CFN_LINT_VERSION)

$(TOOLS)/moto-venv/bin/moto_server:
	python3 -m venv $(TOOLS)/moto-venv
	$(TOOLS)/moto-venv/bin/pip install -q --disable-pip-version-check 'moto[server]==$(MOTO_VERSION)'

## Benchmarks that print figures: end to end (file → enrichment → committed Parquet) at parallelism
## 1 and 2 with peak RSS, then enrichment alone.
bench: build
	bench/run-e2e.sh

## Dashboard answer times (median, p95; uncached and cached) over a synthetic lake of 1,000,000 posts.
bench-dashboard: build
	bench/run-dashboard.sh

## Rebuild the bundled model from ../shared (Python, about an hour on CPU).
models:
	bash models/training/build.sh

clean:
	$(MVN) -q clean
