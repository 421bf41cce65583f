/**
 * Error-budget benchmark: ezkl's own examples (v21.0.3) sized by the auto search twice,
 * without a budget (ezkl's scales kept) and with `maxError` (default 1e-2): logrows, rows,
 * proving key size, native and WASM prove time, and the measured max abs error of the
 * outputs against onnxruntime on the calibration data (the example's input.json).
 *
 *   npx hardhat run scripts/bench-sizing-budget.ts     (BENCH_OUT=bench/sizing-budget.md to save)
 *   BENCH_MODELS=lstm,xgboost BENCH_MAX_ERROR=1e-2 npx hardhat run scripts/bench-sizing-budget.ts
 *
 * ezkl's files are not committed here (its repository has no licence): the script reads
 * them from a local git clone of github.com/zkonduit/ezkl at tag v21.0.3, EZKL_REPO
 * (default /work/.mirror/zkonduit+ezkl/repo, a bare mirror), into .bench-sizing-budget/.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import hre from "hardhat";
import { resolveModel } from "../tasks/config/resolve.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver, type ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";

const run = promisify(execFile);
const root = hre.config.paths.root;
const work = path.join(root, ".bench-sizing-budget");
const EZKL_REPO = process.env.EZKL_REPO ?? "/work/.mirror/zkonduit+ezkl/repo";
const EZKL_TAG = "v21.0.3";
const MAX_ERROR = Number(process.env.BENCH_MAX_ERROR ?? 1e-2);
/** The targets (lstm, xgboost) first, then smaller ones. */
const EXAMPLES = (process.env.BENCH_MODELS ?? "lstm,xgboost,linear_regression,rnn,gru,decision_tree").split(",");

interface Measured {
  logrows: number;
  rows: number;
  scales: string;
  decomp: string;
  pkMb: number;
  nativeS: number;
  wasmS: number;
  verifies: boolean;
  maxAbsError: number;
  setupS: number;
}

/** The example's network.onnx and input.json at the tag, refusing Git LFS pointers. */
async function copyExample(name: string): Promise<string> {
  const dir = path.join(work, "examples", name);
  await mkdir(dir, { recursive: true });
  for (const file of ["network.onnx", "input.json"]) {
    const { stdout } = await run("git", ["-C", EZKL_REPO, "show", `${EZKL_TAG}:examples/onnx/${name}/${file}`], {
      encoding: "buffer",
      maxBuffer: 1 << 28,
    });
    if (stdout.subarray(0, 40).toString().startsWith("version https://git-lfs")) throw new Error(`${name}/${file} is a Git LFS pointer`);
    await writeFile(path.join(dir, file), stdout);
  }
  return dir;
}

const ctx: BuildContext = {
  root,
  artifactsDir: path.join(work, "artifacts-zk"),
  generatedContractsDir: path.join(work, "generated"),
  log: (line) => console.log(line),
  force: true,
};

async function measure(model: ZkModelConfig, dir: string): Promise<Measured> {
  const t0 = performance.now();
  const setup = await setupCircuit(model, ctx);
  const setupS = (performance.now() - t0) / 1000;
  const paths = modelArtifacts(ctx.artifactsDir, model.name);
  const inputs = (JSON.parse(await readFile(path.join(dir, "input.json"), "utf8")) as { input_data: ModelInputs }).input_data;
  const prover = await ModelProver.open(root, ctx.artifactsDir, model);
  const input = path.join(paths.dir, "bench.input.json");
  await writeFile(input, prover.inputJson(inputs));
  const witness = path.join(paths.dir, "bench.witness.json");
  await runEzkl(root, "gen_witness", { data: input, compiled: paths.compiled, witness });
  const proof = path.join(paths.dir, "bench.native.proof.json");
  const native = await runEzkl<{ seconds: number }>(root, "prove", {
    witness,
    compiled: paths.compiled,
    pk: paths.pk,
    proof,
    srs: paths.srs,
  });
  const verifies = await runEzkl<boolean>(root, "verify", { proof, settings: paths.settings, vk: paths.vk, srs: paths.srs });
  const wasm = await prover.prove(inputs);
  await prover.close();
  const sizing = setup.manifest.sizing!;
  const row: Measured = {
    logrows: setup.manifest.circuit!.logrows,
    rows: setup.manifest.circuit!.numRows,
    scales: `${sizing.scales.input}/${sizing.scales.param}`,
    decomp: `${sizing.chosen.decompBase}x${sizing.chosen.decompLegs}, ${sizing.chosen.numInnerCols}`,
    pkMb: (await stat(paths.pk)).size / 2 ** 20,
    nativeS: native.seconds,
    wasmS: wasm.proveMs! / 1000,
    verifies,
    maxAbsError: sizing.maxAbsError!,
    setupS,
  };
  await rm(paths.pk, { force: true });
  console.log(`[bench] ${model.name}: ${JSON.stringify(row)}`);
  return row;
}

