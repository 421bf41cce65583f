/**
 * Prover benchmark: for each fixture, on the same artifacts in one run, the WASM prove
 * time, native Python ezkl's prove time, their ratio, peak RSS, and proofs per minute
 * through the worker pool versus one at a time. Prints figures; asserts nothing.
 *
 *   npx hardhat run scripts/bench-prover.ts        (BENCH_OUT=bench/prover.md to save)
 *   BENCH_MODELS=voiceJudgeSmall,fraudScore npx hardhat run scripts/bench-prover.ts
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { modelArtifacts } from "../tasks/lib/artifacts.js";
import { runEzkl } from "../tasks/lib/ezkl/python.js";
import type { BuildContext } from "../tasks/lib/pipeline/context.js";
import { setupCircuit } from "../tasks/lib/pipeline/setup-circuit.js";
import { ModelProver, type ModelInputs } from "../tasks/lib/prover/model-prover.js";
import { ProverPool } from "../tasks/lib/prover/prover-pool.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const root = hre.config.paths.root;
const ctx: BuildContext = { root, artifactsDir: hre.config.zk.artifactsDir, generatedContractsDir: hre.config.zk.generatedContractsDir, log: (l) => console.log(l) };
const models = (process.env.BENCH_MODELS ?? "voiceJudgeSmall,fraudScore,voiceJudge").split(",");

async function inputsFor(name: string): Promise<ModelInputs> {
  const data = JSON.parse(await readFile(path.join(root, "models", name, "input.json"), "utf8")) as { input_data: number[][] };
  const bound = hre.config.zk.models[name]!.boundAddress;
  return data.input_data.filter((_, i) => i !== bound?.input);
}

const rows: string[] = [];
for (const name of models) {
  const model = hre.config.zk.models[name]!;
  await setupCircuit(model, ctx);
  const inputs = await inputsFor(name);
  const bound = model.boundAddress ? ALICE : undefined;
  const paths = modelArtifacts(ctx.artifactsDir, name);
  // Sequential runs after a warm-up; the tutorial-size judge takes minutes per proof.
  const n = name === "voiceJudge" ? 1 : 4;

  // One at a time (pool of 1): the first proof also loads the artifacts into the worker.
  const single = new ProverPool(1);
  const sequential = await ModelProver.open(root, ctx.artifactsDir, model, single);
  await sequential.prove(inputs, bound);
  const wasmTimes: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) wasmTimes.push((await sequential.prove(inputs, bound)).proveMs! / 1000);
  const seqPerMin = (n / ((performance.now() - t0) / 1000)) * 60;
  await sequential.close();
  await single.close();

  // Through the pool, one worker per core.
  const pool = new ProverPool(availableParallelism());
  const pooled = await ModelProver.open(root, ctx.artifactsDir, model, pool);
  await Promise.all(Array.from({ length: pool.size }, () => pooled.prove(inputs, bound)));
  const parallel = Math.max(n, pool.size);
  const t1 = performance.now();
  await Promise.all(Array.from({ length: parallel }, () => pooled.prove(inputs, bound)));
  const poolPerMin = (parallel / ((performance.now() - t1) / 1000)) * 60;
  const nodeRssMb = process.resourceUsage().maxRSS / 1024;
  await pool.close();

  // Native ezkl on the same artifacts and input.
  const dir = await mkdtemp(path.join(tmpdir(), "bench-"));
  const input = path.join(dir, "input.json");
  await writeFile(input, pooled.inputJson(inputs, bound));
  await runEzkl(root, "gen_witness", { data: input, compiled: paths.compiled, witness: path.join(dir, "w.json") });
  const native = await runEzkl<{ seconds: number; maxRssKb: number }>(root, "prove", {
    witness: path.join(dir, "w.json"), compiled: paths.compiled, pk: paths.pk, proof: path.join(dir, "p.json"), srs: paths.srs,
  });

  const wasm = wasmTimes.reduce((a, b) => a + b, 0) / wasmTimes.length;
  const c = pooled.files.manifest.circuit!;
  rows.push(`| ${name} | ${c.logrows} | ${wasm.toFixed(2)} | ${native.seconds.toFixed(2)} | ${(wasm / native.seconds).toFixed(1)}x | ${nodeRssMb.toFixed(0)} | ${(native.maxRssKb / 1024).toFixed(0)} | ${seqPerMin.toFixed(1)} | ${poolPerMin.toFixed(1)} (${pool.size} workers) |`);
  console.log(rows.at(-1));
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const report = [
  `Machine: ${machine}`,
  "",
  "| model | logrows | WASM prove (s) | native ezkl prove (s) | WASM / native | peak RSS Node (MB) | peak RSS Python (MB) | proofs/min one at a time | proofs/min pool |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows,
].join("\n");
console.log("\n" + report);
if (process.env.BENCH_OUT) {
  await writeFile(process.env.BENCH_OUT, `# Prover benchmark\n\nMade by \`BENCH_OUT=bench/prover.md npx hardhat run scripts/bench-prover.ts\` on ${new Date().toISOString().slice(0, 10)}. WASM times are witness + proof in a worker thread (mean of sequential runs); native is ezkl.prove alone in Python (multi-threaded). Node's peak RSS is the process's running maximum, so later rows include earlier models.\n\n${report}\n`);
}
