"""Multi-task fine-tuning of all-MiniLM-L6-v2 (or some of its layers, --layers): tweet sentiment (3 classes)
+ BIO entities (PER/ORG/LOC). token_type_ids carry letter case (common.Tokens).

Sentiment and NER batches are interleaved (shuffled together each epoch; NER batches are repeated
--ner-repeat times per epoch; with --augment P each of those passes swaps entity mentions for others of their kind,
see common.replace_mentions). Whole encoder is fine-tuned with AdamW + linear warmup/decay.
Best checkpoint (by mean of dev sentiment macro-recall and BTC dev entity F1) -> $WORK/best{tag}.pt, with its
model config beside it (best{tag}.config.json) and its dev metrics and arguments (best{tag}.json).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from common import (DATA_DIR, ENCODERS, IGNORE, SEED, WORK, Tokens, casing_types, decode_token_entities,
                    encode_conll_sentence, encoder_work, load_sentiment, load_tokenizer, load_unlabelled, mention_pool,
                    prf, read_conll, replace_mentions, sentiment_metrics, split_sentiment, split_sentiment_by_time,
                    tokens)
from model import TweetMultiTask, load_config

LOG = None


def log(*a):
    msg = time.strftime("%H:%M:%S ") + " ".join(str(x) for x in a)
    print(msg, flush=True)
    if LOG:
        with open(LOG, "a") as fh:
            fh.write(msg + "\n")


def set_seed(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


def prepare(tok, sentiment_dev="random"):
    if sentiment_dev == "time":
        s_train, s_dev = split_sentiment_by_time()
    else:
        s_train, s_dev = split_sentiment(load_sentiment())
    s_train_e = [(tokens(tok, t), y) for _, y, t in s_train]
    s_dev_e = [(tokens(tok, t), y) for _, y, t in s_dev]
    ner = DATA_DIR / "ner"
    # entity training sentences as (words, tags, source): encode_ner tokenizes them, once or, with mention
    # replacement, on every pass
    n_train = [(words, tags, src) for src, f in (("btc", "btc.train.merged.conll"), ("wnut", "wnut17.train.conll"))
               for words, tags in read_conll(ner / f, src)]
    n_dev = {}
    for name, src, f in (("btc", "btc", "btc.dev.merged.conll"), ("wnut", "wnut", "wnut17.dev.conll")):
        items = []
        for words, tags in read_conll(ner / f, src):
            text, e, labels, gold = encode_conll_sentence(tok, words, tags)
            items.append((Tokens(e.ids, casing_types(text, e)), e.offsets, e.special_tokens_mask, gold, text))
        n_dev[name] = items
    return s_train_e, s_dev_e, n_train, n_dev, (len(s_train), len(s_dev))


def unlabelled_items(tok, s_dev_texts):
    """Distillation-only items (Tokens, None) of the unlabelled tweets, dev texts left out."""
    return [(tokens(tok, t), None) for t in load_unlabelled(exclude=s_dev_texts)]


def item_key(ids):
    """How a training item is found among the teacher's targets: its token ids (the students and the teacher share
    the tokenizer, so the same text has the same ids; casing types follow from the text)."""
    return hash(tuple(ids))


def encode_ner(tok, sentences):
    """(words, tags, source) sentences -> (Tokens, labels) training items; WNUT's @-handles are masked (its
    guidelines tag them O, BTC's tag them), sentences with nothing left to learn from are dropped."""
    items = []
    for words, tags, src in sentences:
        text, e, labels, _ = encode_conll_sentence(tok, words, tags, mask_mentions=(src == "wnut"))
        if any(l != IGNORE for l in labels):
            items.append((Tokens(e.ids, casing_types(text, e)), labels))
    return items


def pad(seqs, value=0):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), value, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def make_batches(items, bs, rng, chunk=50):
    """Length-bucketed batches: shuffle, sort within chunks of chunk*bs, cut, shuffle batches."""
    idx = list(range(len(items)))
    rng.shuffle(idx)
    batches = []
    for c in range(0, len(idx), chunk * bs):
        part = sorted(idx[c:c + chunk * bs], key=lambda i: len(items[i][0]))
        batches += [part[i:i + bs] for i in range(0, len(part), bs)]
    rng.shuffle(batches)
    return batches


