"""A teacher for the emotion head: bge-small-en-v1.5 (12 layers) fine-tuned on TweetEval emotion, and its answers
over tweets that have no emotion label, for train_heads.py --kd.

Why: the emotion head learns from 2,933 labelled tweets (90% of TweetEval's emotion train split) and stays a few
points under the issue's bar, where the other three heads, with 3-4x the data, clear theirs. A larger model
fine-tuned on the same tweets labels many more (the SemEval sentiment tweets and the other tasks' texts), and the
branch learns its answers too (knowledge distillation).

Held out as train_heads.py holds them: the teacher fits the same 90% of emotion's train split, chooses its epoch on
the same other 10% (seed 13), and gives no answers for those 10% or for emotion's val split, which judges the head.
TweetEval's test splits are not here and never read.

    python emotion_teacher.py [--epochs 4] [--out $TIDINGS_CACHE/tweet-multitask/emotion_teacher.pt]

Writes {text: probabilities over anger, joy, optimism, sadness (float16)} and the teacher's scores beside it.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time

import numpy as np
import torch
from torch import nn
from transformers import BertModel

from common import WORK, encoder_dir, encoder_work, load_sentiment, load_tokenizer, load_unlabelled
from model import load_config
from train_heads import TASKS, metric, read_task

LABELS = TASKS["emotion"]


class Teacher(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(config.hidden_size, len(LABELS))

    def forward(self, ids, mask):
        h = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
        return self.head(self.dropout(h[:, 0]))  # the [CLS] vector, as bge-small was trained to pool


def encode(tok, texts):
    return [tok.encode(t).ids for t in texts]


def collate(id_lists):
    T = max(len(x) for x in id_lists)
    ids = torch.zeros(len(id_lists), T, dtype=torch.int64)
    mask = torch.zeros(len(id_lists), T, dtype=torch.int64)
    for i, x in enumerate(id_lists):
        ids[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1
    return ids, mask


@torch.no_grad()
def probabilities(model, id_lists, bs=64):
    model.eval()
    order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
    out = [None] * len(id_lists)
    for s in range(0, len(order), bs):
        chunk = order[s:s + bs]
        p = model(*collate([id_lists[i] for i in chunk])).softmax(-1)
        for i, row in zip(chunk, p):
            out[i] = row
        if s // bs % 100 == 99:
            print(f"  {s + bs}/{len(order)}", flush=True)
    return torch.stack(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default=str(WORK / "emotion_teacher.pt"))
    ap.add_argument("--tweets", type=int, default=40000,
                    help="how many tweets to label: the other TweetEval tasks' and the raw v1.1 ones first (closest in"
                         " time and kind to emotion's), then SemEval sentiment's (labelling runs ~70 tweets/s on 2 cores)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = random.Random(args.seed)

    tok = load_tokenizer(encoder_dir("bge-small") / "tokenizer.json")
    model = Teacher(load_config(encoder_work("bge-small") / "encoder_config.json"))
    model.bert.load_state_dict(torch.load(encoder_work("bge-small") / "encoder_init.pt"))
    nn.init.normal_(model.head.weight, std=0.02)
    nn.init.zeros_(model.head.bias)

    texts, y = read_task("emotion", "train")
    perm = np.random.default_rng(13).permutation(len(y))  # train_heads.split_train's split
    inner_idx, fit_idx = perm[:len(y) // 10], perm[len(y) // 10:]
    fit = [(tok.encode(texts[i]).ids, int(y[i])) for i in fit_idx]
    inner_ids, inner_y = encode(tok, [texts[i] for i in inner_idx]), y[inner_idx]
    weights = torch.tensor(len(fit) / (len(LABELS) * np.bincount([l for _, l in fit], minlength=len(LABELS))),
                           dtype=torch.float32)

    steps_per_epoch = math.ceil(len(fit) / 32)
    total, warmup = steps_per_epoch * args.epochs, steps_per_epoch // 2
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / warmup if s < warmup else max(0.0, (total - s) / (total - warmup)))
    best, started = None, time.time()
    for epoch in range(args.epochs):
        model.train()
        order = sorted(fit, key=lambda it: len(it[0]) + rng.random() * 4)
        chunks = [order[s:s + 32] for s in range(0, len(order), 32)]
        rng.shuffle(chunks)
        for chunk in chunks:
            logits = model(*collate([ids for ids, _ in chunk]))
            loss = nn.functional.cross_entropy(logits, torch.tensor([l for _, l in chunk]), weight=weights)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
        score = metric("emotion", inner_y, probabilities(model, inner_ids).argmax(1).numpy())
        print(f"epoch {epoch + 1} ({time.time() - started:.0f} s): inner macro-F1 {score:.3f}", flush=True)
        if best is None or score > best[0]:
            best = (score, epoch + 1, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    val_texts, val_y = read_task("emotion", "val")
    val = metric("emotion", val_y, probabilities(model, encode(tok, val_texts)).argmax(1).numpy())
    print(f"kept epoch {best[1]}: inner {best[0]:.3f}, val {val:.3f} (val read for this report only)", flush=True)

    # Tweets without an emotion label: the teacher's answers are the targets. Emotion's val texts and the 10% that
    # choose the head's step get none (they judge the student); its 90% do (a soft target beside the gold one).
    held = set(val_texts) | {texts[i] for i in inner_idx}
    pool = list(dict.fromkeys(t for t in load_unlabelled(exclude=held) + [r[2] for r in load_sentiment()]
                              if t.strip() and t not in held))[:args.tweets]
    print(f"labelling {len(pool)} tweets", flush=True)
    probs = probabilities(model, encode(tok, pool)).to(torch.float16)
    torch.save({"labels": LABELS, "texts": pool, "probs": probs,
                "teacher": {"encoder": "bge-small-en-v1.5", "epoch": best[1], "inner": best[0], "val": val}}, args.out)
    json.dump({"inner": best[0], "val": val, "epoch": best[1], "texts": len(pool)},
              open(args.out.removesuffix(".pt") + ".json", "w"), indent=1)
    print(f"wrote {args.out} ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
