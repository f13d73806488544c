#!/usr/bin/env bash
# Importing a research archive that spans years, in the JVM bin/tidings starts (-Xmx3g): posts/s,
# peak RSS, Parquet files written, every post once. Figures, never a timed test.
# Usage: bench/run-import-archive.sh [POSTS] [YEARS] [hour|day] [time|random] [MAX_OPEN_PARTITIONS]
#        (default 1000000 5 day time: about 45 minutes on 2 cores)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
cp="target/classes:$(cat target/classpath.txt)"
export FLINK_PLUGINS_DIR="$home/job/target/plugins"
java -Xmx3g -XX:+UseParallelGC -cp "$cp" io.tidings.bench.ArchiveImportBenchmark "${1:-1000000}" "${2:-5}" "${3:-day}" "${4:-time}" ${5:-} \
  2>/dev/null | grep '^archive'
