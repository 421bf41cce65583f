"""Reference features from librosa itself, for the parity tests and the audio benchmark.

Reads a JSON request on stdin:
  {"files": [...], "n_fft": 2048, "hop_length": 512, "n_mels": 128,
   "res_type": "soxr_hq", "repeat": 1}
and writes, per file, seed 000's extract_mel_spec result before padding:
  librosa.load(f, duration=3, offset=0.5, res_type=res_type)
  -> librosa.feature.melspectrogram(y=x, sr=sr, n_fft, hop_length, n_mels)
  -> librosa.power_to_db(X, ref=np.max)
as {"db": [[...] per band], "samples": n, "seconds": t} (or {"error": "..."}).
"""
import json
import sys
import time
import warnings

import librosa
import numpy as np


def features(path, req):
    x, sr = librosa.load(path, duration=3, offset=0.5, res_type=req.get("res_type", "soxr_hq"))
    X = librosa.feature.melspectrogram(y=x, sr=sr, n_fft=req["n_fft"], hop_length=req["hop_length"], n_mels=req["n_mels"])
    return x, librosa.power_to_db(X, ref=np.max)


def main():
    req = json.load(sys.stdin)
    out = []
    warnings.simplefilter("ignore")
    for path in req["files"]:
        try:
            features(path, req)  # warm-up: numba/cache compilation is not feature time
            t0 = time.perf_counter()
            for _ in range(req.get("repeat", 1)):
                x, db = features(path, req)
            seconds = (time.perf_counter() - t0) / req.get("repeat", 1)
            out.append({"db": db.astype(float).tolist(), "samples": int(x.shape[-1]), "seconds": seconds})
        except Exception as e:  # reported per file, the caller decides
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
