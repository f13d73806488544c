#!/usr/bin/env bash
# Dashboard answer times (median and p95 per endpoint, uncached and cached) over a synthetic lake
# of a million posts in the job's layout. Prints figures; never a timed test.
# Usage: bench/run-dashboard.sh [POSTS] [LAKE_DIR]   (default 1000000, a fresh temporary lake)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
cp="target/classes:$(cat target/classpath.txt)"
java -Xmx3g -XX:+UseParallelGC -cp "$cp" io.tidings.bench.DashboardBenchmark "$@" 2>/dev/null | grep '^dashboard'
