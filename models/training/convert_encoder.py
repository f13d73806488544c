"""Rebuild a PyTorch BertModel from an encoder's ONNX export (all-MiniLM-L6-v2, or bge-small-en-v1.5 with
--encoder bge-small) and verify it.

Biases and LayerNorm weights keep their HF names in the ONNX graph; every Linear weight is an
anonymous initializer (`onnx::MatMul_NNNN`), stored transposed (in x out), consumed by the MatMul
node named after its module (`/encoder/layer.0/attention/self/query/MatMul`).

Writes $CACHE/tweet-multitask/encoder_init.pt (state dict; bge-small: $CACHE/tweet-multitask/bge-small/) and exits
non-zero on any mismatch.
"""
from __future__ import annotations

import json
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from transformers import BertConfig, BertModel

from common import ENCODERS, encoder_dir, encoder_work, load_tokenizer


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


def build_state_dict(onnx_path):
    m = onnx.load(str(onnx_path))
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    sd = {}
    for name, arr in inits.items():
        if not name.startswith("onnx::"):
            sd[name] = torch.from_numpy(arr.copy())
    for node in m.graph.node:
        if node.op_type != "MatMul":
            continue
        w = [i for i in node.input if i in inits]
        if not w:
            continue  # activation x activation (attention scores)
        assert len(w) == 1, node.name
        mod = node.name.strip("/").rsplit("/", 1)[0].replace("/", ".")
        key = mod + ".weight"
        sd[key] = torch.from_numpy(inits[w[0]].T.copy())
    # strip a possible leading "bert." or "0.auto_model." prefix
    sd = {k.split("auto_model.")[-1]: v for k, v in sd.items()}
    return m, sd


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", default="minilm", choices=sorted(ENCODERS),
                    help="minilm (the students' start) or bge-small (the 12-layer teacher's, distill.sh)")
    args = ap.parse_args()
    ENCODER_DIR = encoder_dir(args.encoder)
    WORK = encoder_work(args.encoder)
    cfg_d = json.load(open(ENCODER_DIR / "config.json"))
    config = BertConfig(**cfg_d)
    m, sd = build_state_dict(ENCODER_DIR / "model.onnx")

    # config vs graph
    checks = {
        "vocab_size": sd["embeddings.word_embeddings.weight"].shape[0],
        "hidden_size": sd["embeddings.word_embeddings.weight"].shape[1],
        "max_position_embeddings": sd["embeddings.position_embeddings.weight"].shape[0],
        "type_vocab_size": sd["embeddings.token_type_embeddings.weight"].shape[0],
        "intermediate_size": sd["encoder.layer.0.intermediate.dense.weight"].shape[0],
        "num_hidden_layers": len({k.split(".")[2] for k in sd if k.startswith("encoder.layer.")}),
    }
    for k, v in checks.items():
        if getattr(config, k) != v:
            fail(f"config.json {k}={getattr(config, k)} but graph has {v}")
    eps = [a.f for n in m.graph.node if n.op_type == "LayerNormalization" for a in n.attribute if a.name == "epsilon"]
    if eps and any(abs(e - config.layer_norm_eps) > 1e-15 for e in eps):
        print("note: graph LayerNorm epsilon", set(eps), "config", config.layer_norm_eps)
    print("config checks ok:", checks)
    # num_attention_heads / hidden_act / eps are checked numerically below (outputs must match)

    model = BertModel(config, add_pooling_layer=False)
    own = model.state_dict()
    # buffers (position_ids) and an unused pooler are not parameters of our encoder
    sd = {k: v for k, v in sd.items() if not k.endswith("position_ids") and not k.startswith("pooler.")}
    missing = [k for k in own if k not in sd and not k.endswith("position_ids")]
    unexpected = [k for k in sd if k not in own]
    if missing or unexpected:
        fail(f"missing={missing} unexpected={unexpected}")
    for k in sd:
        if tuple(sd[k].shape) != tuple(own[k].shape):
            fail(f"shape {k}: {tuple(sd[k].shape)} vs {tuple(own[k].shape)}")
    model.load_state_dict(sd, strict=False)
    model.eval()

    tok = load_tokenizer(ENCODER_DIR / "tokenizer.json")
    sess = ort.InferenceSession(str(ENCODER_DIR / "model.onnx"), providers=["CPUExecutionProvider"])
    texts = ["Gas by my house hit $3.39!!!! I'm going to Chapel Hill on Sat. :)",
             "@united worst airline ever #fail http://t.co/xyz",
             "ok",
             "Angela Merkel meets Emmanuel Macron in Paris today to discuss the EU budget."]
    worst = 0.0
    for t in texts:
        e = tok.encode(t)
        feeds = {"input_ids": np.array([e.ids], dtype=np.int64),
                 "attention_mask": np.array([e.attention_mask], dtype=np.int64),
                 "token_type_ids": np.array([e.type_ids], dtype=np.int64)}
        ref = sess.run(None, feeds)[0]
        with torch.no_grad():
            out = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).last_hidden_state.numpy()
        d = float(np.abs(out - ref).max())
        worst = max(worst, d)
        print(f"max|diff|={d:.2e}  {t[:50]!r}")
    if worst >= 1e-4:
        fail(f"PyTorch rebuild differs from ONNX encoder: {worst}")
    WORK.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), WORK / "encoder_init.pt")
    json.dump(config.to_dict(), open(WORK / "encoder_config.json", "w"), indent=1)
    print(f"OK: encoder rebuilt, worst diff {worst:.2e}; saved {WORK / 'encoder_init.pt'}")


if __name__ == "__main__":
    main()
