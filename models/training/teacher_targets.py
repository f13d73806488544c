"""The teacher's answers for every text the students learn from: sentiment logits and per-token entity logits of a
trained checkpoint (train.py --encoder bge-small, the 12-layer teacher) over the sentiment training tweets, the
entity training sentences and the unlabelled tweets (common.load_unlabelled), never the dev sets. Saved as one
dict {train.item_key(token ids): (sentiment logits [3], entity logits [tokens, 7])} in float16 for
train.py --kd FILE. The teacher runs once here instead of on every student step (distill.sh).
"""
from __future__ import annotations

import argparse
import time

import torch

from common import load_tokenizer
from model import TweetMultiTask, load_config
from train import (checkpoint_config, encode_ner, item_key, load_dev_texts, log, prepare, to_inputs,
                   unlabelled_items)


@torch.no_grad()
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True, help="the teacher's best*.pt (its .config.json beside it)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--sentiment-dev", default="time", choices=["random", "time"],
                    help="the dev split the students will choose on: its texts get no targets")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--bs", type=int, default=128)
    ap.add_argument("--limit", type=int, default=0, help="only the first N items of each kind (smoke test)")
    args = ap.parse_args()
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available()
                          else "cpu" if args.device == "auto" else args.device)
    tok = load_tokenizer()
    s_train, _, n_sentences, _, _ = prepare(tok, args.sentiment_dev)
    dev_texts = set(load_dev_texts(args.sentiment_dev))
    kinds = {"sentiment": [it[0] for it in s_train], "entities": [it[0] for it in encode_ner(tok, n_sentences)],
             "unlabelled": [it[0] for it in unlabelled_items(tok, dev_texts)]}
    model = TweetMultiTask(load_config(checkpoint_config(args.ckpt)))
    model.load_state_dict(torch.load(args.ckpt, map_location="cpu"))
    model.to(device).eval()
    targets, t0 = {}, time.time()
    for kind, items in kinds.items():
        items = items[:args.limit] if args.limit else items
        order = sorted(range(len(items)), key=lambda i: len(items[i]))
        for b in range(0, len(order), args.bs):
            batch = [items[i] for i in order[b:b + args.bs]]
            ids, mask, tt = (x.to(device) for x in to_inputs(batch))
            sl, el = model(ids, mask, tt)
            sl, el = sl.half().cpu(), el.half().cpu()
            for j, item in enumerate(batch):
                # tensors, not numpy arrays: torch.load's safe (weights-only) unpickler reads them back
                targets[item_key(item)] = (sl[j].clone(), el[j, :len(item)].clone())
        log(f"teacher targets: {kind} {len(items)} items ({time.time() - t0:.0f}s)")
    torch.save(targets, args.out)
    log(f"wrote {len(targets)} targets to {args.out}")


if __name__ == "__main__":
    main()
