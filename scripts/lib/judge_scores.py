"""Scores judge inputs with an ONNX judge in onnxruntime, in one process for many inputs.

Reads JSON on stdin: {"model": "path/to/model.onnx", "inputs": [[...features...], ...]}
and writes the score (the model's second output) of each input as a JSON list. The
bound key is fed as 0: the judges pass it through and it does not touch the score.
"""
import json
import sys

import numpy as np
import onnxruntime as ort


def main():
    req = json.load(sys.stdin)
    session = ort.InferenceSession(req["model"], providers=["CPUExecutionProvider"])
    key, x = session.get_inputs()
    shape = [d if isinstance(d, int) else 1 for d in x.shape]
    scores = []
    for features in req["inputs"]:
        feeds = {key.name: np.zeros((1, 1), np.float32), x.name: np.asarray(features, np.float32).reshape(shape)}
        scores.append(float(np.asarray(session.run(None, feeds)[1]).flatten()[0]))
    json.dump(scores, sys.stdout)


if __name__ == "__main__":
    main()
