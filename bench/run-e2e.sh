#!/usr/bin/env bash
# Benchmarks that print figures (never timed tests). One JVM per run so each peak-RSS figure is
# that run's own.
#   e2e:        file → normalize → de-duplicate → enrich → committed Parquet, parallelism 1 and 2
#   enrichment: language, model and full enrichment alone, 2 workers × 1 ONNX Runtime thread, after one
#               untimed round of each (steady state)
# Usage: bench/run-e2e.sh [POSTS]   (default 10000)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
cp="target/classes:$(cat target/classpath.txt)"
export FLINK_PLUGINS_DIR="$home/job/target/plugins"
for p in 1 2; do
  java -Xmx2g -XX:+UseParallelGC -cp "$cp" io.tidings.bench.EndToEndBenchmark "$p" "${1:-10000}" 2>/dev/null | grep '^e2e'
done
# 512 MB of heap: enrichment needs far less, and a larger heap only fills with garbage between collections
# (peak RSS ~1.0 GB at -Xmx2g, ~0.4 GB here, at the same speed). 8,192 posts: a steadier figure than a few seconds of work.
java -Xmx512m -XX:+UseParallelGC -cp "$cp" io.tidings.bench.EnrichmentBenchmark classpath:tweet-multitask 8192 2 1 2>/dev/null \
  | grep '^enrichment'