def to_inputs(ids_list):
    """Padded input_ids, attention_mask and token_type_ids (casing, see common.Tokens) of a batch."""
    ids = pad(ids_list)
    mask = torch.zeros_like(ids)
    for i, s in enumerate(ids_list):
        mask[i, :len(s)] = 1
    return ids, mask, pad([s.types for s in ids_list])


def device_of(model):
    return next(model.parameters()).device


@torch.no_grad()
def evaluate(model, s_dev, n_dev, bs=64):
    model.eval()
    dev = device_of(model)
    preds = []
    order = sorted(range(len(s_dev)), key=lambda i: len(s_dev[i][0]))
    pmap = {}
    for b in range(0, len(order), bs):
        idx = order[b:b + bs]
        ids, mask, tt = (x.to(dev) for x in to_inputs([s_dev[i][0] for i in idx]))
        sl, _ = model(ids, mask, tt)
        for i, p in zip(idx, sl.argmax(-1).tolist()):
            pmap[i] = p
    preds = [pmap[i] for i in range(len(s_dev))]
    res = {"sentiment": sentiment_metrics([y for _, y in s_dev], preds)}
    for name, items in n_dev.items():
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        pred_spans = [None] * len(items)
        for b in range(0, len(order), bs):
            idx = order[b:b + bs]
            ids, mask, tt = (x.to(dev) for x in to_inputs([items[i][0] for i in idx]))
            _, el = model(ids, mask, tt)
            lab = el.argmax(-1).tolist()
            for j, i in enumerate(idx):
                n = len(items[i][0])
                pred_spans[i] = decode_token_entities(lab[j][:n], items[i][1], items[i][2], items[i][4])
        res["entities_" + name] = prf([set(it[3]) for it in items], [set(p) for p in pred_spans])
    model.train()
    return res


def checkpoint_config(ckpt):
    """The model config saved beside a checkpoint (its depth may differ from the pretrained encoder's)."""
    return Path(ckpt).with_suffix(".config.json")


def save_config(config, path):
    d = config.to_dict()
    for k in ("_attn_implementation", "_attn_implementation_internal", "transformers_version", "dtype",
              "torch_dtype"):
        d.pop(k, None)
    json.dump(d, open(path, "w"), indent=1)


def load_dev_texts(sentiment_dev):
    """The sentiment dev texts, which distillation must not learn from."""
    if sentiment_dev == "time":
        _, dev = split_sentiment_by_time()
    else:
        _, dev = split_sentiment(load_sentiment())
    return [t for _, _, t in dev]


def distillation_loss(sentiment_logits, entity_logits, targets, mask, temp):
    """KL divergence of the student's softened outputs from the teacher's, on both heads, for every item: a
    sentiment tweet also learns the teacher's entities and an entity sentence its sentiment. Tokens: those the
    attention mask covers but [CLS] and [SEP] (the teacher's targets hold one row per token id, special ones
    included). Scaled by temp^2 (Hinton et al. 2015) so the gradients keep their size as temp changes."""
    dev = sentiment_logits.device
    t_sent = torch.stack([torch.as_tensor(t[0], dtype=torch.float) for t in targets]).to(dev)
    t_ent = torch.zeros_like(entity_logits)
    tokens_mask = mask.clone().bool()
    for i, t in enumerate(targets):
        n = len(t[1])
        t_ent[i, :n] = torch.as_tensor(t[1], dtype=torch.float).to(dev)
        tokens_mask[i, 0] = False
        tokens_mask[i, n - 1] = False
    kl_s = F.kl_div(F.log_softmax(sentiment_logits / temp, -1), F.softmax(t_sent / temp, -1), reduction="batchmean")
    kl_e = F.kl_div(F.log_softmax(entity_logits[tokens_mask] / temp, -1), F.softmax(t_ent[tokens_mask] / temp, -1),
                    reduction="batchmean")
    return (kl_s + kl_e) * temp * temp


