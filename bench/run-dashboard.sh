#!/usr/bin/env bash
# Dashboard answer times over a synthetic lake of a million posts in the job's layout: one client
# uncached (median, p95), 20 concurrent clients (p50/p95/p99/max per endpoint) with a steady lake and
# while a commit lands (seconds until it is visible), the process's RSS. Prints figures; never a timed test.
# Usage: bench/run-dashboard.sh [POSTS] [LAKE_DIR] [CLIENTS] [SECONDS]   (default 1000000, a fresh
# temporary lake, 20, 20). The dashboard's DuckDB file goes next to the lake (LAKE_DIR-dashboard-cache)
# and is reused by the next run over the same lake. TIDINGS_DASHBOARD_MEMORY sets its memory_limit (512MB).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
cp="target/classes:$(cat target/classpath.txt)"
posts="${1:-1000000}"
lake="${2:-$(mktemp -d -t tidings-dashboard-bench.XXXXXX)/lake}"
if [[ ! -d "$lake/posts" ]]; then
  # The lake is written by a process of its own: what DuckDB used to generate it stays out of the RSS below.
  java -Xmx512m -cp "$cp" io.tidings.bench.DashboardBenchmark write "$posts" "$lake" 2>/dev/null | grep '^dashboard'
fi
# A small heap: the lake lives in DuckDB (native memory, bounded by its memory_limit), not in Java.
java -Xmx512m -XX:+UseParallelGC -Dtidings.memoryLimit="${TIDINGS_DASHBOARD_MEMORY:-512MB}" -cp "$cp" \
  io.tidings.bench.DashboardBenchmark "$posts" "$lake" "${@:3}" 2>/dev/null | grep '^dashboard'
