"""Shared helpers for the tweet-multitask model: paths, data loading, tokenization, metrics.

All tokenization goes through the Rust `tokenizers` library with the encoder's tokenizer.json,
so token ids and offsets are exactly what the Java runtime (DJL HF tokenizers binding) produces.
"""
from __future__ import annotations

import glob
import json
import os
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = Path(os.environ.get("TIDINGS_SHARED", REPO.parent / "shared"))
if not SHARED.exists():
    SHARED = Path("/work/shared")
ENCODER_DIR = SHARED / "encoders" / "all-MiniLM-L6-v2"
# The encoders to start from, by short name: MiniLM-L6 for the shipped students, the 12-layer bge-small as the
# teacher they are distilled from (distill.sh). Both use the same uncased WordPiece tokenizer (same vocabulary,
# normalizer and special tokens), so a teacher's per-token logits line up with a student's tokens one for one.
ENCODERS = {"minilm": "all-MiniLM-L6-v2", "bge-small": "bge-small-en-v1.5"}
DATA_DIR = SHARED / "datasets"
CACHE = Path(os.environ.get("TIDINGS_CACHE", Path.home() / ".cache" / "tidings"))
WORK = CACHE / "tweet-multitask"
BUNDLE = REPO / "models" / "bundled" / "tweet-multitask"



def encoder_dir(name):
    """The pretrained encoder's folder under ../shared/encoders."""
    return SHARED / "encoders" / ENCODERS[name]


def encoder_work(name):
    """Where convert_encoder.py puts an encoder's PyTorch weights: WORK itself for MiniLM (as before), else a folder."""
    return WORK if name == "minilm" else WORK / name


MAX_LEN = 128
SEED = 13
SENT_LABELS = ["negative", "neutral", "positive"]
NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
NER2ID = {l: i for i, l in enumerate(NER_LABELS)}
IGNORE = -100
WNUT_MAP = {"person": "PER", "location": "LOC", "corporation": "ORG", "group": "ORG",
            "product": None, "creative-work": None}


def load_tokenizer(path=ENCODER_DIR / "tokenizer.json"):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LEN)
    return tok


class Tokens(list):
    """One text's token ids, carrying its `types` (the `token_type_ids` the model is fed).

    The vocabulary is uncased, so "Apple" and "apple" get the same ids; the type of a token says whether
    its first character in the original text is an upper-case letter (1) or not (0), which gives the
    entity head back the strongest cue for names. The Java runtime computes the same from its own
    offsets when `config.json` says `"token_types": "casing"` (see models/README.md).
    """

    def __init__(self, ids, types):
        super().__init__(ids)
        self.types = list(types)


def casing_types(text, enc):
    return [1 if not special and b > a and text[a].isupper() else 0
            for (a, b), special in zip(enc.offsets, enc.special_tokens_mask)]