await rm(work, { recursive: true, force: true });
/** An example that could not be built is reported with ezkl's (or onnxruntime's) reason. */
type Outcome = Measured | { failed: string };
const results: { name: string; plain: Outcome; budget: Outcome; load: string }[] = [];
const attempt = (model: ZkModelConfig, dir: string): Promise<Outcome> =>
  measure(model, dir).catch((e: Error) => ({
    failed: e.message
      .split("\n")[0]!
      .replaceAll(root + path.sep, "")
      .slice(0, 300),
  }));
for (const name of EXAMPLES) {
  const load = loadavg()[0]!.toFixed(1);
  const dir = await copyExample(name);
  const base = { onnx: path.join(dir, "network.onnx"), maxLogrows: 20 };
  const plain = await attempt(resolveModel(`${name}Plain`, base, root), dir);
  const budget = await attempt(resolveModel(`${name}Budget`, { ...base, maxError: MAX_ERROR }, root), dir);
  results.push({ name, plain, budget, load });
  await report();
}

async function report(): Promise<void> {
  const lines = [
    "| example | maxError | scales | decomp, inner cols | logrows | rows | pk (MB) | native prove (s) | WASM prove (s) | verifies | measured max abs error | setup (s) |",
    "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
  ];
  const row = (name: string, budget: string, m: Outcome) =>
    "failed" in m
      ? `| ${name} | ${budget} | failed: ${m.failed.replaceAll("|", "\\|")} | | | | | | | | | |`
      : `| ${name} | ${budget} | ${m.scales} | ${m.decomp} | ${m.logrows} | ${m.rows} | ${m.pkMb.toFixed(1)} | ${m.nativeS.toFixed(2)} | ` +
        `${m.wasmS.toFixed(2)} | ${m.verifies ? "yes" : "NO"} | ${m.maxAbsError.toExponential(2)} | ${m.setupS.toFixed(1)} |`;
  for (const r of results) lines.push(row(r.name, "none", r.plain), row(r.name, String(MAX_ERROR), r.budget));
  const table = lines.join("\n");
  console.log("\n" + table);
  if (!process.env.BENCH_OUT) return;
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  await writeFile(
    process.env.BENCH_OUT,
    [
      "# Sizing within an error budget (ezkl's examples)",
      "",
      `Made by \`BENCH_MODELS=${EXAMPLES.join(",")} BENCH_MAX_ERROR=${MAX_ERROR} BENCH_OUT=${process.env.BENCH_OUT} npx hardhat run scripts/bench-sizing-budget.ts\` ` +
        `on ${new Date().toISOString().slice(0, 10)}; ${machine}.`,
      `Load average (1 min) when each example started: ${results.map((r) => `${r.name} ${r.load}`).join(", ")}; the 2 cores were shared with other work, so times are indicative.`,
      "",
      `Models and inputs: \`examples/onnx/<example>/network.onnx\` and \`input.json\` of ezkl ${EZKL_TAG}, read from a local clone`,
      "(EZKL_REPO) and not committed here (ezkl's repository carries no licence). The input.json is both the calibration data",
      'and the proved input. Both rows use sizing "auto" with maxLogrows 20; "none" keeps ezkl\'s calibrated scales (today\'s',
      'behaviour: never worse than ezkl\'s own error), the budget lets the search lower them. "measured max abs error" is the',
      "largest absolute difference between the circuit's outputs (ezkl gen-witness) and onnxruntime's on the calibration data.",
      'Native: ezkl.prove in Python (threaded); WASM: witness + proof in the engine (one worker thread); "verifies": ezkl.verify',
      "on the native proof. The proving key is the file ezkl writes.",
      "",
      table,
      "",
    ].join("\n"),
  );
}

process.exit(0);
