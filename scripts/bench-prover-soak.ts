/**
 * Long-running workers: 50 successive voiceJudgeSmall proofs per backend through a
 * one-worker ProverPool, prove time and RSS after each (Node's RSS, plus the Python
 * worker's for "native"). A backend whose time or memory grows is run again with
 * `recycleAfter` to show the effect. Each run is a fresh child process.
 *
 *   npx hardhat run scripts/bench-prover-soak.ts   (BENCH_OUT=bench/prover-soak.md to save)
 *   BENCH_SOAK_PROOFS=50 BENCH_RECYCLE=10 BENCH_BACKENDS=wasm-threads ...
 */
import { readFile, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import hre from "hardhat";
import { besidesBoundInput } from "@hardhat-zkml/core/bound-address.js";
import type { ProverBackend } from "@hardhat-zkml/core/prover/backends.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { procRssMb, runInChild } from "./lib/bench-child.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const MODEL = "voiceJudgeSmall";
const root = hre.config.paths.root;

interface Run {
  backend: ProverBackend;
  proofs: number;
  recycleAfter?: number;
}
interface RunResult extends Run {
  ms: number[];
  rssMb: number[];
  replaced: number;
}

async function soak(run: Run): Promise<RunResult> {
  const model = hre.config.zk.models[MODEL]!;
  const pool = new ProverPool({ backend: run.backend, workers: 1, threads: availableParallelism(), recycleAfter: run.recycleAfter, root });
  const prover = await ModelProver.open(root, hre.config.zk.artifactsDir, model, pool);
  const data = JSON.parse(await readFile(`${root}/models/${MODEL}/input.json`, "utf8")) as { input_data: number[][] };
  const inputs = besidesBoundInput(data.input_data, model.boundAddress);
  const ms: number[] = [];
  const rssMb: number[] = [];
  for (let i = 0; i < run.proofs; i++) {
    const job = prover.prove(inputs, ALICE);
    // The native worker's RSS is read while it is alive (a recycled one is gone after its last proof).
    let python = 0;
    const sample = setInterval(
      () => (python = Math.max(python, ...pool.workers.map((w) => (run.backend === "native" ? procRssMb(w.id, "VmRSS") : 0)))),
      100,
    );
    const r = await job;
    clearInterval(sample);
    ms.push(r.proveMs!);
    rssMb.push(process.memoryUsage().rss / 2 ** 20 + python);
  }
  const replaced = pool.replaced;
  await pool.close();
  return { ...run, ms, rssMb, replaced };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Growth from the early proofs (after the first, which warms up) to the last ones. */
function growth(r: RunResult): { time: number; rss: number } {
  const k = Math.max(2, Math.floor(r.ms.length / 5));
  return { time: mean(r.ms.slice(-k)) / mean(r.ms.slice(1, 1 + k)), rss: r.rssMb.at(-1)! / r.rssMb[1]! };
}

function row(r: RunResult): string {
  const k = Math.max(2, Math.floor(r.ms.length / 5));
  const g = growth(r);
  const at = (i: number) => r.rssMb[Math.min(i, r.rssMb.length) - 1]!.toFixed(0);
  return `| ${r.backend} | ${r.recycleAfter ?? "never"} | ${(mean(r.ms.slice(1, 1 + k)) / 1000).toFixed(2)} | ${(mean(r.ms.slice(-k)) / 1000).toFixed(2)} | ${g.time.toFixed(2)}x | ${at(1)} / ${at(10)} / ${at(25)} / ${at(r.rssMb.length)} | ${Math.max(...r.rssMb).toFixed(0)} | ${r.replaced} |`;
}

if (process.env.BENCH_CELL) {
  console.log("BENCH_RESULT " + JSON.stringify(await soak(JSON.parse(process.env.BENCH_CELL) as Run)));
} else {
  const proofs = Number(process.env.BENCH_SOAK_PROOFS ?? 50);
  const recycle = Number(process.env.BENCH_RECYCLE ?? 10);
  const backends = (process.env.BENCH_BACKENDS ?? "wasm,wasm-threads,native").split(",") as ProverBackend[];
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(", ");
  const loadBefore = load();
  const rows: string[] = [];
  for (const backend of backends) {
    const r = await runInChild<RunResult>(root, "scripts/bench-prover-soak.ts", { backend, proofs });
    rows.push(row(r));
    console.log(rows.at(-1), `(load ${load()})`);
    const g = growth(r);
    if (g.time > 1.15 || g.rss > 1.2) {
      const again = await runInChild<RunResult>(root, "scripts/bench-prover-soak.ts", { backend, proofs, recycleAfter: recycle });
      rows.push(row(again));
      console.log(rows.at(-1), `(load ${load()})`);
    }
  }
  const k = Math.max(2, Math.floor(proofs / 5));
  const report = [
    `# Long-running prover workers`,
    "",
    `Made by \`BENCH_OUT=bench/prover-soak.md npx hardhat run scripts/bench-prover-soak.ts\`: ${proofs} successive ${MODEL} proofs per backend through a one-worker ProverPool (wasm-threads with ${availableParallelism()} threads), each backend in a fresh process. Prove time is the prove step; RSS is Node's after each proof, plus the Python worker's (sampled during the proof) for native. A backend is rerun with recycleAfter ${recycle} when its last ${k} proofs are >15% slower or its RSS ends >20% above the second proof's.`,
    "",
    `Load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()} (2 cores shared with other work: wall times are inflated and noisy).`,
    "",
    `| backend | recycle after | prove, proofs 2-${1 + k} (s) | prove, last ${k} (s) | time growth | RSS after proof 1 / 10 / 25 / ${proofs} (MB) | max RSS (MB) | workers replaced |`,
    "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ...rows,
  ].join("\n");
  console.log("\n" + report);
  if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, report + "\n");
}
