"""Throughput of the bundled model with onnxruntime (Python), 2 intra-op threads, batch 32 of real tweets,
every output of the graph fetched (with issue 21's heads: the signals too).
Usage: python bench.py [model.onnx ...]"""
import sys
import time

from common import BUNDLE, load_sentiment, load_tokenizer, split_sentiment
from export import batch_feeds, session

tok = load_tokenizer(BUNDLE / "tokenizer.json")
texts = [t for _, _, t in split_sentiment(load_sentiment())[1]]
encs = [tok.encode(t).ids for t in texts]
batches = [encs[i:i + 32] for i in range(0, len(encs) - 31, 32)]
for path in sys.argv[1:] or [str(BUNDLE / "model.onnx")]:
    s = session(path, threads=2)
    outputs = [o.name for o in s.get_outputs()]
    for b in batches[:3]:
        s.run(outputs, batch_feeds(b))
    t, n = time.perf_counter(), 0
    for b in batches[3:33]:
        s.run(outputs, batch_feeds(b))
        n += len(b)
    dt = time.perf_counter() - t
    print(f"{path}: {n / dt:.1f} tweets/s ({n} tweets, batch 32, 2 threads)")
