"""Reference features from librosa itself, for the audio parity tests and benchmark.

Reads JSON on stdin: {"jobs": [{"files": [...], "n_fft": 2048, "hop_length": 512,
"n_mels": 128, "frames": 130, "res_type": "soxr_hq", "repeat": 1}, ...]} and writes,
per job and file, seed 000's extract_mel_spec:
  x, sr = librosa.load(f, duration=3, offset=0.5, res_type=res_type)
  X = librosa.feature.melspectrogram(y=x, sr=sr, n_fft=, hop_length=, n_mels=)
  Xdb = librosa.power_to_db(X, ref=np.max)
as {"db": bands x frames, "input": the judge's input (see below), "samples": n,
"seconds": mean time of load + features}, or {"error": "..."}.
The judge's input is the judges' scale clip((Xdb + 80) / 80, 0, 1) (models/build_models.py),
zero-padded or truncated to `frames` columns as seed 000 pads its input tensor.
"""
import json
import sys
import time
import warnings

import librosa
import numpy as np


def features(path, job):
    x, sr = librosa.load(path, duration=3, offset=0.5, res_type=job.get("res_type", "soxr_hq"))
    X = librosa.feature.melspectrogram(y=x, sr=sr, n_fft=job["n_fft"], hop_length=job["hop_length"], n_mels=job["n_mels"])
    return x, librosa.power_to_db(X, ref=np.max)


def judge_input(db, frames):
    val = np.clip((db.astype(np.float64) + 80) / 80, 0, 1).reshape(1, db.shape[0], -1)
    if val.shape[2] < frames:
        val = np.pad(val, ((0, 0), (0, 0), (0, frames - val.shape[2])))
    else:
        val = val[:, :, :frames]
    return val.flatten().tolist()


def run(job):
    out = []
    repeat = job.get("repeat", 1)
    for path in job["files"]:
        try:
            if job.get("warmup"):
                features(path, job)  # numba compilation and caches are not feature time
            t0 = time.perf_counter()
            for _ in range(repeat):
                x, db = features(path, job)
            seconds = (time.perf_counter() - t0) / repeat
            out.append({"db": db.astype(float).tolist(), "input": judge_input(db, job.get("frames", db.shape[1])),
                        "samples": int(x.shape[-1]), "seconds": seconds})
        except Exception as e:  # reported per file; the caller decides
            out.append({"error": f"{type(e).__name__}: {e}"})
    return out


def main():
    warnings.simplefilter("ignore")
    req = json.load(sys.stdin)
    json.dump([run(job) for job in req["jobs"]], sys.stdout)


if __name__ == "__main__":
    main()
