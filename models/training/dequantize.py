"""Turns a dynamically quantized model into one whose answers do not depend on the batch or the CPU.

Dynamic int8 quantization (what ``export.py`` ships by default) quantizes each activation tensor
with a scale taken from the whole padded batch (``DynamicQuantizeLinear``), so a post's logits move
with its batch mates, and its integer kernels differ by instruction set (AVX2 ``u8s8`` saturates,
AVX-512 VNNI and AMX do not): the same post gave entity logits 0.46 apart on two CPUs.

This keeps the quantized weights exactly as trained and exported (each int8 weight becomes
``(w - zero_point) * scale`` in float32, so nothing is re-fitted) and computes every activation
in float32: ``QAttention`` becomes ``Attention``, each ``DynamicQuantizeLinear → MatMulInteger →
Cast → Mul(scales)`` chain becomes one ``MatMul``. The embedding lookup stays quantized
(``QEmbedLayerNormalization`` dequantizes the rows it looks up, one token at a time, which is the
same in any batch), so the file stays small.

Usage: python dequantize.py IN.onnx OUT.onnx
       python dequantize.py --bundle DIR   # a built bundle in place: model.onnx, parity.json, config.json

``export.py`` ships its chosen int8 variant through ``dequantize()`` (``--activations float``, the default).
``--bundle`` applies the same to a bundle already built, where the training checkpoint is not at hand:
it rewrites ``model.onnx``, recomputes the ``onnx`` logits of ``parity.json`` with onnxruntime (the
PyTorch logits stay: they are the checkpoint's) and tightens ``onnx_tolerance`` to 1e-3, renames the
version ``...-int8`` to ``...-w8a32`` in ``config.json`` and ``parity.json``, and, when ``../shared`` is
there, re-measures the dev metrics of ``config.json``.
"""

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper


def dequantize(model: onnx.ModelProto) -> onnx.ModelProto:
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    producer = {out: n for n in graph.node for out in n.output}
    consumers = defaultdict(list)
    for n in graph.node:
        for i in n.input:
            consumers[i].append(n)

    def array(name):
        return numpy_helper.to_array(inits[name])

    def float_weight(q_name, zp_name, scale_name):
        q = array(q_name).astype(np.float32)
        zp = array(zp_name).astype(np.float32) if zp_name else np.float32(0)
        scale = array(scale_name).astype(np.float32)
        return ((q - zp) * scale).astype(np.float32)

    new_inits = []
    remove = set()
    replace = {}  # node name -> new node

    for node in graph.node:
        if node.op_type == "MatMulInteger":
            a_q, b_q = node.input[0], node.input[1]
            b_zp = node.input[3] if len(node.input) > 3 else ""
            quantize = producer[a_q]
            assert quantize.op_type == "DynamicQuantizeLinear", quantize.op_type
            x = quantize.input[0]
            x_scale = quantize.output[1]
            (cast,) = consumers[node.output[0]]
            assert cast.op_type == "Cast", cast.op_type
            (rescale,) = consumers[cast.output[0]]
            assert rescale.op_type == "Mul", rescale.op_type
            # rescale = int32 result × (activation scale × weight scale)
            scales_mul = producer[[i for i in rescale.input if i != cast.output[0]][0]]
            assert scales_mul.op_type == "Mul" and x_scale in scales_mul.input, scales_mul.op_type
            w_scale = [i for i in scales_mul.input if i != x_scale][0]
            weight_name = b_q.replace("_quantized", "") + "_float"
            new_inits.append(numpy_helper.from_array(float_weight(b_q, b_zp, w_scale), weight_name))
            matmul = helper.make_node("MatMul", [x, weight_name], [rescale.output[0]], name=node.name.replace("_quant", ""))
            replace[node.name] = matmul
            remove.update({cast.name, rescale.name, scales_mul.name})
        elif node.op_type == "QAttention":
            # inputs: input, weight, bias, input_scale, weight_scale, mask_index, input_zero_point, weight_zero_point, past
            a_q, w_q, bias, _x_scale, w_scale = node.input[:5]
            mask = node.input[5] if len(node.input) > 5 else ""
            w_zp = node.input[7] if len(node.input) > 7 else ""
            quantize = producer[a_q]
            assert quantize.op_type == "DynamicQuantizeLinear", quantize.op_type
            weight_name = w_q.replace("_quantized", "") + "_float"
            new_inits.append(numpy_helper.from_array(float_weight(w_q, w_zp, w_scale), weight_name))
            attention = helper.make_node("Attention", [quantize.input[0], weight_name, bias, mask], list(node.output),
                                         name=node.name.replace("_quant", ""), domain="com.microsoft")
            attention.attribute.extend(node.attribute)
            replace[node.name] = attention

    nodes = []
    for node in graph.node:
        if node.name in remove:
            continue
        nodes.append(replace.get(node.name, node))
    # Drop what no longer feeds anything (the quantizers, their scale products, the int8 weights).
    outputs = {o.name for o in graph.output}
    while True:
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output if o)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    used = {i for n in nodes for i in n.input}
    initializers = [t for t in graph.initializer if t.name in used] + [t for t in new_inits if t.name in used]

    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    left = [n.op_type for n in graph.node if n.op_type in ("DynamicQuantizeLinear", "MatMulInteger", "QAttention")]
    if left:
        raise SystemExit(f"still quantized activations: {left}")
    onnx.checker.check_model(model)
    return model


