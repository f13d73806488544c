#!/usr/bin/env bash
# Our full enrichment vs. a model stack the size of the old pipeline's (RoBERTa-base sentiment +
# XLM-R-large NER, random weights), same posts, same 2 workers, one run; prints both and the ratio.
# The two old-sized models (0.5 GB and 2.2 GB) are exported once into ~/.cache/tidings/old-stack by
# models/training/export_hf.py --random (needs the training venv: `make tools`).
# Usage: bench/run-old-stack.sh [POSTS]   (default 256)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${TIDINGS_TRAINING_VENV:-$HOME/.cache/tidings/training-venv}"
models="${TIDINGS_CACHE:-$HOME/.cache/tidings}/old-stack"
for preset in roberta-base-sentiment xlm-roberta-large-ner; do
  if [[ ! -f "$models/$preset/config.json" ]]; then
    "$venv/bin/python" "$home/models/training/export_hf.py" "$models/$preset" --random "$preset" \
      --tokenizer "$home/models/bundled/tweet-multitask/tokenizer.json"
  fi
done
cd "$home/bench"
[[ -f target/classpath.txt ]] || (cd "$home" && mvn -q -B package -DskipTests)
java -Xmx2g -XX:+UseParallelGC -cp "target/classes:$(cat target/classpath.txt)" io.tidings.bench.OldStackBenchmark \
  "$models/roberta-base-sentiment" "$models/xlm-roberta-large-ner" "${1:-256}" 2 2>/dev/null | grep '^old-stack'
