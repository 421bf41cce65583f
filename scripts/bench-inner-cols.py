"""Why the sizing search leaves num_inner_cols 4 out: the tutorial-size voiceJudge laid out
with 2 and with 4 inner columns, each calibrated by ezkl at the same scales and
decomposition, then keys, one native proof and the witness outputs, side by side.

    .venv/bin/python scripts/bench-inner-cols.py [model dir] [out.md]
    (default: models/voiceJudge, bench/inner-cols.md; work files in .bench-inner-cols/)
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tasks", "lib", "ezkl"))
import bridge  # noqa: E402  the project's own ezkl calls

import ezkl  # noqa: E402

MODEL_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models", "voiceJudge")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "bench", "inner-cols.md")
WORK = os.path.join(ROOT, ".bench-inner-cols")
# voiceJudge's own config (hardhat.config.ts): scales 7/7, decomposition 1024 x 2, polycommit input.
RUN_ARGS = {
    "input_visibility": "polycommit",
    "output_visibility": "public",
    "param_visibility": "fixed",
    "ignore_range_check_inputs_outputs": True,
    "decomp_base": 1024,
    "decomp_legs": 2,
    "input_scale": 7,
    "param_scale": 7,
}


def timed(label, fn):
    t = time.perf_counter()
    out = fn()
    s = time.perf_counter() - t
    print(f"  {label}: {s:.1f} s", flush=True)
    return out, s


def measure(cols: int) -> dict:
    d = os.path.join(WORK, f"cols{cols}")
    os.makedirs(d, exist_ok=True)
    f = {k: os.path.join(d, k) for k in ["settings.json", "model.compiled", "kzg.srs", "pk.key", "vk.key", "witness.json", "proof.json"]}
    model = os.path.join(MODEL_DIR, "model.onnx")
    calibration = os.path.join(MODEL_DIR, "calibration.json")
    data = os.path.join(MODEL_DIR, "input.json")
    print(f"num_inner_cols {cols}", flush=True)
    settings, calibrate_s = timed(
        "settings + calibration",
        lambda: bridge._calibrate_fixed(model, calibration, f["settings.json"], {**RUN_ARGS, "num_inner_cols": cols}, [7], 1, 18),
    )
    logrows = settings["run_args"]["logrows"]
    timed("compile", lambda: ezkl.compile_circuit(model, f["model.compiled"], f["settings.json"]))
    timed("srs", lambda: ezkl.gen_srs(f["kzg.srs"], logrows))
    _, setup_s = timed("setup (keys)", lambda: ezkl.setup(f["model.compiled"], f["vk.key"], f["pk.key"], f["kzg.srs"]))
    timed("witness", lambda: bridge._await(lambda: ezkl.gen_witness(data, f["model.compiled"], f["witness.json"])))
    _, prove_s = timed("prove (native)", lambda: ezkl.prove(f["witness.json"], f["model.compiled"], f["pk.key"], f["proof.json"], "single", f["kzg.srs"]))
    ok = ezkl.verify(f["proof.json"], f["settings.json"], f["vk.key"], f["kzg.srs"])
    with open(f["witness.json"]) as w:
        outputs = json.load(w)["outputs"]
    row = {
        "cols": cols,
        "logrows": logrows,
        "rows": settings["num_rows"],
        "pk_mb": os.path.getsize(f["pk.key"]) / 2**20,
        "setup_s": setup_s,
        "prove_s": prove_s,
        "verified": ok,
        "outputs": outputs,
    }
    os.remove(f["pk.key"])  # hundreds of MB each
    return row


def main() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    load = os.getloadavg()[0]
    rows = [measure(2), measure(4)]
    same = rows[0]["outputs"] == rows[1]["outputs"]
    lines = [
        "# num_inner_cols 2 against 4 (voiceJudge)",
        "",
        f"`.venv/bin/python scripts/bench-inner-cols.py` on {time.strftime('%Y-%m-%d')}, ezkl {ezkl.__version__}, "
        f"{os.cpu_count()} cores, load average at start {load:.1f}. Each layout calibrated by ezkl at scales 7/7 and",
        "decomposition 1024 x 2 (voiceJudge's config), then keys and one native `ezkl.prove` (all cores) on the model's input.json.",
        "",
        "| num_inner_cols | logrows | rows | pk (MB) | setup (s) | native prove (s) | verifies |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['cols']} | {r['logrows']} | {r['rows']:,} | {r['pk_mb']:.1f} | {r['setup_s']:.1f} | {r['prove_s']:.1f} | {'yes' if r['verified'] else 'NO'} |"
        )
    lines += ["", f"Same witness outputs for both layouts: {'yes' if same else 'NO'}.", ""]
    with open(OUT, "w") as out:
        out.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
