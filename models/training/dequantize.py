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
"""

import sys
from collections import defaultdict

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


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    model = onnx.load(sys.argv[1])
    onnx.save(dequantize(model), sys.argv[2])


if __name__ == "__main__":
    main()