#: The parity tolerance of a model without dynamic activation quantization: float32 differs by CPU and
#: onnxruntime version only in the last bits.
FLOAT_ACTIVATIONS_TOLERANCE = 1e-3
QUANTIZATION_TEXT = ("int8 weights (dynamic-quantization recipe {recipe}) computed with float32 activations "
                     "(dequantize.py): the same answer in any batch and on any CPU")


def is_quantized(model: onnx.ModelProto) -> bool:
    return any(n.op_type in ("DynamicQuantizeLinear", "MatMulInteger", "QAttention") for n in model.graph.node)


def convert_bundle(bundle: Path):
    import json

    import numpy as np
    import onnxruntime as ort

    model_path = bundle / "model.onnx"
    model = onnx.load(str(model_path))
    if is_quantized(model):
        onnx.save(dequantize(model), str(model_path))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(model_path), so, providers=["CPUExecutionProvider"])
    parity = json.loads((bundle / "parity.json").read_text(encoding="utf-8"))
    worst = 0.0
    for case in parity["cases"]:
        ids = np.array([case["input_ids"]], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                 "token_type_ids": np.array([case["token_type_ids"]], dtype=np.int64)}
        sent, ent = sess.run(["sentiment_logits", "entity_logits"], feeds)
        case["onnx"] = {"sentiment_logits": [round(float(x), 6) for x in sent[0]],
                        "entity_logits": [[round(float(x), 6) for x in row] for row in ent[0]]}
        worst = max(worst, float(np.abs(sent[0] - np.array(case["pytorch"]["sentiment_logits"])).max()),
                    float(np.abs(ent[0] - np.array(case["pytorch"]["entity_logits"])).max()))
    config = json.loads((bundle / "config.json").read_text(encoding="utf-8"))
    tidings = config["tidings"]
    tidings["version"] = tidings["version"].replace("-int8", "-w8a32")
    recipe = tidings["metrics"].get("quantization", "")
    recipe = recipe[recipe.find("(") + 1:recipe.find(";")] if "(" in recipe else recipe
    if "float32 activations" not in recipe:
        tidings["metrics"]["quantization"] = QUANTIZATION_TEXT.format(recipe=recipe)
    parity.update({"version": tidings["version"], "onnx_tolerance": FLOAT_ACTIVATIONS_TOLERANCE,
                   "max_abs_diff_onnx_vs_pytorch": round(worst, 6)})
    parity["pytorch_tolerance"] = max(parity["pytorch_tolerance"], round(worst + 0.005, 2))
    try:
        from common import load_tokenizer
        from export import evaluate, onnx_runner, session
        from train import prepare
        tok = load_tokenizer()
        _, s_dev, _, n_dev, _ = prepare(tok)
        res = evaluate(onnx_runner(session(model_path)), (s_dev, n_dev))
        m = tidings["metrics"]
        m["sentiment_dev"].update({k: res["sentiment"][k] for k in ("macro_recall", "accuracy", "recall_per_class", "n")})
        m["entities_btc_dev"], m["entities_wnut17_dev"] = res["entities_btc"], res["entities_wnut"]
        print("dev:", {"sentiment": res["sentiment"]["macro_recall"], "btc": res["entities_btc"]["micro"]["f1"],
                       "wnut": res["entities_wnut"]["micro"]["f1"]})
    except FileNotFoundError as missing:
        print(f"dev metrics left as they were ({missing})")
    (bundle / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (bundle / "parity.json").write_text(json.dumps(parity, ensure_ascii=False), encoding="utf-8")
    print(f"{model_path}: {model_path.stat().st_size / 2**20:.1f} MiB, version {tidings['version']},"
          f" max |onnx - pytorch| {worst:.4f}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--bundle":
        convert_bundle(Path(sys.argv[2]))
        return
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    model = onnx.load(sys.argv[1])
    onnx.save(dequantize(model), sys.argv[2])


if __name__ == "__main__":
    main()
