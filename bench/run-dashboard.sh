#!/usr/bin/env bash
# Dashboard answer times over a synthetic lake of a million posts in the job's layout: one client
# uncached (median, p95), 20 concurrent clients (p50/p95/p99/max per endpoint) with a steady lake and
# while a commit lands (seconds until it is visible), the process's RSS. Prints figures; never a timed test.
# Usage: bench/run-dashboard.sh [POSTS] [LAKE_DIR] [CLIENTS] [SECONDS]   (default 1000000, a fresh
# temporary lake, 20, 20). The dashboard's DuckDB file goes next to the lake (LAKE_DIR-dashboard-cache)
# and is reused by the next run over the same lake. The JVMs' stderr goes to LAKE_DIR-bench.log.
# TIDINGS_DASHBOARD_MEMORY sets its memory_limit (384MB, as `bin/tidings serve`).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
# The run keeps its own copy of the project's classes and jars: a build while it runs (it may run for
# an hour over ten million posts) would otherwise change the code under measurement mid-run.
snapshot="$(mktemp -d -t tidings-bench-classes.XXXXXX)"
trap 'rm -rf "$snapshot"' EXIT
cp -r target/classes "$snapshot/classes"
cp="$snapshot/classes"
IFS=: read -ra entries <<< "$(cat target/classpath.txt)"
for entry in "${entries[@]}"; do
  if [[ "$entry" == "$home"/* ]]; then
    mkdir -p "$snapshot/jars/$(dirname "${entry#$home/}")"
    cp "$entry" "$snapshot/jars/${entry#$home/}"
    entry="$snapshot/jars/${entry#$home/}"
  fi
  cp="$cp:$entry"
done
posts="${1:-1000000}"
lake="${2:-$(mktemp -d -t tidings-dashboard-bench.XXXXXX)/lake}"
# The JVMs' stderr (stack traces, DuckDB's errors, log lines) goes to a log next to the lake, not to
# /dev/null: a run that dies says why. The figures (lines starting "dashboard") go to stdout.
log="$lake-bench.log"
mkdir -p "$(dirname "$lake")"
: > "$log"
# Runs one JVM, keeping its stderr in the log and printing its figures; a JVM that fails or prints
# no figures ends the script with its exit status, the log's last lines and where the log is.
run_java() {
  local out status figures
  out="$(mktemp)"
  set +e
  java "$@" 2>>"$log" | tee "$out" | grep --line-buffered '^dashboard'
  status=${PIPESTATUS[0]}
  set -e
  figures="$(grep -c '^dashboard' "$out" || true)"
  grep -v '^dashboard' "$out" >> "$log" || true
  rm -f "$out"
  if (( status != 0 || figures == 0 )); then
    echo "run-dashboard: the benchmark JVM ended with exit status $status and $figures lines of figures; the end of its log:" >&2
    tail -n 30 "$log" >&2
    echo "run-dashboard: full log: $log" >&2
    exit $(( status != 0 ? status : 1 ))
  fi
}
if [[ ! -d "$lake/posts" ]]; then
  # The lake is written by a process of its own: what DuckDB used to generate it stays out of the RSS below.
  run_java -Xmx512m -cp "$cp" io.tidings.bench.DashboardBenchmark write "$posts" "$lake"
fi
# The server runs in a JVM of its own (started by the benchmark, so its RSS is the server's alone)
# with the options of `bin/tidings serve` (its launcher says why): the lake lives in DuckDB (native
# memory, bounded by its memory_limit), not in Java. This JVM holds the 20 clients.
server_opts="$(sed -n 's/^serve_java_opts="\(.*\)"$/\1/p' "$home/bin/tidings")"
[[ -n "$server_opts" ]] || { echo "run-dashboard: no serve_java_opts line in bin/tidings" >&2; exit 1; }
run_java -Xmx1g -Dtidings.serverOptions="$server_opts" \
  -Dtidings.memoryLimit="${TIDINGS_DASHBOARD_MEMORY:-384MB}" -cp "$cp" \
  io.tidings.bench.DashboardBenchmark "$posts" "$lake" "${@:3}"
echo "run-dashboard: log of the run: $log" >&2
