"""Checks of the training recipe's data augmentation, weight averaging and signal-head branch (models/training), on
real BTC sentences, tiny checkpoints and a randomly initialised branch. Exits non-zero on the first failed check; prints what it checked.

Usage: training_recipe_checks.py BTC_TRAIN_CONLL WORK_DIR. TrainingRecipeTest runs it with the training venv."""
import json
import random
import subprocess
import sys
from pathlib import Path

TRAINING = Path(__file__).resolve().parents[3] / "training"
sys.path.insert(0, str(TRAINING))
import torch  # noqa: E402
from common import bio_chunks, mention_pool, read_conll, replace_mentions  # noqa: E402


def check_mention_replacement(conll):
    sentences = [(words, tags, "btc") for words, tags in read_conll(conll, "btc")]
    pool = mention_pool(sentences)
    assert {key[1] for key in pool} == {"PER", "ORG", "LOC"}, pool.keys()
    assert all(m[0].startswith("@") == handle for (_, _, handle), ms in pool.items() for m in ms)
    rng = random.Random(7)
    swapped = mentions = 0
    for words, tags, source in sentences:
        same = replace_mentions(words, tags, source, pool, 0.0, rng)
        assert same == (list(words), list(tags)), (words, same)
        new_words, new_tags = replace_mentions(words, tags, source, pool, 1.0, rng)
        assert len(new_words) == len(new_tags)
        before, after = bio_chunks(tags), bio_chunks(new_tags)
        assert [c[2] for c in before] == [c[2] for c in after], (tags, new_tags)  # same types, same order
        mentions += len(before)
        for (s, e, typ), (s2, e2, _) in zip(before, after):
            mention = tuple(new_words[s2:e2 + 1])
            assert mention in pool[(source, typ, words[s].startswith("@"))], (mention, typ)
            assert all(t == "I-" + typ for t in new_tags[s2 + 1:e2 + 1]) and new_tags[s2] == "B-" + typ
            swapped += mention != tuple(words[s:e + 1])
        outside = [w for w, t in zip(words, tags) if t == "O"]
        assert outside == [w for w, t in zip(new_words, new_tags) if t == "O"], "words outside mentions must stay"
    # Most mentions change; a few have only one candidate of their corpus, type and form.
    assert swapped > mentions // 2, (swapped, mentions)
    print(f"mention replacement: {len(sentences)} sentences, {swapped} of {mentions} mentions swapped, types and context kept")


def check_soup(work):
    work.mkdir(parents=True, exist_ok=True)
    runs = []
    for i, (weight, steps) in enumerate(((1.0, 100), (3.0, 200))):
        run = work / f"best_run{i}.pt"
        torch.save({"w": torch.full((2, 3), weight), "b": torch.tensor([weight, -weight]),
                    "position_ids": torch.arange(4)}, run)
        run.with_suffix(".config.json").write_text('{"num_hidden_layers": 3}')
        run.with_suffix(".json").write_text(json.dumps({"step": steps, "args": {"seed": i}, "train_minutes": 10.0}))
        runs.append(run)
    soup = work / "best_soup.pt"
    subprocess.run([sys.executable, str(TRAINING / "soup.py"), str(soup), *map(str, runs)], check=True, cwd=TRAINING)
    state = torch.load(soup)
    assert torch.equal(state["w"], torch.full((2, 3), 2.0)) and torch.equal(state["b"], torch.tensor([2.0, -2.0]))
    assert torch.equal(state["position_ids"], torch.arange(4)) and state["position_ids"].dtype == torch.int64
    assert soup.with_suffix(".config.json").read_text() == '{"num_hidden_layers": 3}'
    info = json.loads(soup.with_suffix(".json").read_text())
    assert [r["step"] for r in info["soup_of"]] == [100, 200] and info["train_minutes"] == 20.0, info
    runs[1].with_suffix(".config.json").write_text('{"num_hidden_layers": 6}')
    refused = subprocess.run([sys.executable, str(TRAINING / "soup.py"), str(work / "bad.pt"), *map(str, runs)],
                             cwd=TRAINING, capture_output=True, text=True)
    assert refused.returncode != 0 and "differ in shape" in refused.stderr, refused
    assert not (work / "bad.pt").exists()
    print("soup: weights averaged, integer buffers kept, records listed, runs of different shapes refused")


