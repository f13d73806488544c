#!/usr/bin/env bash
# Rebuilds models/bundled/tweet-multitask from /work/shared (or $TIDINGS_SHARED).
#   bash models/training/build.sh            # venv + convert + train + export/quantize + parity + model card
# Env: TIDINGS_TRAINING_VENV (default ~/.cache/tidings/training-venv), TIDINGS_CACHE (default ~/.cache/tidings),
#      TRAIN_ARGS (extra args for train.py; default matches the shipped model), SKIP_TRAIN=1 (export only).
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
if [ "${SKIP_TRAIN:-0}" != "1" ]; then
  # shellcheck disable=SC2086
  "$PY" train.py ${TRAIN_ARGS:---epochs 2 --lr 8e-5 --ner-repeat 2 --max-minutes 38}
fi
"$PY" export.py
echo "bundle written to $(cd "$HERE/../bundled/tweet-multitask" && pwd)"
