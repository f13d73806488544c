"""Average the weights of training runs of the same model shape: a uniform "model soup" (Wortsman et al., ICML 2022).

Runs fine-tuned from the same pretrained weights with different seeds or data augmentation land in one basin of the
loss, so their mean is a model too, usually better than each run alone, at no cost at inference time.
Writes OUT.pt, OUT.config.json (the runs' shape) and OUT.json (the runs' own best*.json, under "soup_of"), which
export.py reads like any run's.

Usage: python soup.py OUT.pt RUN1.pt RUN2.pt [...]
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import torch

from train import checkpoint_config


def main(out, runs):
    states = [torch.load(r, map_location="cpu") for r in runs]
    configs = {checkpoint_config(r).read_text() for r in runs}
    if len(configs) != 1 or any(s.keys() != states[0].keys() for s in states):
        sys.exit(f"cannot average {runs}: the runs differ in shape")
    soup = {k: torch.stack([s[k].float() for s in states]).mean(0).to(states[0][k].dtype)
            if states[0][k].is_floating_point() else states[0][k] for k in states[0]}
    torch.save(soup, out)
    shutil.copyfile(checkpoint_config(runs[0]), checkpoint_config(out))
    infos = [json.load(open(Path(r).with_suffix(".json"))) for r in runs]
    json.dump({"soup_of": [{"checkpoint": str(r)} | info for r, info in zip(runs, infos)],
               "args": infos[0]["args"], "sizes": infos[0].get("sizes"),
               "train_minutes": round(sum(i.get("train_minutes") or 0 for i in infos), 1)},
              open(Path(out).with_suffix(".json"), "w"), indent=1)
    print(f"{out}: mean of {len(runs)} runs")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