def score(res):
    return 0.5 * res["sentiment"]["macro_recall"] + 0.5 * res["entities_btc"]["micro"]["f1"]


def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--bs", type=int, default=32)
    ap.add_argument("--ner-repeat", type=int, default=2, help="NER passes per epoch")
    ap.add_argument("--sent-frac", type=float, default=1.0, help="fraction of sentiment train used per epoch")
    ap.add_argument("--eval-at", default="0.5,0.75,1.0", help="dev evaluations at these fractions of training")
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--class-weight", default="inverse", choices=["inverse", "sqrt", "none"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sentiment-dev", default="random", choices=["random", "time"],
                    help="random: stratified 5%% of all SemEval files; time: train on all but the latest file "
                         "(2016 test), choose on it, as held-out data is later than training data")
    ap.add_argument("--stop-at", type=float, default=1.0,
                    help="stop (after evaluating) at this fraction of the schedule, LR not yet decayed")
    ap.add_argument("--init-from", default="", help="full model state dict to start from (stage 2)")
    ap.add_argument("--layers", default="",
                    help="pretrained encoder layers to keep, e.g. 0,1,2 (a shallower, faster model); all when empty")
    ap.add_argument("--tag", default="", help="suffix for best{tag}.pt / best{tag}.json")
    ap.add_argument("--seed", type=int, default=SEED,
                    help="initialisation and batch order (the dev split keeps its own fixed seed), to tell a change from run-to-run variance")
    ap.add_argument("--bench", type=int, default=0, help="only time N training steps and exit")
    ap.add_argument("--augment", type=float, default=0.0,
                    help="mention replacement: each NER pass swaps each entity mention for another of its kind with this probability")
    ap.add_argument("--encoder", default="minilm", choices=sorted(ENCODERS),
                    help="pretrained encoder to start from (convert_encoder.py --encoder NAME first)")
    ap.add_argument("--device", default="auto", help="auto (cuda when there is one), cpu or cuda")
    ap.add_argument("--kd", default="", help="teacher targets (teacher_targets.py) to distill from")
    ap.add_argument("--kd-alpha", type=float, default=0.5,
                    help="weight of the teacher's soft targets against the gold labels (1 - alpha)")
    ap.add_argument("--kd-temp", type=float, default=2.0, help="softmax temperature of distillation")
    ap.add_argument("--unlabelled-repeat", type=int, default=0,
                    help="passes per epoch over unlabelled tweets, learned from the teacher alone (needs --kd)")
    ap.add_argument("--max-minutes", type=float, default=38.0,
                    help="time budget of the training loop; LR decays to 0 by then (whichever of steps/time ends first)")
    args = ap.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    LOG = WORK / "train.log"
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available()
                          else "cpu" if args.device == "auto" else args.device)
    set_seed(args.seed)
    t0 = time.time()
    tok = load_tokenizer()
    s_train, s_dev, n_sentences, n_dev, sizes = prepare(tok, args.sentiment_dev)
    n_train = encode_ner(tok, n_sentences)
    pool = mention_pool(n_sentences) if args.augment else None
    teacher = {}
    unlabelled = []
    if args.kd:
        if args.augment:
            raise SystemExit("--augment changes the texts every pass, so the teacher's targets would not match: not with --kd")
        teacher = torch.load(args.kd)
        log(f"teacher targets: {len(teacher)} items from {args.kd}")
        if args.unlabelled_repeat:
            dev_texts = set(load_dev_texts(args.sentiment_dev))
            unlabelled = [it for it in unlabelled_items(tok, dev_texts) if item_key(it[0]) in teacher]
            log(f"unlabelled tweets with teacher targets: {len(unlabelled)}")
        # Every labelled item should have the teacher's targets (teacher_targets.py covers them all); one without
        # (a smoke test's --limit, a different split) is left out rather than learned from the gold label alone.
        kept_s = [it for it in s_train if item_key(it[0]) in teacher]
        kept_n = [it for it in n_train if item_key(it[0]) in teacher]
        if len(kept_s) < len(s_train) or len(kept_n) < len(n_train):
            log(f"WARNING: no teacher targets for {len(s_train) - len(kept_s)} sentiment and "
                f"{len(n_train) - len(kept_n)} entity items: left out")
        s_train, n_train = kept_s, kept_n
    log(f"data: sentiment train={len(s_train)} dev={len(s_dev)}; ner train={len(n_train)} "
        f"dev btc={len(n_dev['btc'])} wnut={len(n_dev['wnut'])}; prep {time.time() - t0:.0f}s")

    if args.init_from:  # continue from an earlier stage's full multi-task checkpoint, with its shape
        saved = checkpoint_config(args.init_from)
        config = load_config(saved if saved.exists() else WORK / "encoder_config.json")
        model = TweetMultiTask(config)
        model.load_state_dict(torch.load(args.init_from, map_location="cpu"))
        log("initialised from", args.init_from)
    else:
        config = load_config(encoder_work(args.encoder) / "encoder_config.json")
        state = torch.load(encoder_work(args.encoder) / "encoder_init.pt")
        if args.layers:  # keep the chosen layers, renumbered 0..n-1
            keep = [int(x) for x in args.layers.split(",")]
            config.num_hidden_layers = len(keep)
            state = {k: v for k, v in state.items() if not k.startswith("encoder.layer.")} | {
                k.replace(f"encoder.layer.{src}.", f"encoder.layer.{dst}.", 1): v
                for dst, src in enumerate(keep) for k, v in state.items() if k.startswith(f"encoder.layer.{src}.")}
        model = TweetMultiTask(config)
        missing, unexpected = model.bert.load_state_dict(state, strict=False)
        assert not unexpected and all("position_ids" in m for m in missing), (missing, unexpected)
        # token type 1 now means "starts with a capital" (common.Tokens), not "second sentence": start it
        # equal to type 0 so the pretrained encoder's outputs are unchanged until training gives it meaning
        with torch.no_grad():
            emb = model.bert.embeddings.token_type_embeddings.weight
            emb[1] = emb[0]
    log(f"encoder: {config.num_hidden_layers} layers, hidden {config.hidden_size}; device {device}")
    model.to(device)
    model.train()

    counts = np.bincount([y for _, y in s_train], minlength=3).astype(float)
    if args.class_weight == "inverse":
        w = counts.sum() / (3 * counts)
    elif args.class_weight == "sqrt":
        w = np.sqrt(counts.sum() / (3 * counts))
    else:
        w = np.ones(3)
    cw = torch.tensor(w / (w * counts / counts.sum()).sum(), dtype=torch.float, device=device)
    log("class weights", [round(x, 3) for x in cw.tolist()])

    rng = random.Random(args.seed)
    n_sent_per_epoch = int(len(s_train) * args.sent_frac)
    steps_per_epoch = (math.ceil(n_sent_per_epoch / args.bs) + args.ner_repeat * math.ceil(len(n_train) / args.bs)
                       + args.unlabelled_repeat * math.ceil(len(unlabelled) / args.bs))
    total = int(steps_per_epoch * args.epochs) if not args.bench else args.bench
    no_decay = ("bias", "LayerNorm.weight")
    params = [{"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)], "weight_decay": 0.01},
              {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(params, lr=args.lr)
    warm = max(1, int(total * args.warmup))
    budget_s = args.max_minutes * 60
    t_start = time.time()

    def progress(s):
        # time-aware: on a shared CPU the step budget may not fit; decay follows whichever runs out first
        return max(s / total, (time.time() - t_start) / budget_s)

    def lr_factor(s):
        p = max((s + 1) / total, progress(s))
        return min(p / max(args.warmup, 1e-9), max(0.0, (1.0 - p) / (1.0 - args.warmup)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    log(f"args {vars(args)}; steps/epoch={steps_per_epoch} total={total} warmup={warm}")

    def epoch_plan():
        sb = make_batches(s_train, args.bs, rng)
        sb = sb[:math.ceil(n_sent_per_epoch / args.bs)]
        plan = [("s", s_train, b) for b in sb]
        for _ in range(args.ner_repeat):
            items = n_train
            if args.augment:
                items = encode_ner(tok, [(*replace_mentions(w, t, src, pool, args.augment, rng), src)
                                         for w, t, src in n_sentences])
            plan += [("n", items, b) for b in make_batches(items, args.bs, rng)]
        for _ in range(args.unlabelled_repeat if unlabelled else 0):
            plan += [("u", unlabelled, b) for b in make_batches(unlabelled, args.bs, rng)]
        rng.shuffle(plan)
        return plan

    step, best, best_res = 0, -1.0, None
    eval_points = [float(x) for x in args.eval_at.split(",")]  # fractions of progress
    next_eval = 0
    run_loss = {"s": [], "n": [], "u": []}
    stop = False
    while step < total and not stop:
        for kind, items, b in epoch_plan():
            ids, mask, tt = (x.to(device) for x in to_inputs([items[i][0] for i in b]))
            sl, el = model(ids, mask, tt)
            if kind == "s":
                y = torch.tensor([items[i][1] for i in b], device=device)
                gold = F.cross_entropy(sl, y, weight=cw)
            elif kind == "n":
                y = pad([items[i][1] for i in b], IGNORE).to(device)
                gold = F.cross_entropy(el.reshape(-1, el.shape[-1]), y.reshape(-1), ignore_index=IGNORE)
            else:
                gold = torch.zeros((), device=device)
            if teacher:
                soft = distillation_loss(sl, el, [teacher[item_key(items[i][0])] for i in b], mask, args.kd_temp)
                loss = soft if kind == "u" else (1 - args.kd_alpha) * gold + args.kd_alpha * soft
            else:
                loss = gold
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            run_loss[kind].append(loss.item())
            step += 1
            el_t = time.time() - t_start
            if step % 50 == 0 or (args.bench and step % 10 == 0):
                p_now = progress(step)
                log(f"step {step}/{total} {el_t / step:.3f}s/step eta {(1 - p_now) * el_t / max(p_now, 1e-6) / 60:.1f}min "
                    f"lr {sched.get_last_lr()[0]:.2e} loss_s {np.mean(run_loss['s'][-50:] or [0]):.4f} "
                    f"loss_n {np.mean(run_loss['n'][-50:] or [0]):.4f} loss_u {np.mean(run_loss['u'][-50:] or [0]):.4f}")
            if args.bench and step >= args.bench:
                log(f"BENCH {el_t / step:.3f} s/step")
                return
            p = progress(step)
            over = p >= min(1.0, args.stop_at)
            due = next_eval < len(eval_points) and p >= eval_points[next_eval]
            if due or step >= total or over:
                while next_eval < len(eval_points) and p >= eval_points[next_eval]:
                    next_eval += 1
                te = time.time()
                res = evaluate(model, s_dev, n_dev)
                sc = score(res)
                log(f"EVAL step {step} score {sc:.4f} sent {res['sentiment']['macro_recall']} acc {res['sentiment']['accuracy']} "
                    f"btcF1 {res['entities_btc']['micro']['f1']} wnutF1 {res['entities_wnut']['micro']['f1']} ({time.time() - te:.0f}s)")
                if sc > best:
                    best, best_res = sc, res
                    torch.save(model.state_dict(), WORK / f"best{args.tag}.pt")
                    save_config(config, checkpoint_config(WORK / f"best{args.tag}.pt"))
                    json.dump({"step": step, "score": sc, "dev": res, "args": vars(args),
                               "sizes": {"sentiment_train": sizes[0], "sentiment_dev": sizes[1],
                                         "ner_train_sentences": len(n_train)},
                               "train_minutes": round(el_t / 60, 1)},
                              open(WORK / f"best{args.tag}.json", "w"), indent=1)
                    log("  saved best")
            if over:
                log(f"progress 100% at step {step} (time or step budget reached), stopping")
                stop = True
            if step >= total or stop:
                break
    log(f"done in {(time.time() - t0) / 60:.1f} min; best score {best:.4f}")
    log(json.dumps(best_res))


if __name__ == "__main__":
    main()
