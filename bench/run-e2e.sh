#!/usr/bin/env bash
# End-to-end benchmark: one JVM per parallelism so each peak-RSS figure is its own.
# Usage: bench/run-e2e.sh [POSTS]   (default 20000). Prints one line per run.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
cp="target/classes:$(cat target/classpath.txt)"
for p in 1 2; do
  java -Xmx2g -XX:+UseParallelGC -cp "$cp" io.tidings.bench.EndToEndBenchmark "$p" "${1:-20000}" 2>/dev/null | grep '^e2e'
done
