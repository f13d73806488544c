"""Random BIO tags over real word pieces, decoded by models/training/common.py, written as JSON.

Usage: decode_cases.py TOKENIZER_JSON SEED CASES_PER_TEXT OUT_JSON. BioSpanDecoderTest decodes the same tags in Java and
expects the same spans: the exporter's dev figures and checkpoint selection count what the runtime finds."""
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "training"))
from common import NER_LABELS, decode_token_entities  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

# BMP text only: Python indexes code points, Java chars, and the two agree there.
TEXTS = [
    "RT @bob_: Youngstown. U.S. @alice.bsky.social Alice and @ann-lee. went to D.C.!",
    "@Harry_Styles HARRY you're the best!!! #1DWorldTour in São Paulo...",
    "Meeting at McDonald's, 5th Ave. (NYC) w/ @jo.hn & Mary-Jane O'Neil :)",
    "\"Manchester United\" vs. Liverpool -- Old Trafford, U.K. @ManUtd @LFC: 2-1",
    "@ alone @_ @. #hashtag #San_Diego e.g. St. Louis Rd. Mr. T. J. Smith, Inc.",
]


def main():
    tok = Tokenizer.from_file(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    cases = []
    for text in TEXTS:
        enc = tok.encode(text)
        for _ in range(int(sys.argv[3])):
            labels = [rng.choice(range(len(NER_LABELS))) if rng.random() < 0.6 else 0 for _ in enc.ids]
            spans = decode_token_entities(labels, enc.offsets, enc.special_tokens_mask, text)
            cases.append({"text": text, "offsets": [list(o) for o in enc.offsets],
                          "special": list(enc.special_tokens_mask), "tags": [NER_LABELS[l] for l in labels],
                          "spans": [list(s) for s in spans]})
    with open(sys.argv[4], "w", encoding="utf-8") as out:
        json.dump(cases, out, ensure_ascii=False)


if __name__ == "__main__":
    main()
