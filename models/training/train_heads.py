"""Issue 21's heads (emotion, hate, irony, offensive) as a branch of the bundled student, and their export into it.

The bundled student's sentiment and entity answers must not move (the lake, its rescores and the parity file
all depend on them), and the probe (``probe_heads.py``) showed heads over its frozen features fall 7-10 points
short. So the heads get their own top: the student's first two layers are shared and frozen, and a branch of
``--depth`` transformer layers (``--init student``: the first a copy of the student's own layer 2; else
all-MiniLM-L6-v2's layers 2, 3, ...) is fine-tuned for the four tasks together, with masked mean pooling and one
linear head per task (``--reads-student``: the heads also read the student's pooled vector). With ``--pool-first``
the last layer pools after its attention and runs its feed-forward part once per post, about a third of a layer's
cost. At run time the branch reads the same tensor the student's layer 2 reads, so one call of ``model.onnx``
answers everything.

Steps (all from ``../shared/datasets/tweeteval``, train and val only; TweetEval's test splits are never read):

1. The bundled graph, with layer 1's output as an extra output, runs every train/val text once; the
   hidden states are cached (``$TIDINGS_CACHE/tweet-multitask/heads_features.pt``). Training reads exactly
   what the runtime feeds the branch, int8 weights and all. With ``--kd FILE`` (``emotion_teacher.py``'s
   answers over tweets without an emotion label) those tweets are run too, and each epoch takes
   ``--kd-batches`` batches of them for the emotion head (cross-entropy against the teacher's probabilities).
2. The branch trains on 90% of each task's train split; after each half epoch the other 10% (seed 13, as
   the probe) is scored with TweetEval's metric, and the best mean over the four tasks is kept. ``--soup``
   averages trained branches, ``--calibrate`` shifts the heads' biases on the same 10%. Val is read once, at
   the end, for the report.
3. Export: the branch alone to ONNX (opset 17), its weight matrices stored as int8 with a per-output scale
   read through Cast and Mul (``quantize_weights``: activations stay float32 like the student's, so answers do
   not depend on the batch or the CPU), merged into the bundle's ``model.onnx`` after the student's nodes; the
   merged graph is checked to give the student's sentiment and entity logits bit for bit, and the heads the
   branch's logits to 0.1; ``config.json`` gains the four heads and their val metrics, under a new version.

    python train_heads.py --depth 1 --init student --reads-student --pool-first [--kd FILE] [--seed N] [--out DIR]
    python train_heads.py --soup CKPT... [--calibrate]          # build.sh runs both
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper
from torch import nn

from common import BUNDLE, DATA_DIR, WORK, load_tokenizer, tokens
from export import batch_feeds

# label names as the lake and the eval CLI write them (TweetEval's mapping.txt, in its order)
TASKS = {
    "emotion": ["anger", "joy", "optimism", "sadness"],
    "hate": ["not-hate", "hate"],
    "irony": ["not-irony", "irony"],
    "offensive": ["not-offensive", "offensive"],
}
# TweetEval's metric per task: macro-F1, except irony: F1 of the ironic class
METRIC = {"emotion": "macro-F1", "hate": "macro-F1", "irony": "F1 of irony", "offensive": "macro-F1"}
BRANCH_INPUT = "/bert/encoder/layer.1/output/LayerNorm/LayerNormalization_output_0"  # what layer 2 reads
STUDENT_POOLED = "/Div_output_0"  # the masked mean of the student's last layer, which its sentiment head reads
STUDENT_OUTPUTS = ["sentiment_logits", "entity_logits"]
H, HEADS, FFN = 384, 12, 1536
REPEAT = {"emotion": 2, "irony": 2, "hate": 1, "offensive": 1}  # the two small tasks seen twice per epoch


# ---------------------------------------------------------------- data

def read_task(task, split):
    folder = DATA_DIR / "tweeteval" / task
    labels = [int(x) for x in (folder / f"{split}_labels.txt").read_text().split()]
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")[:len(labels)]
    return [t.strip() for t in texts], np.array(labels)


def student_graph(bundle):
    """The bundle's graph cut back to what the student's own outputs need: heads a previous run merged in
    are dropped, so training again starts from the student alone and a rerun replaces the heads instead
    of stacking them."""
    m = onnx.load(str(bundle / "model.onnx"))
    producer = {out: n for n in m.graph.node for out in n.output}
    needed, stack = set(), list(STUDENT_OUTPUTS)
    while stack:
        name = stack.pop()
        node = producer.get(name)
        if node is not None and id(node) not in needed:
            needed.add(id(node))
            stack.extend(i for i in node.input if i)
    kept_nodes = [n for n in m.graph.node if id(n) in needed]
    used = {i for n in kept_nodes for i in n.input}
    kept_inits = [t for t in m.graph.initializer if t.name in used]
    kept_outputs = [o for o in m.graph.output if o.name in STUDENT_OUTPUTS]
    for field, kept in ((m.graph.node, kept_nodes), (m.graph.initializer, kept_inits), (m.graph.output, kept_outputs)):
        kept = [type(x).FromString(x.SerializeToString()) for x in kept]
        del field[:]
        field.extend(kept)
    return m


def feature_session(student: onnx.ModelProto):
    m = onnx.ModelProto()
    m.CopyFrom(student)
    for name in (BRANCH_INPUT, STUDENT_POOLED):
        m.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    return ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"])


def hidden_states(sess, tok, texts):
    """Per text: layer 1's output over its tokens, float16 [len, H], and the student's pooled vector [H].
    Each text is run alone (no padding)."""
    out = []
    for i, text in enumerate(texts):
        h, pooled = sess.run([BRANCH_INPUT, STUDENT_POOLED], batch_feeds([tokens(tok, text)]))
        out.append((torch.from_numpy(h[0]).to(torch.float16), torch.from_numpy(pooled[0])))
        if i % 5000 == 4999:
            print(f"  {i + 1}/{len(texts)}", flush=True)
    return out


def load_features(bundle, student):
    cache = WORK / "heads_features.pt"
    # the student's own bytes (a retrained student has the same size), and 2: hidden states and pooled vectors
    stamp = hashlib.sha256(student.SerializeToString()).hexdigest(), 2
    if cache.exists():
        data = torch.load(cache)
        if data.get("model_bytes") == stamp:
            return data
    sess, tok = feature_session(student), load_tokenizer(bundle / "tokenizer.json")
    data = {"model_bytes": stamp}
    for task in TASKS:
        for split in ("train", "val"):
            texts, y = read_task(task, split)
            print(f"features: {task} {split} ({len(texts)} texts)", flush=True)
            data[(task, split)] = (hidden_states(sess, tok, texts), torch.from_numpy(y))
    WORK.mkdir(parents=True, exist_ok=True)
    torch.save(data, cache)
    return data


def load_kd(path, bundle, student):
    """The teacher's emotion answers over tweets without an emotion label (emotion_teacher.py) as training items
    ((hidden, pooled), probabilities), the branch's inputs computed once and cached beside the labelled ones."""
    targets = torch.load(path)
    if targets["labels"] != TASKS["emotion"]:
        raise SystemExit(f"FAIL: {path} answers {targets['labels']}, the emotion head {TASKS['emotion']}")
    texts = targets["texts"]
    cache = WORK / "heads_kd_features.pt"
    stamp = (hashlib.sha256(student.SerializeToString()).hexdigest(),
             hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest())
    features = None
    if cache.exists():
        saved = torch.load(cache)
        if saved.get("stamp") == stamp:
            features = saved["features"]
    if features is None:
        print(f"features: {len(texts)} tweets the teacher labelled", flush=True)
        features = hidden_states(feature_session(student), load_tokenizer(bundle / "tokenizer.json"), texts)
        torch.save({"stamp": stamp, "features": features}, cache)
    return [(f, p.float()) for f, p in zip(features, targets["probs"])], targets["teacher"]


