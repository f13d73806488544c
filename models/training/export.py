"""Export the best checkpoint to ONNX, fuse, quantize (dynamic int8), evaluate, and write the bundle.

Writes models/bundled/tweet-multitask/{model.onnx, tokenizer.json, config.json, parity.json, README.md}.
Usage: python export.py [--ckpt PATH] [--force-fp32]
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from common import (BUNDLE, ENCODER_DIR, MAX_LEN, NER_LABELS, SENT_LABELS, WORK, load_tokenizer, tokens)
from model import TweetMultiTask, load_config

INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUTS = ["sentiment_logits", "entity_logits"]
VERSION_DATE = datetime.date.today().strftime("%Y.%m.%d")


def load_model(ckpt):
    from train import checkpoint_config
    config = load_config(checkpoint_config(ckpt) if checkpoint_config(ckpt).exists() else WORK / "encoder_config.json")
    config._attn_implementation = "eager"  # plain MatMul/Softmax graph, exports and quantizes cleanly
    model = TweetMultiTask(config)
    model.load_state_dict(torch.load(ckpt, map_location="cpu"))
    model.eval()
    return model, config


def export_onnx(model, path):
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 2023, 2003, 102]], dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 3] = 0
    tt = torch.zeros_like(ids)
    dyn = {n: {0: "batch", 1: "sequence"} for n in INPUTS}
    dyn["sentiment_logits"] = {0: "batch"}
    dyn["entity_logits"] = {0: "batch", 1: "sequence"}
    torch.onnx.export(model, (ids, mask, tt), str(path), input_names=INPUTS, output_names=OUTPUTS,
                      dynamic_axes=dyn, opset_version=17, do_constant_folding=True, dynamo=False)


def session(path, threads=2):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def batch_feeds(id_lists):
    """Padded model inputs; token_type_ids are the casing types of common.Tokens (zeros for plain lists)."""
    T = max(len(x) for x in id_lists)
    ids = np.zeros((len(id_lists), T), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for i, x in enumerate(id_lists):
        ids[i, :len(x)] = x
        mask[i, :len(x)] = 1
        types[i, :len(x)] = getattr(x, "types", 0)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def onnx_runner(sess):
    def run(id_lists):
        s, e = sess.run(OUTPUTS, batch_feeds(id_lists))
        return s, e
    return run


def torch_runner(model):
    def run(id_lists):
        f = {k: torch.from_numpy(v) for k, v in batch_feeds(id_lists).items()}
        with torch.no_grad():
            s, e = model(**f)
        return s.numpy(), e.numpy()
    return run


def evaluate(run, dev, bs=32):
    """dev = (s_dev, n_dev) as produced by train.prepare (ids already tokenized)."""
    from common import decode_token_entities, prf, sentiment_metrics
    s_dev, n_dev = dev
    order = sorted(range(len(s_dev)), key=lambda i: len(s_dev[i][0]))
    pred = {}
    for b in range(0, len(order), bs):
        idx = order[b:b + bs]
        s, _ = run([s_dev[i][0] for i in idx])
        for i, p in zip(idx, s.argmax(-1).tolist()):
            pred[i] = p
    res = {"sentiment": sentiment_metrics([y for _, y in s_dev], [pred[i] for i in range(len(s_dev))])}
    for name, items in n_dev.items():
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        spans = [None] * len(items)
        for b in range(0, len(order), bs):
            idx = order[b:b + bs]
            _, e = run([items[i][0] for i in idx])
            lab = e.argmax(-1)
            for j, i in enumerate(idx):
                n = len(items[i][0])
                spans[i] = decode_token_entities(lab[j, :n].tolist(), items[i][1], items[i][2], items[i][4])
        res["entities_" + name] = prf([set(it[3]) for it in items], [set(p) for p in spans])
    return res


def summary(res):
    return (f"sent macroR {res['sentiment']['macro_recall']:.4f} acc {res['sentiment']['accuracy']:.4f} | "
            f"btc F1 {res['entities_btc']['micro']['f1']:.4f} | wnut F1 {res['entities_wnut']['micro']['f1']:.4f}")


def drop(ref, res):
    """What int8 costs on dev: the mean drop of the three metrics, or infinity when any one drops more than
    2 points (so a small mean cannot hide one broken head)."""
    drops = [ref["sentiment"]["macro_recall"] - res["sentiment"]["macro_recall"],
             ref["entities_btc"]["micro"]["f1"] - res["entities_btc"]["micro"]["f1"],
             ref["entities_wnut"]["micro"]["f1"] - res["entities_wnut"]["micro"]["f1"]]
    return float("inf") if max(drops) > 0.02 else sum(drops) / len(drops)


def speed(sess, texts, tok, bs=32, rounds=12):
    encs = [tokens(tok, t) for t in texts]
    batches = [encs[i:i + bs] for i in range(0, len(encs) - bs + 1, bs)][:rounds + 2]
    for b in batches[:2]:
        sess.run(OUTPUTS, batch_feeds(b))
    t = time.perf_counter()
    n = 0
    for b in batches[2:]:
        sess.run(OUTPUTS, batch_feeds(b))
        n += len(b)
    dt = time.perf_counter() - t
    return round(n / dt, 1), round(float(np.mean([len(e) for b in batches[2:] for e in b])), 1)


PARITY_TEXTS = [
    "I love my new iPhone from Apple!!! 😍😍 #blessed",
    "@united lost my bag AGAIN. worst airline ever 😡 http://t.co/abc123XYZ",
    "Angela Merkel meets Emmanuel Macron in Paris to talk about the EU budget",
    "Just landed in New York City with @BarackObama's team... what a day",
    "ok",
    "RT @BBCBreaking: Earthquake hits Tokyo, Japan — no tsunami warning issued https://bbc.in/xyz",
    "Heute spielt Bayern München gegen Borussia Dortmund in Berlin, ich freue mich!",
    "#Microsoft and #Google announce partnership; Satya Nadella says it's 'historic'",
    "meh. monday again... can't wait for the weekend 🙄",
    "Thanks @Starbucks for the free coffee ☕ this morning, you made my day :)",
    "Taylor Swift's concert at Wembley Stadium in London was AMAZING #1989tour",
    ("This is a deliberately long post about the Manchester United game against Liverpool at Old Trafford "
     "where Cristiano Ronaldo scored twice and Jurgen Klopp looked furious on the touchline while the fans "
     "in Manchester sang for ninety minutes and the commentators from Sky Sports and the BBC argued about "
     "VAR decisions, offside lines, penalty calls, the referee Michael Oliver, the weather in England, the "
     "price of tickets, the Glazer family, the Premier League table, the Champions League places, and "
     "whether Erik ten Hag will still be the manager next season or be replaced by someone from Ajax "
     "Amsterdam or Bayer Leverkusen before Christmas arrives in this long and tiring winter of football."),
]


def ceil_sig(x, sig=2):
    if x <= 0:
        return 1e-6
    e = math.floor(math.log10(x)) - sig + 1
    return round(math.ceil(x / 10 ** e) * 10 ** e, max(0, -e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=str(WORK / "best_soup.pt"))
    ap.add_argument("--force-fp32", action="store_true")
    ap.add_argument("--train-info", default=str(WORK / "best_soup.json"), help="best*.json of the checkpoint")
    ap.add_argument("--variants", default="fused-qint8-perchannel,fused-qint8,qint8,quint8",
                    help="int8 recipes to try, in order of preference; the first whose drop() is under --max-drop is kept")
    ap.add_argument("--max-drop", type=float, default=0.01, help="largest mean dev-metric drop accepted for int8 (see drop())")
    ap.add_argument("--quick", action="store_true", help="smoke test on 100 dev items per set")
    ap.add_argument("--bundle", default=str(BUNDLE),
                    help="the model folder to write (the fast tier's by default; distill.sh writes the accurate tier's)")
    ap.add_argument("--name", default="tweet-multitask", help="the model's name in config.json and parity.json")
    ap.add_argument("--sentiment-dev", default="random", choices=["random", "time"],
                    help="the sentiment dev split the checks run on: the one the checkpoint was chosen on")
    ap.add_argument("--activations", choices=("float", "int8"), default="float",
                    help="float (default): the int8 weights computed with float32 activations (dequantize.py), the same"
                         " answer in any batch and on any CPU; int8: dynamic activation quantization (faster on some"
                         " CPUs, but a post's logits move with its batch mates and differ by instruction set)")
    args = ap.parse_args()
    bundle = Path(args.bundle)
    torch.set_num_threads(2)

    from train import prepare
    tok = load_tokenizer()
    _, s_dev, _, n_dev, _ = prepare(tok, args.sentiment_dev)
    if args.quick:
        s_dev, n_dev = s_dev[:100], {k: v[:100] for k, v in n_dev.items()}
    dev = (s_dev, n_dev)
    best = json.load(open(args.train_info)) if Path(args.train_info).exists() else {}
    # the training runs behind the checkpoint: the runs a soup averages (soup.py), or this run preceded by the
    # runs it was initialised from (--init-from)
    def run_record(j):
        return {k: j.get(k) for k in ("step", "args", "train_minutes", "score", "dev")}
    stages = [run_record(j) for j in best.get("soup_of", [])]
    info = None if stages else Path(args.train_info)
    while info is not None and info.exists():
        j = json.load(open(info))
        stages.insert(0, run_record(j))
        init = (j.get("args") or {}).get("init_from")
        info = Path(init).with_suffix(".json") if init else None

    model, config = load_model(args.ckpt)
    fp32 = WORK / "model.fp32.onnx"
    export_onnx(model, fp32)
    print("exported", fp32, round(fp32.stat().st_size / 2**20, 1), "MiB")

    res_fp32 = evaluate(onnx_runner(session(fp32)), dev)
    print("onnx fp32    :", summary(res_fp32))

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    # Candidates in order of preference (speed on AVX2 CPUs without VNNI): U8S8 kernels are the fastest but
    # can saturate; QInt8 MatMul weights with reduce_range (7 bit) avoid that; U8U8 is accurate but slower.
    def q_mmrr_gu8(src, dst):
        tmp = WORK / "tmp.matmul.onnx"
        quantize_dynamic(str(src), str(tmp), op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8,
                         reduce_range=True)
        quantize_dynamic(str(tmp), str(dst), op_types_to_quantize=["Gather"], weight_type=QuantType.QUInt8)
    def fused_qint8(src, dst, per_channel=False):
        # ONNX Runtime's transformer fusions (EmbedLayerNormalization, Attention, SkipLayerNormalization,
        # BiasGelu: contrib ops of every ORT build, CPU and CUDA) before quantizing: fewer, larger kernels
        from onnxruntime.transformers.optimizer import optimize_model
        fused = WORK / "tmp.fused.onnx"
        optimize_model(str(src), model_type="bert", num_heads=config.num_attention_heads,
                       hidden_size=config.hidden_size).save_model_to_file(str(fused))
        quantize_dynamic(str(fused), str(dst), weight_type=QuantType.QInt8, per_channel=per_channel,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    recipes = {
        # per-channel weight scales: one scale per output column instead of one per matrix
        "fused-qint8-perchannel": lambda a, b: fused_qint8(a, b, per_channel=True),
        "fused-qint8": fused_qint8,
        # MatMul weights + the embedding Gathers (the fp32 word-embedding table alone is 45 MiB)
        "qint8": lambda a, b: quantize_dynamic(str(a), str(b), op_types_to_quantize=["MatMul", "Gather"],
                                               weight_type=QuantType.QInt8),
        "qint8rr-matmul+quint8-gather": q_mmrr_gu8,
        "quint8": lambda a, b: quantize_dynamic(str(a), str(b), op_types_to_quantize=["MatMul", "Gather"],
                                                weight_type=QuantType.QUInt8),
    }
    candidates = {}
    for name in args.variants.split(","):
        p = WORK / f"model.{name}.onnx"
        recipes[name](fp32, p)
        r = evaluate(onnx_runner(session(p)), dev)
        candidates[name] = (p, r)
        print(f"onnx {name:7s}:", summary(r), f"drop {drop(res_fp32, r) * 100:.2f} pts",
              round(p.stat().st_size / 2**20, 1), "MiB", flush=True)
        if drop(res_fp32, r) < args.max_drop:
            break  # first acceptable variant in preference order

    ok = [k for k in candidates if drop(res_fp32, candidates[k][1]) < args.max_drop]
    qname = ok[0] if ok else min(candidates, key=lambda k: drop(res_fp32, candidates[k][1]))
    qpath, res_q = candidates[qname]
    use_int8 = not args.force_fp32 and drop(res_fp32, res_q) < args.max_drop
    chosen, res_ship = (qpath, res_q) if use_int8 else (fp32, res_fp32)
    float_activations = use_int8 and args.activations == "float"
    if float_activations:
        import dequantize
        chosen = WORK / "model.w8a32.onnx"
        onnx.save(dequantize.dequantize(onnx.load(str(qpath))), str(chosen))
        res_ship = evaluate(onnx_runner(session(chosen)), dev)
        print("onnx w8a32  :", summary(res_ship), flush=True)
    kind = "w8a32" if float_activations else "int8" if use_int8 else "fp32"
    print("shipping", kind + (" (" + qname + ")" if use_int8 else ""))

    bundle.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(chosen, bundle / "model.onnx")
    size_mb = round((bundle / "model.onnx").stat().st_size / 2**20, 1)

    # tokenizer.json: truncation 128 on, padding off
    tj = json.load(open(ENCODER_DIR / "tokenizer.json", encoding="utf-8"))
    tj["truncation"] = {"direction": "Right", "max_length": MAX_LEN, "strategy": "LongestFirst", "stride": 0}
    tj["padding"] = None
    with open(bundle / "tokenizer.json", "w", encoding="utf-8") as fh:
        json.dump(tj, fh, ensure_ascii=False)
    from tokenizers import Tokenizer
    btok = Tokenizer.from_file(str(bundle / "tokenizer.json"))
    assert len(btok.encode(PARITY_TEXTS[-1] * 3).ids) == MAX_LEN
    assert btok.encode("ok").ids == tok.encode("ok").ids and len(btok.encode("ok").ids) == 3

    # speed: real tweets (sentiment dev), batch 32, 2 threads
    texts = [t for _, _, t in __import__("common").split_sentiment(__import__("common").load_sentiment())[1]]
    speed_ship, mean_len = speed(session(bundle / "model.onnx"), texts, btok)
    speed_fp32, _ = speed(session(fp32), texts, btok)
    load_avg = round(__import__("os").getloadavg()[0], 1)
    print(f"speed (ORT python, 2 threads, batch 32, mean {mean_len} tokens): shipped {speed_ship}/s, fp32 {speed_fp32}/s")

    metrics = {
        "dev_split": "sentiment: stratified random 5% of SemEval 2013-2016 task A (seed 13, dedup by id); "
                     "entities: btc.dev.merged.conll, wnut17.dev.conll (mapped to PER/ORG/LOC)",
        "sentiment_dev": {"macro_recall": res_ship["sentiment"]["macro_recall"],
                          "accuracy": res_ship["sentiment"]["accuracy"],
                          "recall_per_class": res_ship["sentiment"]["recall_per_class"],
                          "n": res_ship["sentiment"]["n"]},
        "entities_btc_dev": res_ship["entities_btc"],
        "entities_wnut17_dev": res_ship["entities_wnut"],
        "fp32_reference": {"sentiment_macro_recall": res_fp32["sentiment"]["macro_recall"],
                           "btc_f1": res_fp32["entities_btc"]["micro"]["f1"],
                           "wnut_f1": res_fp32["entities_wnut"]["micro"]["f1"]},
        "quantization": (__import__("dequantize").QUANTIZATION_TEXT.format(recipe=qname) if float_activations
                         else f"dynamic int8 ({qname}; MatMul weights + embedding Gather)" if use_int8 else "none (fp32)"),
        "speed_tweets_per_s_ort_python_2threads_b32": speed_ship,
        "speed_note": "measured on the shared build box; see README (load average at measurement time)",
    }

    cfg = config.to_dict()
    for k in ("_attn_implementation", "_attn_implementation_internal", "transformers_version", "dtype", "torch_dtype",
              "_name_or_path", "problem_type", "output_hidden_states", "output_attentions", "return_dict", "use_cache"):
        cfg.pop(k, None)
    cfg["architectures"] = ["BertModel"]
    cfg["model_type"] = "bert"
    cfg["id2label"] = {str(i): l for i, l in enumerate(NER_LABELS)}
    cfg["label2id"] = {l: i for i, l in enumerate(NER_LABELS)}
    cfg["tidings"] = {
        "name": args.name,
        "version": f"{VERSION_DATE}-minilm{config.num_hidden_layers}-{kind}",
        "max_length": MAX_LEN,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2" + (
            f" (layers {best['args']['layers']})" if best.get("args", {}).get("layers") else ""),
        "inputs": INPUTS,
        "token_types": "casing",
        "heads": {"sentiment": {"output": "sentiment_logits", "labels": SENT_LABELS, "pooling": "mean"},
                  "entities": {"output": "entity_logits", "labels": NER_LABELS, "scheme": "BIO"}},
        "metrics": metrics,
    }
    json.dump(cfg, open(bundle / "config.json", "w"), indent=2)

    # parity
    sess = session(bundle / "model.onnx")
    cases, worst_pt = [], 0.0
    for t in PARITY_TEXTS:
        ids = tokens(btok, t)
        so, eo = sess.run(OUTPUTS, batch_feeds([ids]))
        sp, ep = torch_runner(model)([ids])
        worst_pt = max(worst_pt, float(np.abs(so - sp).max()), float(np.abs(eo - ep).max()))
        cases.append({"text": t, "input_ids": list(ids), "token_type_ids": ids.types,
                      "onnx": {"sentiment_logits": [round(float(x), 6) for x in so[0]],
                               "entity_logits": [[round(float(x), 6) for x in row] for row in eo[0]]},
                      "pytorch": {"sentiment_logits": [round(float(x), 6) for x in sp[0]],
                                  "entity_logits": [[round(float(x), 6) for x in row] for row in ep[0]]}})
    # re-run check: ORT is deterministic on the shipped model
    so2, _ = sess.run(OUTPUTS, batch_feeds([tokens(btok, PARITY_TEXTS[0])]))
    assert np.abs(so2[0] - np.array(cases[0]["onnx"]["sentiment_logits"])).max() < 1e-4
    if not use_int8:
        assert worst_pt < 1e-3, worst_pt
    parity = {"model": args.name, "version": cfg["tidings"]["version"],
              "note": "batch size 1, no padding; onnx = onnxruntime (Python) on the shipped model.onnx; "
                      "pytorch = fp32 PyTorch model before export/quantization",
              "onnx_tolerance": 0.25 if kind == "int8" else 1e-3, "pytorch_tolerance": ceil_sig(worst_pt),
              "max_abs_diff_onnx_vs_pytorch": round(worst_pt, 6), "cases": cases}
    json.dump(parity, open(bundle / "parity.json", "w"), ensure_ascii=False)
    print(f"parity: max |onnx - pytorch| = {worst_pt:.4f}")

    out = {"shipped": kind, "quant_variant": qname, "size_mib": size_mb,
           "onnx_fp32": res_fp32, **{f"onnx_{k}": v[1] for k, v in candidates.items()}, "onnx_shipped": res_ship,
           "speed": {"shipped": speed_ship, "fp32": speed_fp32, "mean_tokens": mean_len, "load_avg": load_avg},
           "parity_max_diff": worst_pt, "train": {k: best.get(k) for k in ("step", "args", "sizes", "train_minutes")},
           "stages": stages, "soup": bool(best.get("soup_of"))}
    json.dump(out, open(WORK / "export_report.json", "w"), indent=1)
    import write_card
    write_card.write(out, cfg, bundle)
    print(json.dumps({k: out[k] for k in ("shipped", "size_mib", "speed")}))
    if size_mb >= 40:
        print("WARNING: model.onnx is >= 40 MB", file=sys.stderr)


if __name__ == "__main__":
    main()
