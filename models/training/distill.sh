#!/usr/bin/env bash
# Two tiers of tweet-multitask distilled from a 12-layer teacher (issue 15): the teacher is bge-small-en-v1.5
# fine-tuned on the same tasks; its answers on every tweet text in ../shared (labelled and unlabelled) teach the
# students: fast = MiniLM's first 3 layers (models/bundled/tweet-multitask), accurate = all 6 of MiniLM's layers
# (models/bundled/tweet-multitask-accurate). All runs choose their checkpoint on the time-shifted dev split
# (the 2016 SemEval test file), as held-out data is later than the training data.
#
#   bash models/training/distill.sh
#
# On a GPU (CUDA visible to PyTorch) every step runs there: minutes. On 2 CPU cores it still runs: the teacher
# about 1.5 hours a pass over the data, the targets 15 minutes, each student 1–2 hours.
# Env: as build.sh (TIDINGS_TRAINING_VENV, TIDINGS_CACHE); TEACHER_ARGS / STUDENT_ARGS override the runs' arguments;
# SKIP_TEACHER=1 reuses $TIDINGS_CACHE/tweet-multitask/best_teacher.pt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/venv.sh"
"$PY" convert_encoder.py --encoder minilm
"$PY" convert_encoder.py --encoder bge-small
if [ "${SKIP_TEACHER:-0}" != "1" ]; then
  read -ra T_ARGS <<< "${TEACHER_ARGS:---epochs 3 --lr 5e-5 --warmup 0.06 --ner-repeat 4 --max-minutes 600 --eval-at 0.33,0.5,0.67,0.83,1.0}"
  "$PY" train.py --encoder bge-small --sentiment-dev time "${T_ARGS[@]}" --tag _teacher
fi
"$PY" teacher_targets.py --ckpt "$W/best_teacher.pt" --out "$W/teacher_targets.pt" --sentiment-dev time
read -ra S_ARGS <<< "${STUDENT_ARGS:---epochs 4 --lr 1e-4 --warmup 0.05 --ner-repeat 4 --unlabelled-repeat 1 --kd-alpha 0.7 --kd-temp 2 --max-minutes 600 --eval-at 0.25,0.5,0.75,1.0}"
"$PY" train.py --encoder minilm --layers 0,1,2 --sentiment-dev time --kd "$W/teacher_targets.pt" "${S_ARGS[@]}" --tag _fast
"$PY" train.py --encoder minilm --sentiment-dev time --kd "$W/teacher_targets.pt" "${S_ARGS[@]}" --tag _accurate
"$PY" export.py --ckpt "$W/best_fast.pt" --train-info "$W/best_fast.json" --sentiment-dev time
"$PY" export.py --ckpt "$W/best_accurate.pt" --train-info "$W/best_accurate.json" --sentiment-dev time \
  --bundle "$HERE/../bundled/tweet-multitask-accurate" --name tweet-multitask-accurate
echo "bundles written: models/bundled/tweet-multitask (fast), models/bundled/tweet-multitask-accurate"