def batches(items, size, rng):
    """Length-bucketed batches of ((hidden, pooled), label) items, in random order."""
    order = sorted(items, key=lambda it: len(it[0][0]) + rng.random())
    chunks = [order[s:s + size] for s in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def collate(chunk):
    T = max(len(h) for (h, _), _ in chunk)
    x = torch.zeros(len(chunk), T, H)
    mask = torch.zeros(len(chunk), T, dtype=torch.int64)
    for i, ((h, _), _) in enumerate(chunk):
        x[i, :len(h)] = h.float()
        mask[i, :len(h)] = 1
    pooled = torch.stack([p for (_, p), _ in chunk])
    ys = [y for _, y in chunk]
    return x, mask, pooled, torch.stack(ys) if isinstance(ys[0], torch.Tensor) else torch.tensor(ys)


# ---------------------------------------------------------------- model

class Layer(nn.Module):
    """A BERT layer (post-LayerNorm, exact GELU) written out, so its ONNX export is plain MatMul/Softmax."""

    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(H, H), nn.Linear(H, H), nn.Linear(H, H)
        self.attention_output, self.attention_norm = nn.Linear(H, H), nn.LayerNorm(H, eps=1e-12)
        self.intermediate, self.output = nn.Linear(H, FFN), nn.Linear(FFN, H)
        self.output_norm = nn.LayerNorm(H, eps=1e-12)
        self.dropout = nn.Dropout(0.1)

    def load_bert(self, sd, i):
        p = f"encoder.layer.{i}."
        names = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
                 "attention_output": "attention.output.dense", "attention_norm": "attention.output.LayerNorm",
                 "intermediate": "intermediate.dense", "output": "output.dense", "output_norm": "output.LayerNorm"}
        for mine, theirs in names.items():
            getattr(self, mine).load_state_dict({"weight": sd[p + theirs + ".weight"], "bias": sd[p + theirs + ".bias"]})

    def attend(self, x, additive_mask):
        B, T, _ = x.shape
        split = lambda t: t.view(B, T, HEADS, H // HEADS).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(H // HEADS) + additive_mask
        context = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(B, T, H)
        return self.attention_norm(x + self.dropout(self.attention_output(context)))

    def feed_forward(self, x):
        return self.output_norm(x + self.dropout(self.output(nn.functional.gelu(self.intermediate(x)))))

    def forward(self, x, additive_mask):
        return self.feed_forward(self.attend(x, additive_mask))


def student_top_layer(bundle):
    """The student's own fine-tuned layer 2, read back from the bundled graph (ORT's fused form: one Attention
    node with q, k and v side by side, MatMuls for the dense layers, SkipLayerNormalization for the norms),
    as a ``Layer`` state dict."""
    m = onnx.load(str(bundle / "model.onnx"))
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    nodes = {n.name: n for n in m.graph.node}
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a.T)).float()  # ONNX MatMul weights are in x out
    qkv, qkv_bias = inits[nodes["Attention_2"].input[1]], inits[nodes["Attention_2"].input[2]]
    sd = {}
    for i, name in enumerate(("query", "key", "value")):
        sd[f"{name}.weight"] = t(qkv[:, i * H:(i + 1) * H])
        sd[f"{name}.bias"] = torch.from_numpy(qkv_bias[i * H:(i + 1) * H].copy()).float()
    for mine, dense in (("attention_output", "attention/output/dense"), ("intermediate", "intermediate/dense"),
                        ("output", "output/dense")):
        sd[f"{mine}.weight"] = t(inits[nodes[f"/bert/encoder/layer.2/{dense}/MatMul"].input[1]])
        sd[f"{mine}.bias"] = torch.from_numpy(inits[f"bert.encoder.layer.2.{dense.replace('/', '.')}.bias"].copy())
    for mine, norm in (("attention_norm", "attention.output.LayerNorm"), ("output_norm", "output.LayerNorm")):
        for part in ("weight", "bias"):
            sd[f"{mine}.{part}"] = torch.from_numpy(inits[f"bert.encoder.layer.2.{norm}.{part}"].copy())
    return sd


