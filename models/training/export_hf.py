"""Export a Hugging Face sequence or token classifier to a tidings model directory.

A user's own model (for example the old pipeline's cardiffnlp/twitter-roberta-base-sentiment-latest,
or any BERT/RoBERTa/XLM-R token classifier with BIO labels) becomes a directory the job loads with
`--model DIR` (or `s3://...`): model.onnx (one graph, output `sentiment_logits [B,3]` or
`entity_logits [B,T,K]`), tokenizer.json, config.json (the model's own config plus a `tidings`
block), parity.json (ONNX Runtime and PyTorch outputs for sample texts, which the Java runtime
reproduces: `bin/tidings eval parity --model DIR`) and README.md (a short model card).

    python export_hf.py SRC OUT [--task sentiment|entities] [--max-length 128] [--int8] [--urls shorten]
                        [--labels negative,neutral,positive] [--name NAME] [--version VERSION]

SRC is a directory written by `save_pretrained` (model + fast tokenizer), or a hub id when the hub
can be reached (not on the build box). With `--random PRESET --tokenizer FILE` the script instead
builds a model of a known shape with random weights (seeded) and exports it the same way: the
benchmark uses this for models the size of the old pipeline's (speed does not depend on weights).
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from tokenizers import Tokenizer

from common import shorten_urls

SENTIMENT = ["negative", "neutral", "positive"]
# Short, long, emoji, non-Latin, handles and hashtags: the kinds of text a stream brings.
PARITY_TEXTS = [
    "I love the new update, great work @support!",
    "worst customer service ever #fail",
    "Barack Obama visited Paris and met people from Google.",
    "ok",
    "Just landed in New York \U0001F5FD\U0001F5FD can't wait for tonight's show at Madison Square Garden",
    "El servicio fue terrible y nadie respondió",
    "RT @user: " + "this thread is long " * 40,
    "read this https://t.co/AbC123xyz and www.example.com/x?y=1 now",
]

# Shapes of the old pipeline's models (their published configs), for the speed comparison.
RANDOM_PRESETS = {
    # cardiffnlp/twitter-roberta-base-sentiment-latest: RoBERTa-base, 125M parameters
    "roberta-base-sentiment": dict(
        family="roberta", task="sentiment", vocab_size=50265, hidden_size=768, num_hidden_layers=12,
        num_attention_heads=12, intermediate_size=3072, max_position_embeddings=514, type_vocab_size=1,
        pad_token_id=1, labels=SENTIMENT),
    # flair/ner-english-large: an XLM-R large encoder (560M parameters) under a token classifier
    "xlm-roberta-large-ner": dict(
        family="xlm-roberta", task="entities", vocab_size=250002, hidden_size=1024, num_hidden_layers=24,
        num_attention_heads=16, intermediate_size=4096, max_position_embeddings=514, type_vocab_size=1,
        pad_token_id=1, labels=["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]),
}

OUTPUT_OF_TASK = {"sentiment": "sentiment_logits", "entities": "entity_logits"}


class Logits(torch.nn.Module):
    """The classifier with its logits as the graph's one output, named for the tidings contract."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).logits
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def task_of(config, requested):
    if requested:
        return requested
    for arch in config.architectures or []:
        if arch.endswith("ForSequenceClassification"):
            return "sentiment"
        if arch.endswith("ForTokenClassification"):
            return "entities"
    sys.exit(f"cannot tell the task from architectures {config.architectures}: pass --task sentiment|entities")


def canonical_sentiment(labels):
    """Our names for a 3-class sentiment model's labels, in its own id order, or exit with why not."""
    if len(labels) != 3:
        sys.exit(f"a sentiment model needs 3 labels (negative, neutral, positive), this one has {labels}")
    if [l.upper() for l in labels] == ["LABEL_0", "LABEL_1", "LABEL_2"]:
        return SENTIMENT  # the convention of most 3-class tweet sentiment models, e.g. cardiffnlp's
    out = []
    for label in labels:
        low = label.lower()
        match = [s for s in SENTIMENT if low.startswith(s[:3])]
        if not match:
            sys.exit(f"label {label!r} is not negative/neutral/positive: pass --labels with our names in id order")
        out.append(match[0])
    if sorted(out) != sorted(SENTIMENT):
        sys.exit(f"labels {labels} do not map one-to-one onto {SENTIMENT}: pass --labels")
    return out


def check_bio(labels):
    for label in labels:
        if label != "O" and not (label[:2] in ("B-", "I-") and len(label) > 2):
            sys.exit(f"entity label {label!r} is not a BIO tag (O, B-TYPE, I-TYPE): pass --labels in id order")
    return labels


