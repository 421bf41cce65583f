/**
 * Prover benchmark, every backend side by side on the same artifacts in one run: per
 * model and backend, the prove time, proofs/min with one worker and with the pool on
 * all cores, peak RSS, and the ratio to native ezkl's own `prove` call (Python,
 * ezkl.prove on the same witness and files). Each measurement runs in a fresh child
 * process so its peak RSS is its own. Prints figures; asserts nothing.
 *
 *   npx hardhat run scripts/bench-prover.ts          (BENCH_OUT=bench/prover.md to save)
 *   BENCH_MODELS=voiceJudgeSmall BENCH_PROOFS=3 npx hardhat run scripts/bench-prover.ts
 *
 * One measurement alone, e.g. how long the engine takes to read a proving key (it
 * does so inside every prove call):
 *   BENCH_CELL='{"model":"voiceJudge","backend":"pk-read","workers":1,"threads":1,"proofs":2}' \
 *     npx hardhat run scripts/bench-prover.ts
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { besidesBoundInput } from "@hardhat-zkml/core/bound-address.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { clamped, loadEngine } from "@hardhat-zkml/core/engine.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { loadModelFiles } from "@hardhat-zkml/core/prover/model-files.js";
import type { ProverBackend } from "@hardhat-zkml/core/prover/backends.js";
import { ModelProver, type ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { procRssMb, runInChild } from "./lib/bench-child.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const root = hre.config.paths.root;
const cores = availableParallelism();

/** "ezkl": Python's own prove; "pk-read": the engine deserializing the proving key alone. */
interface Cell {
  model: string;
  backend: ProverBackend | "ezkl" | "pk-read";
  workers: number;
  threads: number;
  proofs: number;
}
interface CellResult extends Cell {
  /** Mean prove step (witness excluded), seconds. */
  proveS: number;
  /** Whole proofs (witness + proof) per minute, all workers busy. */
  perMin: number;
  peakRssMb: number;
}

async function inputsFor(name: string): Promise<ModelInputs> {
  const data = JSON.parse(await readFile(path.join(root, "models", name, "input.json"), "utf8")) as { input_data: number[][] };
  return besidesBoundInput(data.input_data, hre.config.zk.models[name]!.boundAddress);
}