# A URL as RFC 3986 spells it (ASCII only, so Python and Java count its length alike)
URL = re.compile(r"(?i)\b(?:https?://|www\.)[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def shorten_urls(text):
    """The text a model with `"urls": "shorten"` in config.json reads (export_hf.py --urls shorten): each URL keeps
    its first four characters ("http", "www.") and the rest become spaces, so offsets into the text do not move.
    The bundled model reads URLs as written: retrained with shortened URLs it scored lower on dev (see README)."""
    return URL.sub(lambda m: m.group(0)[:4] + " " * (len(m.group(0)) - 4), text)


def tokens(tok, text):
    """Token ids of `text` with their casing types (see Tokens)."""
    enc = tok.encode(text)
    return Tokens(enc.ids, casing_types(text, enc))


# ---------------------------------------------------------------- sentiment
_UESC = re.compile(r"\\u([0-9a-fA-F]{4})")


def clean_sentiment_text(t: str) -> str:
    t = t.strip()
    if len(t) >= 2 and t.startswith('"') and t.endswith('"'):
        t = t[1:-1].replace('""', '"')
    t = _UESC.sub(lambda m: chr(int(m.group(1), 16)), t)
    # surrogate pairs written as two \uXXXX escapes
    t = t.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    t = t.replace('\\"', '"')
    return t


# The file whose tweets are the newest: a time-shifted dev split chooses on it (issue 15). SemEval's held-out
# 2017 test was collected after every training file, so a random dev split (tweets of the same months as the
# training data) overstates what a model reaches on later posts.
LATEST_SENTIMENT_FILE = "twitter-2016test-A.tsv"


def load_sentiment(exclude_files=()):
    rows = []
    for f in sorted(glob.glob(str(DATA_DIR / "sentiment" / "*.tsv"))):
        if Path(f).name in exclude_files:
            continue
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3 or parts[1] not in SENT_LABELS:
                    continue
                text = clean_sentiment_text(parts[2])
                rows.append((parts[0], SENT_LABELS.index(parts[1]), text))
    # de-duplicate by tweet id (same tweet can appear in several releases)
    seen, out = set(), []
    for r in rows:
        if r[0] in seen:
            continue
        seen.add(r[0])
        out.append(r)
    return out


def split_sentiment_by_time():
    """Train on every SemEval file but the latest, choose on the latest (tweets also in the training files are
    dropped from it): the shift a deployed model meets."""
    train = load_sentiment(exclude_files=(LATEST_SENTIMENT_FILE,))
    ids = {r[0] for r in train}
    latest = [r for r in load_sentiment() if r[0] not in ids]
    dev = sorted(latest, key=lambda r: r[0])
    random.Random(SEED).shuffle(train)
    return train, dev


def split_sentiment(rows, dev_frac=0.05, seed=SEED):
    """Stratified random dev split, fixed seed."""
    rng = random.Random(seed)
    train, dev = [], []
    for c in range(3):
        cls = [r for r in rows if r[1] == c]
        rng.shuffle(cls)
        n = int(round(len(cls) * dev_frac))
        dev += cls[:n]
        train += cls[n:]
    rng.shuffle(train)
    dev.sort(key=lambda r: r[0])
    return train, dev


def load_unlabelled(exclude=()):
    """Tweet texts with no sentiment or entity labels, for distillation only (the teacher labels them): the
    train/val texts of TweetEval's emotion, hate, irony and offensive tasks (never their test splits, which are not
    here) and the raw v1.1 tweets. Texts in `exclude` (the dev sets) are left out, so that no dev text is learned
    from; duplicates are dropped."""
    texts, seen = [], set(exclude)
    for task in ("emotion", "hate", "irony", "offensive"):
        for split in ("train", "val"):
            path = DATA_DIR / "tweeteval" / task / f"{split}_text.txt"
            if path.exists():
                for line in open(path, encoding="utf-8"):
                    t = line.strip()
                    if t and t not in seen:
                        seen.add(t)
                        texts.append(t)
    for path in sorted(glob.glob(str(DATA_DIR / "twitter-v1.1" / "*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            status = json.loads(line)
            t = (status.get("extended_tweet") or {}).get("full_text") or status.get("full_text") or status.get("text")
            if t and t not in seen:
                seen.add(t)
                texts.append(t)
    return texts


# ---------------------------------------------------------------- NER
def read_conll(path, source):
    """Returns list of (tokens, tags) with tags mapped to PER/ORG/LOC BIO (None = masked)."""
    sents, toks, tags = [], [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                toks, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                parts = line.split()
            tok, tag = parts[0], parts[-1].strip()
            if source == "wnut" and tag != "O":
                p, typ = tag.split("-", 1)
                m = WNUT_MAP[typ]
                tag = "O" if m is None else f"{p}-{m}"
            toks.append(tok)
            tags.append(tag)
    if toks:
        sents.append((toks, tags))
    # repair I- after O / different type into B- (conlleval would start a new chunk anyway)
    for toks, tags in sents:
        prev = "O"
        for i, t in enumerate(tags):
            if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
                tags[i] = "B-" + t[2:]
            prev = tags[i]
    return sents


def encode_conll_sentence(tok, words, tags, mask_mentions=False):
    """Join words with single spaces, tokenize, project word BIO tags onto every sub-token.

    Returns (text, encoding, labels, gold_spans) where gold_spans are (start, end, type) char spans.
    """
    text, starts = "", []
    for i, w in enumerate(words):
        if i:
            text += " "
        starts.append(len(text))
        text += w
    enc = tok.encode(text)
    word_of_char = [-1] * len(text)
    for wi, (s, w) in enumerate(zip(starts, words)):
        for c in range(s, s + len(w)):
            word_of_char[c] = wi
    labels, prev_word = [], -1
    for ti, (a, b) in enumerate(enc.offsets):
        if enc.special_tokens_mask[ti] or b <= a:
            labels.append(IGNORE)
            continue
        wi = word_of_char[a]
        tag = tags[wi]
        if mask_mentions and words[wi].startswith("@"):
            labels.append(IGNORE)
        elif tag == "O":
            labels.append(NER2ID["O"])
        elif tag.startswith("B-") and wi != prev_word:
            labels.append(NER2ID[tag])
        else:
            labels.append(NER2ID["I-" + tag[2:]])
        prev_word = wi
    gold = []
    for s, e, typ in bio_chunks(tags):
        gold.append((starts[s], starts[e] + len(words[e]), typ))
    return text, enc, labels, gold


def mention_pool(sentences):
    """The entity mentions of (words, tags, source) sentences, as word tuples keyed by (source, type, is @-handle)."""
    pool = {}
    for words, tags, source in sentences:
        for s, e, typ in bio_chunks(tags):
            pool.setdefault((source, typ, words[s].startswith("@")), []).append(tuple(words[s:e + 1]))
    return pool


def replace_mentions(words, tags, source, pool, p, rng):
    """Mention replacement (Dai & Adel, COLING 2020): each entity mention is swapped, with probability p, for a
    random mention of the same source, type and form (@-handle or not) from the pool; the tags follow. The model
    then sees each context with other names in it and has to read the context, not remember the names."""
    starts = {s: (e, typ) for s, e, typ in bio_chunks(tags)}
    out_words, out_tags, i = [], [], 0
    while i < len(words):
        if i not in starts:
            out_words.append(words[i])
            out_tags.append(tags[i])
            i += 1
            continue
        e, typ = starts[i]
        mention = words[i:e + 1]
        if rng.random() < p:
            mention = rng.choice(pool[(source, typ, words[i].startswith("@"))])
        out_words += mention
        out_tags += ["B-" + typ] + ["I-" + typ] * (len(mention) - 1)
        i = e + 1
    return out_words, out_tags


def bio_chunks(tags):
    """conlleval-style chunks (start_idx, end_idx_inclusive, type) from a BIO sequence."""
    chunks, cur = [], None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[2] != t[2:])):
            if cur is not None:
                chunks.append(tuple(cur))
                cur = None
            if t != "O":
                cur = [i, i, t[2:]]
        else:
            cur[1] = i
    return chunks


def letter_or_digit(c):
    """Java's Character.isLetterOrDigit, which the runtime's decoding uses."""
    return c.isalpha() or c.isdecimal()


def has_letter_or_digit(s):
    return any(letter_or_digit(c) for c in s)


def continues_word(text, previous_end, start):
    """Whether a token starting at `start` is the next piece of the word that ended at `previous_end`."""
    return (start == previous_end and 0 < start < len(text)
            and letter_or_digit(text[start - 1]) and letter_or_digit(text[start]))


def handle_end(text, start):
    """Where the @-handle starting at `start` ends (letters, digits, '_', single inner '.' or '-'), or -1."""
    def handle_char(c):
        return letter_or_digit(c) or c == "_"
    if start < 0 or start >= len(text) or text[start] != "@":
        return -1
    end = start + 1
    while end < len(text):
        if handle_char(text[end]):
            end += 1
        elif text[end] in ".-" and end > start + 1 and end + 1 < len(text) and handle_char(text[end + 1]):
            end += 1
        else:
            break
    return end if end > start + 1 else -1


def decode_token_entities(label_ids, offsets, special_mask, text):
    """The Java runtime's decoding (BioSpanDecoder) over word-piece tokens -> list of (char_start, char_end, type).

    The pieces of one word take the tag of its first piece (B-X/I-X -> I-X on the rest, O -> O), so spans
    never start or end inside a word. An entity that starts with an @-handle ends with it (a following I-X
    starts a new one), and trailing words without a letter or digit are left out of a span, except the
    period of a one-letter abbreviation ("U.S.")."""
    toks = []  # (start, end, tag) of the non-special tokens, None for special ones
    for i, l in enumerate(label_ids):
        if special_mask[i] or offsets[i][1] <= offsets[i][0]:
            toks.append(None)
            continue
        tag = NER_LABELS[l]
        if toks and toks[-1] is not None and continues_word(text, toks[-1][1], offsets[i][0]):
            tag = "O" if toks[-1][2] == "O" else "I-" + toks[-1][2][2:]
        toks.append((offsets[i][0], offsets[i][1], tag))

    def trailing_punctuation(t):
        a, b, _ = toks[t]
        if has_letter_or_digit(text[a:b]):
            return False
        pa, pb, _ = toks[t - 1]
        return not (text[a:b] == "." and pb == a and pb - pa == 1 and text[pa].isalpha())

    out, first, typ, hend = [], None, None, -1
    for i, t in enumerate(toks + [None]):
        if t is not None and typ is not None and t[2] == "I-" + typ and (hend < 0 or t[0] < hend):
            continue
        if typ is not None:
            last = i - 1
            while last > first and toks[last][1] > hend and trailing_punctuation(last):
                last -= 1
            a, b = toks[first][0], toks[last][1]
            if has_letter_or_digit(text[a:b]):
                out.append((a, b, typ))
            typ = None
        if t is not None and t[2] != "O":
            first, typ, hend = i, t[2][2:], handle_end(text, t[0])
    return out


def prf(gold_sets, pred_sets, types=("PER", "ORG", "LOC")):
    """Micro P/R/F1 with exact span+type match, plus per type."""
    res = {}
    for typ in (None,) + tuple(types):
        tp = fp = fn = 0
        for g, p in zip(gold_sets, pred_sets):
            g = {x for x in g if typ is None or x[2] == typ}
            p = {x for x in p if typ is None or x[2] == typ}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        P = tp / (tp + fp) if tp + fp else 0.0
        R = tp / (tp + fn) if tp + fn else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        res["micro" if typ is None else typ] = {"precision": round(P, 4), "recall": round(R, 4),
                                                "f1": round(F, 4), "support": tp + fn}
    return res


def sentiment_metrics(gold, pred):
    rec = []
    for c in range(3):
        n = sum(1 for g in gold if g == c)
        rec.append(sum(1 for g, p in zip(gold, pred) if g == c and p == c) / max(n, 1))
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / max(len(gold), 1)
    return {"macro_recall": round(sum(rec) / 3, 4), "accuracy": round(acc, 4),
            "recall_per_class": {SENT_LABELS[c]: round(rec[c], 4) for c in range(3)}, "n": len(gold)}
