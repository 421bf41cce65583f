"""Builds the extra models of the sizing benchmark (scripts/bench-sizing.ts), offline
and reproducibly: graphs from onnx.helper, weights and inputs from seeded numpy.

    .venv/bin/python scripts/build-bench-models.py <out-dir>

Each model gets <out-dir>/<name>/model.onnx, input.json (one sample, for proving) and
calibration.json (16 samples). Not fixtures: nothing under models/ uses them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
SAMPLES = 16


def _t(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def _save(out: Path, name: str, nodes, inputs, outputs, inits, sample) -> None:
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="zkml-hardhat-bench")
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    draws = [sample() for _ in range(SAMPLES)]
    (folder / "input.json").write_text(json.dumps({"input_data": [draws[0].round(4).flatten().tolist()]}) + "\n")
    (folder / "calibration.json").write_text(json.dumps({"input_data": [np.concatenate([d.round(4).flatten() for d in draws]).tolist()]}) + "\n")
    print(f"wrote {folder}/model.onnx")


def mlp_multi(out: Path) -> None:
    """x[1,8] -> Gemm(8->16) -> Relu -> {Gemm(16->3) logits, Sigmoid(Gemm(16->1))}: two output tensors, 4 values."""
    rng = np.random.default_rng(11)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"]),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["logits"]),
        helper.make_node("Gemm", ["r", "w3", "b3"], ["z"]),
        helper.make_node("Sigmoid", ["z"], ["p"]),
    ]
    inits = [_t("w1", rng.normal(0, 0.4, (8, 16))), _t("b1", rng.normal(0, 0.1, 16)),
             _t("w2", rng.normal(0, 0.3, (16, 3))), _t("b2", rng.normal(0, 0.1, 3)),
             _t("w3", rng.normal(0, 0.3, (16, 1))), _t("b3", rng.normal(0, 0.1, 1))]
    _save(out, "mlpMulti", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 3]), helper.make_tensor_value_info("p", TensorProto.FLOAT, [1, 1])],
          inits, lambda: rng.uniform(-1, 1, (1, 8)))


def small_conv(out: Path) -> None:
    """x[1,1,8,8] -> Conv(1->2, k3) -> Relu -> Conv(2->2, k3, stride 2) -> Relu -> Flatten -> Gemm(18->3)."""
    rng = np.random.default_rng(12)
    nodes = [
        helper.make_node("Conv", ["x", "c1", "d1"], ["a"], kernel_shape=[3, 3], strides=[1, 1], pads=[0, 0, 0, 0]),
        helper.make_node("Relu", ["a"], ["ar"]),
        helper.make_node("Conv", ["ar", "c2", "d2"], ["b"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["b"], ["br"]),
        helper.make_node("Flatten", ["br"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "w", "bw"], ["y"]),
    ]
    inits = [_t("c1", rng.normal(0, 0.4, (2, 1, 3, 3))), _t("d1", rng.normal(0, 0.1, 2)),
             _t("c2", rng.normal(0, 0.3, (2, 2, 3, 3))), _t("d2", rng.normal(0, 0.1, 2)),
             _t("w", rng.normal(0, 0.2, (18, 3))), _t("bw", rng.normal(0, 0.1, 3))]
    _save(out, "smallConv", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 8, 8])],
          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])], inits, lambda: rng.uniform(0, 1, (1, 1, 8, 8)))


def log_reg(out: Path) -> None:
    """p = sigmoid(w . x + b) over 12 features."""
    rng = np.random.default_rng(13)
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["z"]), helper.make_node("Sigmoid", ["z"], ["p"])]
    inits = [_t("w", rng.normal(0, 0.5, (12, 1))), _t("b", [0.1])]
    _save(out, "logReg", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 12])],
          [helper.make_tensor_value_info("p", TensorProto.FLOAT, [1, 1])], inits, lambda: rng.normal(0, 1, (1, 12)))


def wide_mlp(out: Path) -> None:
    """x[1,256] -> Gemm(256->360) -> Relu -> Gemm(360->1) -> Sigmoid: about 65k rows at ezkl's 2 inner columns."""
    rng = np.random.default_rng(14)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"]),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["z"]),
        helper.make_node("Sigmoid", ["z"], ["p"]),
    ]
    inits = [_t("w1", rng.normal(0, 0.06, (256, 360))), _t("b1", rng.normal(0, 0.05, 360)),
             _t("w2", rng.normal(0, 0.07, (360, 1))), _t("b2", [0.0])]
    _save(out, "wideMlp", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 256])],
          [helper.make_tensor_value_info("p", TensorProto.FLOAT, [1, 1])], inits, lambda: rng.uniform(-1, 1, (1, 256)))


BUILDERS = {"mlpMulti": mlp_multi, "smallConv": small_conv, "logReg": log_reg, "wideMlp": wide_mlp}

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-models")
    for build in BUILDERS.values():
        build(out)
