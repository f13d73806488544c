#!/usr/bin/env bash
# Rebuilds models/bundled/tweet-multitask from /work/shared (or $TIDINGS_SHARED).
#   bash models/training/build.sh            # venv + convert + train + export/quantize + parity + model card
# Env: TIDINGS_TRAINING_VENV (default ~/.cache/tidings/training-venv), TIDINGS_CACHE (default ~/.cache/tidings),
#      STAGE1_ARGS / STAGE2_ARGS (override train.py args of the two stages), SKIP_TRAIN=1 (export only).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${TIDINGS_TRAINING_VENV:-$HOME/.cache/tidings/training-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
PY="$VENV/bin/python"
cd "$HERE"
"$PY" convert_encoder.py
W="${TIDINGS_CACHE:-$HOME/.cache/tidings}/tweet-multitask"
if [ "${SKIP_TRAIN:-0}" != "1" ]; then
  # Stage 1 (~21 min): balanced multi-task mix (NER data twice per epoch), stopped at half of its schedule.
  # shellcheck disable=SC2086
  "$PY" train.py ${STAGE1_ARGS:---epochs 2 --lr 8e-5 --ner-repeat 2 --max-minutes 38 --eval-at 0.5 --stop-at 0.5 --tag _stage1}
  # Stage 2 (~20 min): continue with a NER-heavier mix (NER data 5x per epoch, ~half the batches), LR decays to 0.
  # shellcheck disable=SC2086
  "$PY" train.py --init-from "$W/best_stage1.pt" ${STAGE2_ARGS:---epochs 2 --lr 6e-5 --warmup 0.03 --ner-repeat 5 --eval-at 1.0 --max-minutes 20 --tag _stage2}
fi
"$PY" export.py --ckpt "$W/best_stage2.pt" --train-info "$W/best_stage2.json"
echo "bundle written to $(cd "$HERE/../bundled/tweet-multitask" && pwd)"
