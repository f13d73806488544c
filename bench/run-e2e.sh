#!/usr/bin/env bash
# Benchmarks that print figures (never timed tests). One JVM per run so each peak-RSS figure is
# that run's own.
#   e2e:        file → normalize → de-duplicate → enrich → committed Parquet, parallelism 1 and 2:
#               whole-run and steady-state posts/s (steady: from the first post written to the end),
#               start-up, CPU cores busy, peak RSS
#   enrichment: language, model and full enrichment alone, 2 workers × 1 ONNX Runtime thread, after one
#               untimed round of each (steady state)
#   ratio:      the job's steady state over enrichment alone (how much of the machine the rest of the job costs)
# Usage: bench/run-e2e.sh [POSTS] [PARALLELISM...]   (default 100000 posts, parallelism 1 2)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
cp="target/classes:$(cat target/classpath.txt)"
export FLINK_PLUGINS_DIR="$home/job/target/plugins"
posts="${1:-100000}"
shift || true
if [[ $# -gt 0 ]]; then levels=("$@"); else levels=(1 2); fi
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for p in "${levels[@]}"; do
  java -Xmx2g -XX:+UseParallelGC -cp "$cp" io.tidings.bench.EndToEndBenchmark "$p" "$posts" 2>/dev/null | grep '^e2e' | tee -a "$out"
done
# 512 MB of heap: enrichment needs far less, and a larger heap only fills with garbage between collections
# (peak RSS ~1.0 GB at -Xmx2g, ~0.4 GB here, at the same speed). 8,192 posts: a steadier figure than a few seconds of work.
java -Xmx512m -XX:+UseParallelGC -cp "$cp" io.tidings.bench.EnrichmentBenchmark classpath:tweet-multitask 8192 2 1 2>/dev/null \
  | grep '^enrichment' | tee -a "$out"
full="$(grep -o 'full_per_s=[0-9]*' "$out" | tail -1 | cut -d= -f2)"
grep '^e2e' "$out" | while read -r line; do
  p="$(grep -o 'parallelism=[0-9]*' <<< "$line" | cut -d= -f2)"
  steady="$(grep -o 'steady_posts_per_s=[0-9]*' <<< "$line" | cut -d= -f2)"
  awk -v p="$p" -v s="$steady" -v f="$full" 'BEGIN { printf "ratio parallelism=%s job_steady_over_enrichment_alone=%.2f\n", p, s / f }'
done
