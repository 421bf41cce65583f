"""Builds the committed ONNX fixtures and their sample inputs, offline and reproducibly.

No torch: graphs are written with onnx.helper and weights come from a seeded numpy
generator, so rerunning this script rewrites byte-identical files.

    .venv/bin/python models/build_models.py [name ...]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = Path(__file__).resolve().parent
OPSET = 17


def _tensor(name: str, array: np.ndarray) -> onnx.TensorProto:
    return numpy_helper.from_array(array.astype(np.float32), name)


def _save(name: str, graph: onnx.GraphProto, inputs: dict) -> None:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="zkml-hardhat-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    (folder / "input.json").write_text(json.dumps(inputs, indent=2) + "\n")
    print(f"wrote models/{name}/model.onnx and input.json")


def tiny_mlp() -> None:
    """x[1,4] -> Gemm(4->3) -> Relu -> Gemm(3->1) -> Sigmoid: the smallest circuit with a lookup."""
    rng = np.random.default_rng(1)
    w1, b1 = rng.normal(0, 0.5, (4, 3)), rng.normal(0, 0.1, (3,))
    w2, b2 = rng.normal(0, 0.5, (3, 1)), rng.normal(0, 0.1, (1,))
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"]),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["z"]),
        helper.make_node("Sigmoid", ["z"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])],
        [_tensor("w1", w1), _tensor("b1", b1), _tensor("w2", w2), _tensor("b2", b2)],
    )
    x = rng.uniform(-1, 1, (1, 4)).round(4)
    _save("tinyMlp", graph, {"input_data": [x.flatten().tolist()]})


def tiny_conv() -> None:
    """x[1,1,6,6] -> Conv(1->2, k3) -> Relu -> Flatten -> Gemm(32->2): two outputs, a 4-D input."""
    rng = np.random.default_rng(2)
    wc, bc = rng.normal(0, 0.4, (2, 1, 3, 3)), rng.normal(0, 0.1, (2,))
    wl, bl = rng.normal(0, 0.2, (32, 2)), rng.normal(0, 0.1, (2,))
    nodes = [
        helper.make_node("Conv", ["x", "wc", "bc"], ["c"], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Flatten", ["r"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "wl", "bl"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 6, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
        [_tensor("wc", wc), _tensor("bc", bc), _tensor("wl", wl), _tensor("bl", bl)],
    )
    x = rng.uniform(-1, 1, (1, 1, 6, 6)).round(4)
    _save("tinyConv", graph, {"input_data": [x.flatten().tolist()]})


BUILDERS = {"tinyMlp": tiny_mlp, "tinyConv": tiny_conv}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(BUILDERS):
        if name not in BUILDERS:
            sys.exit(f"unknown fixture {name!r}; known: {', '.join(BUILDERS)}")
        BUILDERS[name]()