/** One measurement, in this process (a child of the main run). */
async function runCell(cell: Cell): Promise<CellResult> {
  const model = hre.config.zk.models[cell.model]!;
  const inputs = await inputsFor(cell.model);
  const bound = model.boundAddress ? ALICE : undefined;
  if (cell.backend === "pk-read") {
    // engine.prove() takes the key as bytes and reads it on every call; pkValidation reads it alone.
    const files = await loadModelFiles(root, cell.model, modelArtifacts(hre.config.zk.artifactsDir, cell.model));
    const times: number[] = [];
    for (let i = 0; i < cell.proofs; i++) {
      const t = performance.now();
      if (!loadEngine().pkValidation(clamped(files.pk), clamped(files.settings))) throw new Error(`${cell.model}: pk does not validate`);
      times.push((performance.now() - t) / 1000);
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    return { ...cell, proveS: mean, perMin: 60 / mean, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  if (cell.backend === "ezkl") {
    // ezkl's own prove: one Python process per call, timing ezkl.prove alone.
    const paths = modelArtifacts(hre.config.zk.artifactsDir, cell.model);
    const dir = await mkdtemp(path.join(tmpdir(), "bench-"));
    const files = await ModelProver.open(root, hre.config.zk.artifactsDir, model, { backend: "wasm" });
    await writeFile(path.join(dir, "input.json"), files.inputJson(inputs, bound));
    await files.close();
    await runEzkl(root, "gen_witness", { data: path.join(dir, "input.json"), compiled: paths.compiled, witness: path.join(dir, "w.json") });
    const times: number[] = [];
    let rss = 0;
    for (let i = 0; i < cell.proofs; i++) {
      const r = await runEzkl<{ seconds: number; maxRssKb: number }>(root, "prove", {
        witness: path.join(dir, "w.json"),
        compiled: paths.compiled,
        pk: paths.pk,
        proof: path.join(dir, "p.json"),
        srs: paths.srs,
      });
      times.push(r.seconds);
      rss = Math.max(rss, r.maxRssKb / 1024);
    }
    await rm(dir, { recursive: true, force: true });
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    return { ...cell, proveS: mean, perMin: 60 / mean, peakRssMb: rss };
  }
  const pool = new ProverPool({ backend: cell.backend, workers: cell.workers, threads: cell.threads, root });
  const prover = await ModelProver.open(root, hre.config.zk.artifactsDir, model, pool);
  // Warm every worker: the first job loads the model (and starts the thread pool).
  await Promise.all(Array.from({ length: cell.workers }, () => prover.prove(inputs, bound)));
  const times: number[] = [];
  const proofs: Uint8Array[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: cell.workers }, async () => {
      for (let i = 0; i < cell.proofs / cell.workers; i++) {
        const r = await prover.prove(inputs, bound);
        times.push(r.proveMs! / 1000);
        proofs.push(r.proofJson);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  // Verified after the clock stops: verification runs on this thread and would take CPU from the workers.
  if (!proofs.every((p) => prover.verify(p))) throw new Error(`${cell.backend}: a proof of ${cell.model} did not verify`);
  const children = cell.backend === "native" ? pool.workers.reduce((sum, w) => sum + procRssMb(w.id, "VmHWM"), 0) : 0;
  await pool.close();
  return {
    ...cell,
    proveS: times.reduce((a, b) => a + b, 0) / times.length,
    perMin: (times.length / elapsed) * 60,
    peakRssMb: process.resourceUsage().maxRSS / 1024 + children,
  };
}

const inChild = (cell: Cell) => runInChild<CellResult>(root, "scripts/bench-prover.ts", cell);

const f = (x: number, d = 2) => x.toFixed(d);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");

if (process.env.BENCH_CELL) {
  console.log("BENCH_RESULT " + JSON.stringify(await runCell(JSON.parse(process.env.BENCH_CELL) as Cell)));
} else {
  const models = (process.env.BENCH_MODELS ?? "voiceJudgeSmall,fraudScore,voiceJudge").split(",");
  const proofs = Number(process.env.BENCH_PROOFS ?? 4);
  const loadBefore = load();
  const startedAt = new Date().toISOString();
  const sections: string[] = [];
  const targets: string[] = [];

  /** Written after each model, so a run cut short still leaves the models it finished. */
  const writeReport = async (done: string[]) => {
    const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cores} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const report = [
      `Machine: ${machine}. Run started ${startedAt}, models ${done.join(", ")} (of ${models.join(", ")}). Load average (1, 5, 15 min) before: ${loadBefore}; after the last model: ${load()}.`,
      "",
      ...sections,
      "### Targets",
      "",
      "| model | target | measured | |",
      "| --- | --- | ---: | --- |",
      ...targets,
    ].join("\n");
    console.log("\n" + report);
    if (process.env.BENCH_OUT) {
      const head = await readFile(process.env.BENCH_OUT, "utf8").then(
        (t) => t.split("<!-- bench-prover -->")[0]!,
        () => "# Prover benchmark\n\n",
      );
      await writeFile(process.env.BENCH_OUT, `${head}<!-- bench-prover -->\n\n${report}\n`);
    }
  };
  const done: string[] = [];
  for (const name of models) {
    const big = name === "voiceJudge";
    const n = big ? 1 : proofs;
    // One worker (sequential), then the pool on all cores; the tutorial-size judge: one proof, one worker.
    const plan: Cell[] = [
      { model: name, backend: "ezkl", workers: 1, threads: cores, proofs: n },
      { model: name, backend: "native", workers: 1, threads: cores, proofs: n },
      { model: name, backend: "wasm-threads", workers: 1, threads: cores, proofs: n },
      { model: name, backend: "wasm", workers: 1, threads: 1, proofs: n },
      ...(big
        ? []
        : [
            { model: name, backend: "wasm", workers: cores, threads: 1, proofs: 2 * n } as Cell,
            { model: name, backend: "wasm-threads", workers: 1, threads: 1, proofs: n } as Cell,
            { model: name, backend: "wasm-threads", workers: cores, threads: 1, proofs: 2 * n } as Cell,
            { model: name, backend: "native", workers: cores, threads: cores, proofs: 2 * n } as Cell,
          ]),
    ];
    const results: CellResult[] = [];
    for (const cell of plan) {
      const r = await inChild(cell);
      console.log(
        `${name} ${cell.backend} ${cell.workers}x${cell.threads}: prove ${f(r.proveS)} s, ${f(r.perMin, 1)}/min, peak RSS ${f(r.peakRssMb, 0)} MB (load ${load()})`,
      );
      results.push(r);
    }
    const ezkl = results[0]!.proveS;
    const one = (b: string, w: number, t: number) => results.find((r) => r.backend === b && r.workers === w && r.threads === t);
    sections.push(
      `### ${name} (logrows ${JSON.parse(await readFile(modelArtifacts(hre.config.zk.artifactsDir, name).settings, "utf8")).run_args.logrows}, ${n} proof${n > 1 ? "s" : ""} per cell after a warm-up)`,
      "",
      "| backend | workers x threads | prove (s) | / ezkl's own prove | proofs/min | peak RSS (MB) |",
      "| --- | --- | ---: | ---: | ---: | ---: |",
      ...results.map(
        (r) =>
          `| ${r.backend === "ezkl" ? "ezkl's own prove (Python, process per call)" : r.backend} | ${r.backend === "ezkl" ? "-" : `${r.workers} x ${r.threads}`} | ${f(r.proveS)} | ${f(r.proveS / ezkl)}x | ${f(r.perMin, 1)} | ${f(r.peakRssMb, 0)} |`,
      ),
      "",
    );
    const threads = one("wasm-threads", 1, cores)!;
    const native = one("native", 1, cores)!;
    targets.push(
      `| ${name} | wasm-threads (1 x ${cores}) / native ezkl prove <= 3x | ${f(threads.proveS / ezkl)}x | ${threads.proveS / ezkl <= 3 ? "met" : "not met"} |`,
    );
    targets.push(
      `| ${name} | native backend / ezkl's own prove <= 1.1x | ${f(native.proveS / ezkl)}x | ${native.proveS / ezkl <= 1.1 ? "met" : "not met"} |`,
    );
    if (!big) {
      for (const b of ["wasm", "wasm-threads"]) {
        const single = one(b, 1, 1)!;
        const pool = one(b, cores, 1)!;
        const scale = pool.perMin / (cores * single.perMin);
        targets.push(
          `| ${name} | ${b} pool ${cores} x 1 >= 0.8 x ${cores} x one worker (1 x 1) | ${f(scale)} (${f(pool.perMin, 1)} vs ${f(single.perMin, 1)}/min) | ${scale >= 0.8 ? "met" : "not met"} |`,
        );
      }
    }
    done.push(name);
    await writeReport(done);
  }
}
