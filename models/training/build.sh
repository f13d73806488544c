#!/usr/bin/env bash
# Rebuilds models/bundled/tweet-multitask from /work/shared (or $TIDINGS_SHARED).
#   bash models/training/build.sh            # venv + convert + train + export/fuse/quantize + parity + model card + heads
# Env: TIDINGS_TRAINING_VENV (default ~/.cache/tidings/training-venv), TIDINGS_CACHE (default ~/.cache/tidings),
#      TRAIN_ARGS (override the runs' shared train.py arguments), SKIP_TRAIN=1 (average and export the existing runs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/venv.sh"
"$PY" convert_encoder.py
if [ "${SKIP_TRAIN:-0}" != "1" ]; then
  # Three runs of ~45 min each on 2 cores, then their weights averaged (soup.py). Each run: the first 3 of
  # MiniLM-L6's 6 layers, sentiment + entities (NER data 4x per epoch), casing as token types, on a 9,456-step
  # schedule stopped at its half: in a full run dev scores peaked there (sentiment 0.717, BTC F1 0.593) and fell
  # at 70% and 85% (0.699/0.583, 0.705/0.573), overfitting. The first shipped run had an 88-minute wall-time
  # schedule (--epochs 8 --max-minutes 88), which came to these 9,456 steps on this machine; a step count
  # (--epochs 3.513, time budget out of reach) gives any machine, slower or faster, the same schedule.
  # The runs differ in seed (13, 2) and, in the third, mention replacement (--augment 0.3). Scored as `tidings eval`
  # scores (fp32), BTC dev F1 reads 0.690 / 0.688 / 0.696 for the runs alone and 0.701 for their average
  # (models/training/README.md).
  read -ra RUN_ARGS <<< "${TRAIN_ARGS:---layers 0,1,2 --epochs 3.513 --lr 1e-4 --warmup 0.05 --ner-repeat 4 --max-minutes 300 --eval-at 0.3,0.4,0.5 --stop-at 0.5}"
  "$PY" train.py "${RUN_ARGS[@]}" --seed 13 --tag _l3
  "$PY" train.py "${RUN_ARGS[@]}" --seed 2 --tag _l3s2
  "$PY" train.py "${RUN_ARGS[@]}" --seed 13 --augment 0.3 --tag _aug
fi
"$PY" soup.py "$W/best_soup.pt" "$W/best_l3.pt" "$W/best_l3s2.pt" "$W/best_aug.pt"
"$PY" export.py --ckpt "$W/best_soup.pt" --train-info "$W/best_soup.json"
# Issue 21's heads (emotion, hate, irony, offensive): a one-layer branch over the student's layers 0-1, started from
# its own layer 2, its feed-forward part run once per post on the pooled vector (--pool-first: the branch costs about a
# third of a layer), the heads also reading the student's pooled vector. The emotion head, with the least data, also
# learns from a teacher (bge-small-en-v1.5 fine-tuned on the same 90% of emotion's train split, ~15 minutes on 2 cores)
# over 40,000 tweets without an emotion label. Two seeds (about 5 minutes each on 2 quiet cores), their mean merged
# into the bundle's model.onnx (train_heads.py; the student's outputs stay bit for bit).
"$PY" convert_encoder.py --encoder bge-small
"$PY" emotion_teacher.py --out "$W/emotion_teacher.pt"
for seed in 13 2; do
  "$PY" train_heads.py --depth 1 --init student --reads-student --pool-first --kd "$W/emotion_teacher.pt" --epochs 4 \
    --seed "$seed" --out "$W/heads-seed$seed"
done
"$PY" train_heads.py --soup "$W"/heads_branch_d1_student_pooled_poolfirst_kd_seed{13,2}.pt --calibrate
echo "bundle written to $(cd "$HERE/../bundled/tweet-multitask" && pwd)"
