"""Runs one ezkl (Python, native) operation and prints its result as one JSON line.

    python bridge.py <op> '<json args>'
    python bridge.py serve      (long-lived: jobs on stdin, replies on fd 3)

Build-time only: settings, calibration, compile, SRS, keys, Solidity. The Node side
(packages/core/src/ezkl/python.ts) spawns this per step, so each step reports its own timing
and failure. Errors are printed as {"ok": false, "error": "..."} with exit code 1.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback


def _await(make_coro):
    # ezkl's async functions need a running event loop at call time.
    async def run():
        return await make_coro()
    return asyncio.run(run())


def gen_settings(a):
    import ezkl
    run_args = ezkl.PyRunArgs()
    for key, value in a["runArgs"].items():
        setattr(run_args, key, value)
    return ezkl.gen_settings(a["model"], a["settings"], py_run_args=run_args)


def calibrate(a):
    import ezkl
    kwargs = {"max_logrows": a.get("maxLogrows")}
    if a.get("scales") is not None:
        kwargs["scales"] = a["scales"]
    if a.get("lookupSafetyMargin") is not None:
        kwargs["lookup_safety_margin"] = a["lookupSafetyMargin"]
    return _await(lambda: ezkl.calibrate_settings(
        a["data"], a["model"], a["settings"], a.get("target", "resources"), **kwargs))


def compile_circuit(a):
    import ezkl
    return ezkl.compile_circuit(a["model"], a["compiled"], a["settings"])


def gen_srs(a):
    import ezkl
    ezkl.gen_srs(a["srs"], a["logrows"])
    return True


def setup(a):
    import ezkl
    return ezkl.setup(a["compiled"], a["vk"], a["pk"], a["srs"])


def gen_witness(a):
    import ezkl
    return _await(lambda: ezkl.gen_witness(a["data"], a["compiled"], a["witness"]))


def prove(a):
    import resource
    import time
    import ezkl
    started = time.perf_counter()
    ezkl.prove(a["witness"], a["compiled"], a["pk"], a["proof"], "single", a["srs"])
    return {"seconds": time.perf_counter() - started,
            "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def verify(a):
    import ezkl
    return ezkl.verify(a["proof"], a["settings"], a["vk"], a["srs"])


def create_verifier(a):
    import ezkl
    return _await(lambda: ezkl.create_evm_verifier(
        a["vk"], a["settings"], a["sol"], a["abi"], a["srs"], a.get("reusable", False)))


def create_vka(a):
    import ezkl
    return _await(lambda: ezkl.create_evm_vka(a["vk"], a["settings"], a["sol"], a["abi"], a["srs"]))


def create_attester(a):
    import ezkl
    return _await(lambda: ezkl.create_evm_data_attestation(
        a["input"], a["settings"], a["sol"], a["abi"], a.get("witness")))


def onnx_io(a):
    """Input and output names and shapes of an ONNX file (symbolic dims as null)."""
    import onnx
    try:
        model = onnx.load(a["model"])
        onnx.checker.check_model(model)
    except Exception as exc:
        raise ValueError(f"not a valid ONNX model ({str(exc).splitlines()[0][:160]})")
    initializers = {i.name for i in model.graph.initializer}

    def shape(value):
        dims = value.type.tensor_type.shape.dim
        return [d.dim_value if d.HasField("dim_value") else None for d in dims]

    return {
        "inputs": [{"name": v.name, "shape": shape(v)} for v in model.graph.input if v.name not in initializers],
        "outputs": [{"name": v.name, "shape": shape(v)} for v in model.graph.output],
    }


def bind_address(a):
    """Writes a copy of the ONNX model with a key input [1, 1] passed through an Identity
    node to a key output, both first among the graph's inputs and outputs (boundAddress: true).
    The source file is only read."""
    import onnx
    from onnx import TensorProto, helper
    model = onnx.load(a["model"])
    graph = model.graph
    taken = {v.name for v in graph.input} | {v.name for v in graph.output} | {i.name for i in graph.initializer}
    taken |= {name for node in graph.node for name in list(node.input) + list(node.output)}
    taken |= {node.name for node in graph.node}

    def fresh(base):
        name, n = base, 1
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        return name

    key, key_out = fresh("bound_key"), fresh("bound_key_out")
    inputs = [helper.make_tensor_value_info(key, TensorProto.FLOAT, [1, 1])] + list(graph.input)
    outputs = [helper.make_tensor_value_info(key_out, TensorProto.FLOAT, [1, 1])] + list(graph.output)
    nodes = [helper.make_node("Identity", [key], [key_out], name=fresh("bound_key_identity"))] + list(graph.node)
    for field, values in ((graph.input, inputs), (graph.output, outputs), (graph.node, nodes)):
        del field[:]
        field.extend(values)
    onnx.checker.check_model(model)
    onnx.save(model, a["out"])
    return {"input": key, "output": key_out}


def onnx_run(a):
    """Runs the ONNX model in onnxruntime (float reference for the circuit's outputs)."""
    import numpy as np
    import onnxruntime as ort
    session = ort.InferenceSession(a["model"], providers=["CPUExecutionProvider"])
    feeds = {}
    for value, spec in zip(a["inputs"], session.get_inputs()):
        shape = [d if isinstance(d, int) else 1 for d in spec.shape]
        feeds[spec.name] = np.asarray(value, dtype=np.float32).reshape(shape)
    return [np.asarray(o).flatten().tolist() for o in session.run(None, feeds)]


def versions(_a):
    import ezkl
    return {"ezkl": ezkl.__version__, "python": sys.version.split()[0]}


# --- circuit sizing (packages/core/src/pipeline/sizing): measurements the search needs ---------

def _calibrate_fixed(model, data, settings, run_args, scales, rebase, max_logrows):
    """gen_settings + calibrate at fixed scales; returns the settings ezkl wrote."""
    import ezkl
    gen_settings({"model": model, "settings": settings, "runArgs": run_args})
    ok = _await(lambda: ezkl.calibrate_settings(
        data, model, settings, "resources", scales=scales,
        scale_rebase_multiplier=[rebase], max_logrows=max_logrows))
    if not ok:
        raise ValueError("calibration returned false")
    with open(settings) as f:
        return json.load(f)


def decomp_bits(a):
    """Smallest n such that every value the model decomposes on the calibration data
    fits n bits (ezkl's decomposition at base 2 with n legs succeeds): binary search."""
    import os
    import tempfile
    run_args = dict(a["runArgs"], decomp_base=2)
    with tempfile.TemporaryDirectory() as tmp:
        settings = os.path.join(tmp, "settings.json")

        def fits(bits):
            try:
                _calibrate_fixed(a["model"], a["data"], settings, dict(run_args, decomp_legs=bits),
                                 a["scales"], a["rebase"], a.get("maxLogrows", 26))
                return True
            except Exception:
                return False

        lo, hi = 1, a.get("maxBits", 62)
        if not fits(hi):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            if fits(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo


def size_candidates(a):
    """Calibrates each candidate layout at the given scales; returns what the cost model
    reads (rows, tables, constants) and writes each candidate's settings to its path."""
    results = []
    for c in a["candidates"]:
        run_args = dict(a["runArgs"], decomp_base=c["decompBase"], decomp_legs=c["decompLegs"],
                        num_inner_cols=c["numInnerCols"])
        try:
            s = _calibrate_fixed(a["model"], a["data"], c["settings"], run_args,
                                 a["scales"], a["rebase"], a.get("maxLogrows", 26))
            results.append({"ok": True, "numRows": s["num_rows"], "totalAssignments": s["total_assignments"],
                            "totalConstSize": s["total_const_size"], "lookupRange": s["run_args"]["lookup_range"],
                            "requiredLookups": len(s["required_lookups"]),
                            "requiredRangeChecks": s["required_range_checks"],
                            "instances": sum(_prod(shape) for shape in s["model_instance_shapes"]),
                            "scales": [s["run_args"]["input_scale"], s["run_args"]["param_scale"]],
                            "ezklLogrows": s["run_args"]["logrows"]})
        except Exception as exc:
            results.append({"ok": False, "error": (str(exc).strip().splitlines() or [type(exc).__name__])[-1]})
    return results


def _prod(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def calibration_accuracy(a):
    """Max abs error of the circuit's outputs (quantised forward pass, as the witness has
    them) against onnxruntime, over every sample of the calibration data."""
    import os
    import ezkl
    import numpy as np
    import onnxruntime as ort
    with open(a["settings"]) as f:
        settings = json.load(f)
    with open(a["data"]) as f:
        data = json.load(f)["input_data"]
    compiled = os.path.join(a["workdir"], "accuracy.compiled")
    ezkl.compile_circuit(a["model"], compiled, a["settings"])
    session = ort.InferenceSession(a["model"], providers=["CPUExecutionProvider"])
    specs = session.get_inputs()
    sizes = [_prod([d if isinstance(d, int) else 1 for d in spec.shape]) for spec in specs]
    samples = len(data[0]) // sizes[0]
    skip = set(a.get("skipOutputs", []))
    scales = settings["model_output_scales"]
    worst = 0.0
    for i in range(samples):
        chunk = [column[i * n:(i + 1) * n] for column, n in zip(data, sizes)]
        sample_file = os.path.join(a["workdir"], "sample.json")
        witness_file = os.path.join(a["workdir"], "sample.witness.json")
        with open(sample_file, "w") as f:
            json.dump({"input_data": chunk}, f)
        _await(lambda: ezkl.gen_witness(sample_file, compiled, witness_file))
        with open(witness_file) as f:
            outputs = json.load(f)["outputs"]
        feeds = {}
        for values, spec in zip(chunk, specs):
            shape = [d if isinstance(d, int) else 1 for d in spec.shape]
            floats = [0.0 if isinstance(v, str) else v for v in values]  # field elements pass through
            feeds[spec.name] = np.asarray(floats, dtype=np.float32).reshape(shape)
        reference = session.run(None, feeds)
        for k, (felts, ref) in enumerate(zip(outputs, reference)):
            if k in skip:
                continue
            got = np.array([ezkl.felt_to_float(x, scales[k]) for x in felts])
            worst = max(worst, float(np.max(np.abs(got - np.asarray(ref, dtype=np.float64).flatten()))))
    return {"maxAbsError": worst, "samples": samples}


OPS = {f.__name__: f for f in (gen_settings, calibrate, compile_circuit, gen_srs, setup,
                                gen_witness, prove, verify, create_verifier, create_vka,
                                create_attester, onnx_io, onnx_run, bind_address, versions,
                                decomp_bits, size_candidates, calibration_accuracy)}

def _error(exc):
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


def serve():
    """One job per stdin line, {"id", "op", "args"}; one reply per line on fd 3.

    Used by the native prover backend: the interpreter and ezkl load once per worker.
    Replies go to their own pipe so ezkl's own output on stdout cannot interleave.
    """
    replies = os.fdopen(3, "w", buffering=1)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            if job["op"] not in OPS:
                raise ValueError(f"unknown op {job['op']!r}")
            reply = {"id": job["id"], "ok": True, "result": OPS[job["op"]](job.get("args", {}))}
        except Exception as exc:  # the job fails, the server stays up
            sys.stderr.write(traceback.format_exc())
            reply = {"id": job["id"], "ok": False, "error": _error(exc)}
        replies.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    op = sys.argv[1] if len(sys.argv) > 1 else ""
    if op == "serve":
        serve()
        sys.exit(0)
    if op not in OPS:
        print(json.dumps({"ok": False, "error": f"unknown op {op!r}"}))
        sys.exit(2)
    try:
        result = OPS[op](json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
        print(json.dumps({"ok": True, "result": result}))
    except Exception as exc:  # reported to Node as one line
        sys.stderr.write(traceback.format_exc())
        print(json.dumps({"ok": False, "error": _error(exc)}))
        sys.exit(1)