def check_heads_branch(work):
    """The pooled branch (train_heads.py --pool-first) exports to the int8-weight graph the bundle gets: every large
    weight matrix int8 (the pooled feed-forward part is exported as Gemm, not MatMul), answers close to PyTorch's and
    the same whatever the padding; teacher probabilities batch as targets; a rebuild the same day gets a new version."""
    import numpy as np
    import onnxruntime as ort
    from onnx import numpy_helper
    import train_heads
    work.mkdir(parents=True, exist_ok=True)
    train_heads.WORK = work  # branch_onnx's scratch file, out of the user's cache
    torch.manual_seed(5)
    branch = train_heads.HeadsBranch(1, reads_student=True, pool_first=True).eval()
    model = train_heads.branch_onnx(branch)
    floats = [t.name for t in model.graph.initializer if len(t.dims) == 2 and min(t.dims) >= 64 and t.data_type == 1]
    assert not floats, f"float weight matrices left: {floats}"
    ops = {n.op_type for n in model.graph.node}
    assert "Gemm" in ops and "Cast" in ops, ops
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    hidden, pooled = torch.randn(3, 9, train_heads.H), torch.randn(3, train_heads.H)
    mask = torch.ones(3, 9, dtype=torch.int64)
    mask[1, 6:] = 0
    with torch.no_grad():
        expected = branch(hidden, mask, pooled)
    got = sess.run(None, {"hidden": hidden.numpy(), "attention_mask": mask.numpy(), "student_pooled": pooled.numpy()})
    worst = max(float(np.abs(e.numpy() - g).max()) for e, g in zip(expected, got))
    assert worst < 0.1, f"int8 branch differs from PyTorch by {worst}"
    alone = sess.run(None, {"hidden": hidden[1:2, :6].numpy(), "attention_mask": mask[1:2, :6].numpy(),
                            "student_pooled": pooled[1:2].numpy()})
    assert max(float(np.abs(a[0] - g[1]).max()) for a, g in zip(alone, got)) < 1e-4, "padding changed a post's answers"
    item = ((torch.randn(4, train_heads.H).half(), torch.randn(train_heads.H)), torch.tensor([0.1, 0.2, 0.3, 0.4]))
    targets = train_heads.collate([item, item])[3]
    assert targets.shape == (2, 4) and torch.allclose(targets.sum(1), torch.ones(2)), targets
    bundle = work / "bundle"
    bundle.mkdir(exist_ok=True)
    assert train_heads.unused_version(bundle, "2026.12.05", "-m-signals", b"x") == "2026.12.05-m-signals"
    (bundle / "model.onnx").write_bytes(b"x")
    (bundle / "config.json").write_text(json.dumps({"tidings": {"version": "2026.12.05-m-signals"}}))
    assert train_heads.unused_version(bundle, "2026.12.05", "-m-signals", b"x") == "2026.12.05-m-signals"
    assert train_heads.unused_version(bundle, "2026.12.05", "-m-signals", b"y") == "2026.12.05.2-m-signals"
    assert train_heads.unused_version(bundle, "2026.12.06", "-m-signals", b"y") == "2026.12.06-m-signals"
    print(f"heads branch: pooled feed-forward exported with int8 weights (max diff {worst:.3f}), padding-invariant,"
          " teacher targets batched, a same-day rebuild versioned apart")


if __name__ == "__main__":
    check_mention_replacement(Path(sys.argv[1]))
    check_soup(Path(sys.argv[2]))
    check_heads_branch(Path(sys.argv[2]) / "heads")