def random_model(preset, seed):
    from transformers import (RobertaConfig, RobertaForSequenceClassification, RobertaForTokenClassification,
                              XLMRobertaConfig, XLMRobertaForSequenceClassification,
                              XLMRobertaForTokenClassification)
    spec = dict(RANDOM_PRESETS[preset])
    family, task, labels = spec.pop("family"), spec.pop("task"), spec.pop("labels")
    config_class = RobertaConfig if family == "roberta" else XLMRobertaConfig
    config = config_class(**spec, id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    classes = {("roberta", "sentiment"): RobertaForSequenceClassification,
               ("roberta", "entities"): RobertaForTokenClassification,
               ("xlm-roberta", "sentiment"): XLMRobertaForSequenceClassification,
               ("xlm-roberta", "entities"): XLMRobertaForTokenClassification}
    torch.manual_seed(seed)
    config._attn_implementation = "eager"
    return classes[(family, task)](config), task


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", nargs="?", help="save_pretrained directory (or hub id)")
    ap.add_argument("out", help="output model directory")
    ap.add_argument("--task", choices=["sentiment", "entities"], help="default: from the config's architectures")
    ap.add_argument("--labels", help="comma-separated labels in id order (our names), when the config's are unusable")
    ap.add_argument("--max-length", type=int, default=128, help="tokens per post; longer posts are truncated")
    ap.add_argument("--int8", action="store_true", help="dynamic int8 quantization (MatMul weights, embeddings)")
    ap.add_argument("--urls", choices=["keep", "shorten"], default="keep",
                    help="shorten: the model reads each URL as its first four characters ('http'), as the cardiffnlp "
                         "Twitter models were trained (links replaced by 'http'); see common.shorten_urls")
    ap.add_argument("--name", help="model name (default: the source folder's name)")
    ap.add_argument("--version", default=datetime.date.today().strftime("%Y.%m.%d"))
    ap.add_argument("--random", choices=sorted(RANDOM_PRESETS), help="random weights of a known shape, no SRC")
    ap.add_argument("--tokenizer", help="tokenizer.json to use with --random")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    torch.set_num_threads(2)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("model.onnx", "model.onnx.data", "model.fp32.onnx", "model.fp32.onnx.data"):
        (out / stale).unlink(missing_ok=True)

    if args.random:
        if not args.tokenizer:
            sys.exit("--random needs --tokenizer FILE (tokenizer.json)")
        model, task = random_model(args.random, args.seed)
        tokenizer = Tokenizer.from_file(args.tokenizer)
        tokenizer.save(str(out / "tokenizer.json"))
        name = args.name or args.random
        source = f"random weights (seed {args.seed}) in the shape of {args.random}; tokenizer {args.tokenizer}"
        input_names = ["input_ids", "attention_mask"]
    else:
        if not args.src:
            sys.exit("give SRC (a save_pretrained directory) or --random PRESET")
        from transformers import (AutoConfig, AutoModelForSequenceClassification, AutoModelForTokenClassification,
                                  AutoTokenizer)
        config = AutoConfig.from_pretrained(args.src)
        task = task_of(config, args.task)
        model_class = AutoModelForSequenceClassification if task == "sentiment" else AutoModelForTokenClassification
        # Eager attention: a plain MatMul/Softmax graph that exports and quantizes cleanly.
        model = model_class.from_pretrained(args.src, attn_implementation="eager")
        fast = AutoTokenizer.from_pretrained(args.src, use_fast=True)
        if not getattr(fast, "is_fast", False):
            sys.exit("the model has no fast tokenizer (tokenizer.json); the Java runtime needs one")
        fast.backend_tokenizer.save(str(out / "tokenizer.json"))
        name = args.name or Path(args.src.rstrip("/")).name
        source = args.src
        input_names = [n for n in fast.model_input_names if n in ("input_ids", "attention_mask", "token_type_ids")]
        if getattr(model.config, "type_vocab_size", 1) <= 1 and "token_type_ids" in input_names:
            input_names.remove("token_type_ids")
    model.eval()

    labels = args.labels.split(",") if args.labels else [model.config.id2label[i] for i in range(model.config.num_labels)]
    labels = canonical_sentiment(labels) if task == "sentiment" else check_bio(labels)
    output = OUTPUT_OF_TASK[task]

    # The Java runtime tokenizes with this file: special tokens added, truncated to max_length.
    tokenizer = Tokenizer.from_file(str(out / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(args.max_length)
    pad_id = int(model.config.pad_token_id if model.config.pad_token_id is not None else 0)

    def feeds(id_lists):
        width = max(len(x) for x in id_lists)
        ids = np.full((len(id_lists), width), pad_id, dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, x in enumerate(id_lists):
            ids[i, :len(x)] = x
            mask[i, :len(x)] = 1
        all_inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return {n: all_inputs[n] for n in input_names}

    sample = feeds([tokenizer.encode("hello world").ids, tokenizer.encode("a longer second sample text").ids])
    fp32_path = out / ("model.fp32.onnx" if args.int8 else "model.onnx")
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence", max=args.max_length)
    # The torch.export-based exporter: the TorchScript tracer freezes transformers' attention-mask
    # arithmetic to the sample's shapes (outputs then drift for other lengths; parity catches it).
    with torch.no_grad():
        torch.onnx.export(Logits(model), tuple(torch.from_numpy(sample[n]) for n in input_names),
                          str(fp32_path), input_names=input_names, output_names=[output],
                          dynamic_shapes={n: {0: batch, 1: sequence} for n in input_names},
                          opset_version=18, dynamo=True, optimize=True, verbose=False,
                          # One file where protobuf allows it (< 2 GB), so any location can carry it.
                          external_data=sum(p.numel() * 4 for p in model.parameters()) > 1.8e9)
    if args.int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic
        # QUInt8 weights: the recipe that cost the bundled model least accuracy (models/training/README.md).
        quantize_dynamic(str(fp32_path), str(out / "model.onnx"), op_types_to_quantize=["MatMul", "Gather"],
                         weight_type=QuantType.QUInt8)
        fp32_path.unlink()

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(out / "model.onnx"), options, providers=["CPUExecutionProvider"])
    cases, worst = [], 0.0
    for text in PARITY_TEXTS:
        ids = tokenizer.encode(shorten_urls(text) if args.urls == "shorten" else text).ids
        onnx_out = session.run([output], feeds([ids]))[0][0]
        with torch.no_grad():
            torch_out = model(**{k: torch.from_numpy(v) for k, v in feeds([ids]).items()}).logits[0].numpy()
        worst = max(worst, float(np.abs(onnx_out - torch_out).max()))
        cases.append({"text": text, "input_ids": ids,
                      "onnx": {output: np.round(onnx_out.astype(float), 6).tolist()},
                      "pytorch": {output: np.round(torch_out.astype(float), 6).tolist()}})
    if not args.int8 and worst > 1e-3:
        sys.exit(f"ONNX and PyTorch disagree by {worst:.5f} (> 1e-3): the export is wrong")
    tolerance = 0.25 if args.int8 else 1e-3
    json.dump({"model": name, "version": args.version,
               "note": "batch size 1, no padding; onnx = onnxruntime (Python) on model.onnx; "
                       "pytorch = the fp32 PyTorch model before export" + (" and quantization" if args.int8 else ""),
               "onnx_tolerance": tolerance, "pytorch_tolerance": round(max(worst, 1e-6) * 1.5, 6),
               "max_abs_diff_onnx_vs_pytorch": round(worst, 6), "cases": cases},
              open(out / "parity.json", "w"), ensure_ascii=False)

    config = model.config.to_dict()
    for key in ("_attn_implementation", "_attn_implementation_internal", "transformers_version", "dtype",
                "torch_dtype", "_name_or_path"):
        config.pop(key, None)
    head = {"output": output, "labels": labels}
    if task == "entities":
        head["scheme"] = "BIO"
    config["tidings"] = {"name": name, "version": args.version + ("-int8" if args.int8 else ""),
                         "max_length": args.max_length, "base_model": source, "inputs": input_names,
                         "urls": args.urls, "heads": {task: head}}
    json.dump(config, open(out / "config.json", "w"), indent=2)

    size_mib = sum(p.stat().st_size for p in out.iterdir() if p.name.startswith("model.onnx")) / 2**20
    (out / "README.md").write_text(f"""# {name}

Exported for tidings by `models/training/export_hf.py` on {datetime.date.today()}.

- Source: {source}
- Task: {task} (`{output}`), labels in id order: {", ".join(labels)}
- Inputs: {", ".join(input_names)}; posts are truncated to {args.max_length} tokens; URLs: {args.urls}
- Weights: {"dynamic int8 (QUInt8 MatMul + Gather)" if args.int8 else "fp32"}, {size_mib:.1f} MiB
- Parity: max |ONNX − PyTorch| = {worst:.2g} over {len(cases)} sample texts (`parity.json`)

Check it in the job's own runtime with `bin/tidings eval parity --model {out}`, measure it with
`bin/tidings eval {task} FILE --model {out}`, and run the job with `--model {out}`.
Licence and intended use: those of the source model.
""")
    print(f"exported {name}: {task}, {len(labels)} labels, inputs {input_names}, {size_mib:.1f} MiB, "
          f"parity max diff {worst:.2g} -> {out}")


if __name__ == "__main__":
    main()
