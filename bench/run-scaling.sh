#!/usr/bin/env bash
# How the job scales with cores, for a machine with many (bench/run-e2e.sh is the 2-core one). A run
# of parallelism p gets p cores of its own (taskset) and p model workers, as p KPUs of Managed Flink,
# or p one-core TaskManager slots, would: end to end (file -> committed Parquet, EndToEndBenchmark)
# and enrichment alone (EnrichmentBenchmark, which first prints the model's parity on this CPU).
# Levels above the machine's cores are skipped.
#   Usage: bench/run-scaling.sh [POSTS_PER_CORE] [LEVEL...]      (default 20000; 1 2 4 8 16)
#   End to end runs POSTS_PER_CORE x p posts (at most MAX_POSTS, 100000): a minute or two each, the
#   steady state measured from the first post written, so start-up is not in the figure.
#   CONCURRENT=1 runs levels that fit side by side on disjoint cores at once (1, 2, 4 and 8 on 16
#   cores), for a machine lent by the minute: the figures then share the memory bandwidth and caches.
#   JAVA, CP (a classpath) and FLINK_PLUGINS_DIR may be set for a machine without Maven; LOG_DIR keeps
#   each run's stderr (else dropped).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
java="${JAVA:-java}"
if [[ -z "${CP:-}" ]]; then
  [[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
  CP="target/classes:$(cat target/classpath.txt)"
fi
export FLINK_PLUGINS_DIR="${FLINK_PLUGINS_DIR:-$home/job/target/plugins}"
per_core="${1:-20000}"
shift || true
if [[ $# -gt 0 ]]; then levels=("$@"); else levels=(1 2 4 8 16); fi
max_posts="${MAX_POSTS:-100000}"
cores="$(nproc --all)"
for n in "$per_core" "$max_posts" "${levels[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "run-scaling: '$n' is not a positive whole number (usage: bench/run-scaling.sh [POSTS_PER_CORE] [LEVEL...])" >&2; exit 2; }
done
command -v taskset >/dev/null || { echo "run-scaling: taskset (util-linux) is needed to give each run its own cores" >&2; exit 2; }
failures="$(mktemp)"
trap 'rm -f "$failures"' EXIT

# Runs one benchmark JVM; a run that prints no figures says why (the end of its stderr) and is
# counted, so the script ends with a non-zero status.
measure() { # name, figure pattern, command...
  local name="$1" pattern="$2" err
  shift 2
  err="${LOG_DIR:+$LOG_DIR/$name.log}"
  err="${err:-$(mktemp)}"
  if ! "$@" 2>"$err" | grep -E "$pattern"; then
    echo "$name failed; the end of its stderr:" >&2
    grep -v '^WARNING' "$err" | tail -n 5 >&2
    echo "$name" >> "$failures"
  fi
  [[ -n "${LOG_DIR:-}" ]] || rm -f "$err"
}

one_level() { # p, first core: end to end, then enrichment alone, on cores first..first+p-1
  local p="$1" first="$2" posts=$(( $1 * per_core ))
  (( posts > max_posts )) && posts="$max_posts"
  local on="taskset -c $first-$(( first + p - 1 ))"
  measure "e2e-$p" '^e2e' $on "$java" -Xmx3g -XX:+UseParallelGC -XX:ParallelGCThreads="$p" -cp "$CP" \
    io.tidings.bench.EndToEndBenchmark "$p" "$posts" "$p"
  local texts=$(( 2048 * p ))
  (( texts > 16384 )) && texts=16384
  measure "enrichment-$p" '^(enrichment|parity)' $on "$java" -Xmx1g -XX:+UseParallelGC -XX:ParallelGCThreads="$p" -cp "$CP" \
    io.tidings.bench.EnrichmentBenchmark classpath:tweet-multitask "$texts" "$p" 1 | sed "s/^/cores=$p /"
}

echo "machine cores=$cores cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\" concurrent=${CONCURRENT:-0}"
next=0
for p in "${levels[@]}"; do
  (( p > cores )) && { echo "level $p skipped: $cores cores"; continue; }
  if [[ "${CONCURRENT:-0}" == 1 ]]; then
    (( next + p > cores )) && { wait; next=0; }
    one_level "$p" "$next" &
    next=$(( next + p ))
  else
    one_level "$p" 0
  fi
done
wait
if [[ -s "$failures" ]]; then
  echo "run-scaling: $(wc -l < "$failures") run(s) failed: $(tr '\n' ' ' < "$failures")" >&2
  exit 1
fi
