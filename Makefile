# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need:
# Maven resolves the Java side from Central; `tools` puts the Python programs some tests run
# as processes in virtual environments under ~/.cache/tidings (where those tests look):
#   cfn-lint      lints kinesis-analytics/cloudformation/{tidings,quicksight}.yaml
#   moto[server]  a local Glue API for the glue module's tests
#   training-venv PyTorch + transformers (models/training/requirements.txt, ~3 GB download once): the
#                 models module's test exports a tiny Hugging Face model with export_hf.py
# and, from Debian, the headless chromium and chromedriver the dashboard's browser tests drive, and
# qemu-user, under which CrossCpuParityTest runs the bundled model as an AVX2-only CPU would.
# `duckdb-httpfs` (part of `demo` and `tools`) puts DuckDB's httpfs extension, from PyPI's
# duckdb-extension-httpfs wheel, under ~/.cache/tidings/duckdb-extensions: `serve --lake s3://...`
# reads the lake with it (it is not inside the duckdb_jdbc jar, and nothing is downloaded at run time).
# athena's TrinoSqlTest also needs a Java 24+ runtime beside Java 17 (Trino's requirement): it looks
# under /usr/lib/jvm and /opt, or takes TIDINGS_TRINO_JAVA_HOME; Maven fetches Trino itself.
MVN ?= mvn -B -ntp
TOOLS ?= $(HOME)/.cache/tidings
CFN_LINT_VERSION = 1.58.0
MOTO_VERSION = 5.2.5
# The pom's DuckDB (duckdb_jdbc 1.4.4.0 is DuckDB 1.4.4): the httpfs wheel must be the same version.
DUCKDB_VERSION := $(shell sed -n 's:.*<duckdb.version>\([0-9]*\.[0-9]*\.[0-9]*\)\.[0-9]*</duckdb.version>.*:\1:p' pom.xml)
HTTPFS = $(TOOLS)/duckdb-extensions/v$(DUCKDB_VERSION)/httpfs.duckdb_extension

.PHONY: demo test build bench bench-old-stack bench-dashboard models tools browser duckdb-httpfs clean

## Build the launcher and run the job over the bundled sample into ./lake, then print a summary.
demo: build duckdb-httpfs
	bin/tidings demo

## Every test: unit, MiniCluster end to end, failure/restore, kill -9 + resume, bad input, S3, Glue, AWS template.
test: tools
	TIDINGS_REQUIRE_TOOLS=1 $(MVN) verify

build:
	$(MVN) -q package -DskipTests

tools: $(TOOLS)/cfn-venv/bin/cfn-lint $(TOOLS)/moto-venv/bin/moto_server $(TOOLS)/training-venv/.installed browser duckdb-httpfs

duckdb-httpfs: $(HTTPFS)

$(HTTPFS):
	dashboard/fetch-httpfs.sh $(DUCKDB_VERSION) $(TOOLS)/duckdb-extensions

# Debian's own chromium and its matching chromedriver (Selenium is pointed at both, so it never
# downloads a browser), and qemu-user (an emulated older CPU for the model's parity check).
# Installed only when missing; apt-get needs root, or sudo.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/qemu-x86_64 ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver qemu-user; \
	fi

$(TOOLS)/cfn-venv/bin/cfn-lint:
	python3 -m venv $(TOOLS)/cfn-venv
	$(TOOLS)/cfn-venv/bin/pip install -q --disable-pip-version-check cfn-lint==$(CFN_LINT_VERSION)

# Reinstalled when the pinned requirements change; models/training/build.sh uses the same venv.
$(TOOLS)/training-venv/.installed: models/training/requirements.txt
	[ -x $(TOOLS)/training-venv/bin/python ] || python3 -m venv $(TOOLS)/training-venv
	$(TOOLS)/training-venv/bin/pip install -q --disable-pip-version-check -r models/training/requirements.txt
	touch $@

$(TOOLS)/moto-venv/bin/moto_server:
	python3 -m venv $(TOOLS)/moto-venv
	$(TOOLS)/moto-venv/bin/pip install -q --disable-pip-version-check 'moto[server]==$(MOTO_VERSION)'

## Benchmarks that print figures: end to end (file → enrichment → committed Parquet) over 100,000 posts
## at parallelism 1 and 2 (whole run, steady state, start-up, CPU, peak RSS), enrichment alone, and their ratio.
bench: build
	bench/run-e2e.sh

## Our enrichment vs. models the size of the old pipeline's (exported once, 2.7 GB, with the training venv).
bench-old-stack: build tools
	bench/run-old-stack.sh

## Dashboard answer times (median, p95; uncached and cached) over a synthetic lake of 1,000,000 posts.
bench-dashboard: build
	bench/run-dashboard.sh

## Rebuild the bundled model from ../shared (Python; three training runs averaged, about 2.5 hours on 2 CPU cores).
models:
	bash models/training/build.sh

clean:
	$(MVN) -q clean
