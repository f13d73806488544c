"""The bundled model's onnxruntime outputs on this CPU against parity.json, for CrossCpuParityTest, which runs it
under qemu-user emulating an older CPU (AVX2, no AVX-512) so onnxruntime picks that CPU's kernels.

Usage: parity_on_this_cpu.py MODEL.onnx PARITY.json CASES
Prints the largest logit difference and the number of labels that differ."""
import json
import sys

import numpy as np
import onnxruntime as ort


def main():
    model, parity_file, cases = sys.argv[1], sys.argv[2], int(sys.argv[3])
    parity = json.load(open(parity_file, encoding="utf-8"))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    worst, flips = 0.0, 0
    for case in parity["cases"][:cases]:
        ids = np.array([case["input_ids"]], dtype=np.int64)
        sentiment, entities = session.run(["sentiment_logits", "entity_logits"], {
            "input_ids": ids, "attention_mask": np.ones_like(ids),
            "token_type_ids": np.array([case["token_type_ids"]], dtype=np.int64)})
        want_s = np.array(case["onnx"]["sentiment_logits"])
        want_e = np.array(case["onnx"]["entity_logits"])
        worst = max(worst, float(np.abs(sentiment[0] - want_s).max()), float(np.abs(entities[0] - want_e).max()))
        flips += int(sentiment[0].argmax() != want_s.argmax()) + int((entities[0].argmax(-1) != want_e.argmax(-1)).sum())
    print(f"cases {min(cases, len(parity['cases']))} max_abs_diff {worst:.3g} label_flips {flips}"
          f" tolerance {parity['onnx_tolerance']}")


if __name__ == "__main__":
    main()