class HeadsBranch(nn.Module):
    """``depth`` layers over the student's layer-1 output, masked mean pooling, a linear head per task; with
    ``reads_student`` the heads also read the student's own pooled vector (free: the student computes it).

    With ``pool_first`` the last layer pools right after its attention and runs its feed-forward part once per
    post instead of once per token: that part is two thirds of a layer's work, so the branch then costs about a
    third of a layer (the heads read one vector per post; nothing else needs the tokens' outputs)."""

    def __init__(self, depth, reads_student=False, pool_first=False):
        super().__init__()
        self.reads_student = reads_student
        self.pool_first = pool_first
        self.layers = nn.ModuleList(Layer() for _ in range(depth))
        self.dropout = nn.Dropout(0.1)
        width = 2 * H if reads_student else H
        self.heads = nn.ModuleDict({t: nn.Linear(width, len(labels)) for t, labels in TASKS.items()})
        for head in self.heads.values():
            nn.init.normal_(head.weight, std=0.02)
            nn.init.zeros_(head.bias)

    def forward(self, hidden, attention_mask, student_pooled):
        m = attention_mask.to(hidden.dtype)
        additive = (1.0 - m)[:, None, None, :] * -10000.0
        pool = lambda h: (h * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp(min=1.0)
        for layer in self.layers[:-1]:
            hidden = layer(hidden, additive)
        last = self.layers[-1]
        pooled = last.feed_forward(pool(last.attend(hidden, additive))) if self.pool_first else pool(last(hidden, additive))
        if self.reads_student:
            pooled = torch.cat([pooled, student_pooled], 1)
        pooled = self.dropout(pooled)
        return [self.heads[t](pooled) for t in TASKS]


# ---------------------------------------------------------------- metric

def f1(y, p, c):
    tp = int(((p == c) & (y == c)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + int(((p == c) & (y != c)).sum()) + int(((p != c) & (y == c)).sum()))


def metric(task, y, p):
    """TweetEval's: macro-F1 over the gold classes; irony: F1 of the ironic class."""
    y, p = np.asarray(y), np.asarray(p)
    return f1(y, p, 1) if task == "irony" else float(np.mean([f1(y, p, c) for c in range(len(TASKS[task]))]))


def predict(branch, items, task):
    branch.eval()
    index = list(TASKS).index(task)
    preds = []
    with torch.no_grad():
        for s in range(0, len(items), 64):
            x, mask, pooled, _ = collate(items[s:s + 64])
            preds.append(branch(x, mask, pooled)[index].argmax(1))
    return torch.cat(preds).numpy()


# ---------------------------------------------------------------- training

def split_train(data):
    """Per task: 90% of train to fit, 10% (the probe's split, seed 13) to choose with."""
    fit, inner = {}, {}
    for task in TASKS:
        hs, y = data[(task, "train")]
        perm = np.random.default_rng(13).permutation(len(y))
        inner[task] = [(hs[i], int(y[i])) for i in perm[:len(y) // 10]]
        fit[task] = [(hs[i], int(y[i])) for i in perm[len(y) // 10:]]
    return fit, inner


def inner_scores(branch, inner):
    return {t: metric(t, [y for _, y in inner[t]], predict(branch, inner[t], t)) for t in TASKS}


def soup(paths, data, log):
    """The mean of several trained branches' weights (a uniform model soup, as the student's three runs)."""
    saved = [torch.load(p) for p in paths]
    shapes = {(s["depth"], s["record"].get("reads_student", False), s["record"].get("pool_first", False)) for s in saved}
    if len(shapes) != 1:
        raise SystemExit(f"FAIL: a soup needs branches of one shape, got {sorted(shapes)}")
    branch = HeadsBranch(*shapes.pop())
    branch.load_state_dict({k: sum(s["state"][k] for s in saved) / len(saved) for k in saved[0]["state"]})
    scores = inner_scores(branch, split_train(data)[1])
    log("soup of " + ", ".join(str(p) for p in paths) + ": inner " + " ".join(f"{t} {v:.3f}" for t, v in scores.items())
        + f" mean {np.mean(list(scores.values())):.3f}")
    record = dict(saved[0]["record"], inner=scores, soup_of=[s["record"] for s in saved])
    return branch, record


def calibrate(branch, inner, log):
    """Per task, offsets added to the heads' biases so the chosen label maximises TweetEval's metric on the
    10% of train that chose the step (macro-F1 rewards the rarer classes more than the loss does): a grid
    for each class in turn, twice; an offset is kept only where it gains more than half a point there."""
    branch.eval()
    grid = np.round(np.arange(-1.5, 1.51, 0.1), 2)
    for index, task in enumerate(TASKS):
        y = np.array([label for _, label in inner[task]])
        with torch.no_grad():
            logits = torch.cat([branch(*collate(inner[task][s:s + 64])[:3])[index]
                                for s in range(0, len(y), 64)]).numpy()
        offsets = np.zeros(logits.shape[1], dtype=np.float32)
        base = best = metric(task, y, logits.argmax(1))
        for _ in range(2):
            for c in range(1, logits.shape[1]):  # class 0's offset is the others' reference
                for value in grid:
                    trial = offsets.copy()
                    trial[c] = value
                    score = metric(task, y, (logits + trial).argmax(1))
                    if score > best + 1e-9:
                        best, offsets = score, trial
        if best - base > 0.005:
            branch.heads[task].bias.data += torch.from_numpy(offsets)
            log(f"calibrate {task}: offsets {offsets.round(2).tolist()} inner {base:.3f} -> {best:.3f}")
        else:
            log(f"calibrate {task}: left as trained (inner {base:.3f}, best offsets {best:.3f})")


def train(data, depth, reads_student, pool_first, init, bundle, epochs, lr, seed, log, kd=(), kd_batches=0):
    """With ``kd`` (the teacher's answers, load_kd), each epoch also takes ``kd_batches`` batches of them for the
    emotion head, the loss the cross-entropy against the teacher's probabilities."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    fit, inner = split_train(data)
    weights = {t: torch.tensor(len(v) / (len(TASKS[t]) * np.bincount([y for _, y in v], minlength=len(TASKS[t]))),
                               dtype=torch.float32) for t, v in fit.items()}
    sd = torch.load(WORK / "encoder_init.pt")
    branch = HeadsBranch(depth, reads_student, pool_first)
    for i, layer in enumerate(branch.layers):
        layer.load_bert(sd, 2 + i)
    if init == "student":  # the first branch layer starts as the student's own layer 2
        branch.layers[0].load_state_dict(student_top_layer(bundle))
    kd_batches = kd_batches if kd else 0
    per_epoch = sum(REPEAT[t] * math.ceil(len(v) / 32) for t, v in fit.items()) + kd_batches
    total = int(per_epoch * epochs)
    opt = torch.optim.AdamW([{"params": branch.layers.parameters(), "lr": lr},
                             {"params": branch.heads.parameters(), "lr": lr * 10}], weight_decay=0.01)
    warmup = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    best, step, started = None, 0, time.time()
    checks = {int(total * f / (2 * epochs)) for f in range(1, int(2 * epochs) + 1)}
    while step < total:
        work = [(t, c) for t in TASKS for _ in range(REPEAT[t]) for c in batches(fit[t], 32, rng)]
        work += [("kd", c) for c in batches(kd, 32, rng)[:kd_batches]]
        rng.shuffle(work)
        for task, chunk in work:
            if step >= total:
                break
            branch.train()
            x, mask, pooled, y = collate(chunk)
            if task == "kd":
                logits = branch(x, mask, pooled)[list(TASKS).index("emotion")]
                loss = -(y * logits.log_softmax(-1)).sum(-1).mean()
            else:
                logits = branch(x, mask, pooled)[list(TASKS).index(task)]
                loss = nn.functional.cross_entropy(logits, y, weight=weights[task])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(branch.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step in checks or step == total:
                scores = inner_scores(branch, inner)
                mean = float(np.mean(list(scores.values())))
                log(f"step {step}/{total} ({time.time() - started:.0f} s): inner "
                    + " ".join(f"{t} {s:.3f}" for t, s in scores.items()) + f" mean {mean:.3f}")
                if best is None or mean > best[0]:
                    best = (mean, step, scores, {k: v.clone() for k, v in branch.state_dict().items()})
    mean, step, scores, state = best
    branch.load_state_dict(state)
    log(f"kept step {step}: inner mean {mean:.3f}")
    return branch, {"step": step, "steps": total, "inner": scores}


# ---------------------------------------------------------------- export

def quantize_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    """Every MatMul (or Gemm) by a float weight matrix reads it from int8 with a per-output scale, through Cast and Mul:
    ONNX Runtime folds those constants into a float32 matrix at load, so the MatMul stays a float MatMul.
    (With DequantizeLinear instead, ORT 1.32 fuses DequantizeLinear + MatMul into MatMulNBits, whose
    answers moved by 0.01 against the plain graph and may depend on the CPU.)"""
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    nodes = []
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type in ("MatMul", "Gemm") else None
        if w is not None and len(w.dims) == 2 and min(w.dims) >= 64:  # the task heads' small matrices stay float
            arr = numpy_helper.to_array(w)
            # one scale per output: a column of a MatMul's (in x out) matrix; a row of a Gemm's with transB
            # (out x in), as PyTorch exports a Linear over a [batch, features] input (pool_first's feed-forward)
            transposed = node.op_type == "Gemm" and any(a.name == "transB" and a.i == 1 for a in node.attribute)
            scale = (np.abs(arr).max(1, keepdims=True) if transposed else np.abs(arr).max(0)) / 127.0
            scale = scale.astype(np.float32)
            scale[scale == 0] = 1.0
            q = np.clip(np.round(arr / scale), -127, 127).astype(np.int8)
            graph.initializer.remove(w)
            name = w.name
            graph.initializer.extend([numpy_helper.from_array(q, name + "_int8"),
                                      numpy_helper.from_array(scale, name + "_scale")])
            nodes.append(helper.make_node("Cast", [name + "_int8"], [name + "_float"], to=onnx.TensorProto.FLOAT,
                                          name=name + "/Cast"))
            nodes.append(helper.make_node("Mul", [name + "_float", name + "_scale"], [name], name=name + "/Scale"))
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def branch_onnx(branch) -> onnx.ModelProto:
    branch.eval()
    path = WORK / "heads_branch.onnx"
    x, mask, pooled = torch.randn(2, 7, H), torch.ones(2, 7, dtype=torch.int64), torch.randn(2, H)
    torch.onnx.export(branch, (x, mask, pooled), str(path), input_names=["hidden", "attention_mask", "student_pooled"],
                      output_names=[f"{t}_logits" for t in TASKS], opset_version=17, dynamo=False,
                      dynamic_axes={"hidden": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                    "student_pooled": {0: "batch"},
                                    **{f"{t}_logits": {0: "batch"} for t in TASKS}})
    return quantize_weights(onnx.load(str(path)))


def merge(student: onnx.ModelProto, branch: onnx.ModelProto) -> onnx.ModelProto:
    """The student's graph with the branch's nodes after it, reading the student's layer-1 output."""
    rename = {"hidden": BRANCH_INPUT, "attention_mask": "attention_mask", "student_pooled": STUDENT_POOLED}
    keep = set(rename) | {o.name for o in branch.graph.output}
    fix = lambda n: rename.get(n, n if n in keep or n == "" else "heads/" + n.lstrip("/"))
    merged = onnx.ModelProto()
    merged.CopyFrom(student)
    g = merged.graph
    for t in branch.graph.initializer:
        t = onnx.TensorProto.FromString(t.SerializeToString())
        t.name = fix(t.name)
        g.initializer.append(t)
    for n in branch.graph.node:
        n = onnx.NodeProto.FromString(n.SerializeToString())
        n.input[:] = [fix(i) for i in n.input]
        n.output[:] = [fix(o) for o in n.output]
        n.name = "heads/" + (n.name or n.output[0]).lstrip("/")
        g.node.append(n)
    g.output.extend(branch.graph.output)
    onnx.checker.check_model(merged)
    return merged


def session(model_bytes, optimization=ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.graph_optimization_level = optimization
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


def check_merged(student, merged_bytes, branch, bundle):
    """The student's outputs unchanged bit for bit; the heads equal to the PyTorch branch within 1e-3."""
    tok = load_tokenizer(bundle / "tokenizer.json")
    texts = read_task("emotion", "val")[0][:40] + read_task("irony", "val")[0][:40]
    feeds = batch_feeds([tokens(tok, t) for t in texts])
    before = session(student.SerializeToString()).run(STUDENT_OUTPUTS, feeds)
    sess = session(merged_bytes)
    after = sess.run(STUDENT_OUTPUTS + [f"{t}_logits" for t in TASKS], feeds)
    for name, a, b in zip(STUDENT_OUTPUTS, before, after):
        if not np.array_equal(a, b):
            raise SystemExit(f"FAIL: {name} changed by the merge (max diff {np.abs(a - b).max():.2e})")
    hidden, pooled = feature_session(student).run([BRANCH_INPUT, STUDENT_POOLED], feeds)
    with torch.no_grad():
        expected = branch(torch.from_numpy(hidden), torch.from_numpy(feeds["attention_mask"]), torch.from_numpy(pooled))
    plain = session(merged_bytes, ort.GraphOptimizationLevel.ORT_DISABLE_ALL).run(STUDENT_OUTPUTS + [f"{t}_logits" for t in TASKS], feeds)
    moved = max(float(np.abs(a - b).max()) for a, b in zip(after, plain))
    if moved > 1e-4:  # a runtime fusion that changes the math would make answers depend on the runtime's version
        raise SystemExit(f"FAIL: ONNX Runtime's graph optimizations move the outputs by {moved:.2e}")
    worst = max(float(np.abs(e.numpy() - a).max()) for e, a in zip(expected, after[2:]))
    if worst > 0.1:  # int8 weights against the float branch (the student: 0.18 against its fp32 checkpoint)
        raise SystemExit(f"FAIL: heads differ from the trained branch by {worst:.3f}")
    return worst


def evaluate_val(merged_bytes, bundle):
    """TweetEval val with the merged graph, posts in batches of 32 like the job."""
    sess, tok = session(merged_bytes), load_tokenizer(bundle / "tokenizer.json")
    report = {}
    for task in TASKS:
        texts, y = read_task(task, "val")
        preds = []
        for s in range(0, len(texts), 32):
            (logits,) = sess.run([f"{task}_logits"], batch_feeds([tokens(tok, t) for t in texts[s:s + 32]]))
            preds.append(logits.argmax(1))
        report[task] = {"metric": METRIC[task], "value": round(metric(task, y, np.concatenate(preds)), 4),
                        "n": int(len(y))}
    return report


def add_parity(parity, merged_bytes, branch, student):
    """Each parity case gains the heads' logits: onnx from the merged graph, pytorch from the float branch."""
    sess, features = session(merged_bytes), feature_session(student)
    names = [f"{t}_logits" for t in TASKS]
    for case in parity["cases"]:
        ids = np.array([case["input_ids"]], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                 "token_type_ids": np.array([case["token_type_ids"]], dtype=np.int64)}
        for name, logits in zip(names, sess.run(names, feeds)):
            case["onnx"][name] = [round(float(v), 6) for v in logits[0]]
        hidden, pooled = features.run([BRANCH_INPUT, STUDENT_POOLED], feeds)
        with torch.no_grad():
            expected = branch(torch.from_numpy(hidden), torch.from_numpy(feeds["attention_mask"]), torch.from_numpy(pooled))
        for name, logits in zip(names, expected):
            case["pytorch"][name] = [round(float(v), 6) for v in logits[0]]


CARD_SECTION = "\n## Signal heads (emotion, hate, irony, offensive)\n"


def model_card(card, version, signals):
    """The student's model card with the version in its title and a section on the heads (replaced on a rerun)."""
    card = card.split(CARD_SECTION)[0].rstrip("\n") + "\n"
    lines = card.split("\n")
    if lines[0].startswith("# "):
        lines[0] = lines[0].split(" (")[0] + f" ({version})"
    rows = "\n".join(f"| {task} | {v['metric']} | {v['value']:.3f} | {v['n']} |" for task, v in signals["tweeteval_val"].items())
    return "\n".join(lines) + CARD_SECTION + f"""
Four more outputs of the same graph (`emotion_logits`, `hate_logits`, `irony_logits`, `offensive_logits`),
trained on TweetEval's train splits by `models/training/train_heads.py`: {signals['branch']}. Training:
{signals['training']}. The student's sentiment and entity outputs are unchanged bit for bit. TweetEval val
(never used to choose):

| task | metric | val | n |
|---|---|---|---|
{rows}
"""


def unused_version(out, day, rest, merged_bytes):
    """``day + rest``, unless the bundle in ``out`` was built the same day with other weights: then ``day.2``,
    ``day.3``, ... after its own. A rescore leaves rows of the model's own version alone, so new answers under a
    version the lake already holds would never reach its older rows."""
    if not ((out / "config.json").exists() and (out / "model.onnx").exists()):
        return day + rest
    current = json.loads((out / "config.json").read_text())["tidings"]["version"].split("-", 1)[0]
    if current != day and not current.startswith(day + "."):
        return day + rest
    if (out / "model.onnx").read_bytes() == merged_bytes:
        return current + rest
    return f"{day}.{int(current[len(day) + 1:] or 1) + 1}{rest}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bundle", default=str(BUNDLE), help="the student bundle the branch reads (unchanged)")
    ap.add_argument("--out", default=None, help="where to write the bundle with heads (default: --bundle)")
    ap.add_argument("--depth", type=int, default=1)
    ap.add_argument("--init", choices=["minilm", "student"], default="minilm",
                    help="the first branch layer starts from all-MiniLM-L6-v2's layer 2 or the student's own")
    ap.add_argument("--reads-student", action="store_true", help="the heads also read the student's pooled vector")
    ap.add_argument("--pool-first", action="store_true",
                    help="the last layer's feed-forward part runs on the pooled vector (about a third of a layer's cost)")
    ap.add_argument("--epochs", type=float, default=4)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--version", default=None, help="the bundle's new version (default: today-<student's>-signals)")
    ap.add_argument("--export-only", action="store_true", help="export the last trained branch again")
    ap.add_argument("--soup", nargs="+", metavar="CKPT", help="export the mean of these trained branches instead")
    ap.add_argument("--kd", metavar="FILE", help="the teacher's emotion answers (emotion_teacher.py) to learn from too")
    ap.add_argument("--kd-batches", type=int, default=600, help="batches of the teacher's answers per epoch")
    ap.add_argument("--calibrate", action="store_true",
                    help="shift the heads' biases for TweetEval's metric on the 10%% of train that chooses")
    args = ap.parse_args()
    torch.set_num_threads(2)
    bundle, out = Path(args.bundle), Path(args.out or args.bundle)
    student = student_graph(bundle)
    WORK.mkdir(parents=True, exist_ok=True)
    logfile = open(WORK / "heads_train.log", "a")

    def log(line):
        print(line, flush=True)
        logfile.write(line + "\n")
        logfile.flush()

    ckpt = WORK / (f"heads_branch_d{args.depth}_{args.init}{'_pooled' if args.reads_student else ''}"
                   f"{'_poolfirst' if args.pool_first else ''}"
                   f"{'_kd' if args.kd else ''}_seed{args.seed}.pt")
    if args.soup:
        branch, record = soup(args.soup, load_features(bundle, student), log)
    elif args.export_only:
        saved = torch.load(ckpt)
        branch = HeadsBranch(saved["depth"], saved["record"].get("reads_student", False), saved["record"].get("pool_first", False))
        branch.load_state_dict(saved["state"])
        record = saved["record"]
    else:
        data = load_features(bundle, student)
        kd, teacher = load_kd(args.kd, bundle, student) if args.kd else ([], None)
        log(f"train_heads: depth {args.depth}, init {args.init}, reads student's pooled {args.reads_student}, pool first {args.pool_first}, {args.epochs} epochs, lr {args.lr}, seed {args.seed}"
            + (f", {args.kd_batches} batches per epoch of {len(kd)} teacher-labelled tweets ({teacher})" if kd else ""))
        branch, record = train(data, args.depth, args.reads_student, args.pool_first, args.init, bundle, args.epochs, args.lr, args.seed, log,
                               kd, args.kd_batches)
        record.update(depth=args.depth, reads_student=args.reads_student, pool_first=args.pool_first, init=args.init, epochs=args.epochs, lr=args.lr, seed=args.seed,
                      **({"kd": {"teacher": teacher, "tweets": len(kd), "batches_per_epoch": args.kd_batches}} if kd else {}))
        torch.save({"depth": args.depth, "state": branch.state_dict(), "record": record}, ckpt)
    if args.calibrate:
        calibrate(branch, split_train(load_features(bundle, student))[1], log)
        record["calibrated"] = True
    merged = merge(student, branch_onnx(branch))
    merged_bytes = merged.SerializeToString()
    worst = check_merged(student, merged_bytes, branch, bundle)
    val = evaluate_val(merged_bytes, bundle)
    log("val (merged int8 graph): " + " ".join(f"{t} {v['value']:.3f}" for t, v in val.items())
        + f"; heads vs PyTorch max diff {worst:.4f}")
    config = json.loads((bundle / "config.json").read_text())
    tidings = config["tidings"]
    # the student's answers do not change, but a row now carries more: a new version, so a rescore fills it
    student_version = tidings["version"].split("-", 1)[1].removesuffix("-signals")
    version = args.version or unused_version(out, time.strftime("%Y.%m.%d"), "-" + student_version + "-signals", merged_bytes)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.onnx").write_bytes(merged_bytes)
    tidings["heads"] = {k: v for k, v in tidings["heads"].items() if k in ("sentiment", "entities")}
    for task, labels in TASKS.items():
        tidings["heads"][task] = {"output": f"{task}_logits", "labels": labels, "pooling": "mean"}
    first = "the student's own layer 2" if record.get("init") == "student" else "all-MiniLM-L6-v2's layer 2"
    tidings["signals"] = {
        "branch": f"the student's layers 0-1 shared; a branch of {record['depth']} layer(s) over them, the first "
                  f"started from {first}, fine-tuned for the four tasks (train_heads.py)"
                  + ("; its last layer pools after attention and runs its feed-forward part once per post"
                     if record.get("pool_first") else "")
                  + ("; the heads also read the student's pooled vector" if record.get("reads_student") else "")
                  + "; int8 weights, float32 activations",
        "training": "TweetEval train, 90% fitted, 10% (seed 13) chose the step"
                    + ("; the emotion head also learned a teacher's answers (bge-small-en-v1.5 fine-tuned on the same 90%, "
                       "emotion_teacher.py) over tweets without an emotion label" if record.get("kd") else ""),
        **({"emotion_teacher": record["kd"]} if record.get("kd") else {}),
        "heads_bias_offsets_chosen_on_inner": bool(record.get("calibrated")),
        "chosen_at_step": record["step"], "steps": record["steps"], "inner_10pct_of_train": record["inner"],
        **({"soup_of_seeds": [r["seed"] for r in record["soup_of"]]} if "soup_of" in record else {}),
        "tweeteval_val": val,
    }
    tidings["version"] = version
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    parity = json.loads((bundle / "parity.json").read_text())
    parity["version"] = version
    add_parity(parity, merged_bytes, branch, student)
    (out / "parity.json").write_text(json.dumps(parity))
    (out / "README.md").write_text(model_card((bundle / "README.md").read_text(), version, tidings["signals"]))
    if out != bundle:
        (out / "tokenizer.json").write_bytes((bundle / "tokenizer.json").read_bytes())
    log(f"wrote {out}/model.onnx ({len(merged_bytes) / 1e6:.1f} MB) and config.json")


if __name__ == "__main__":
    main()
