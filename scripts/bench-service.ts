// Proving-service benchmark: submission latency under load (autocannon, loopback) and
// proofs per minute, embedded (prover threads) vs Redis (zk worker processes).
// Run: npx hardhat run scripts/bench-service.ts   (needs redis-server; writes bench/service.md)
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import hre from "hardhat";
import { KeyStore } from "@hardhat-zkml/server/key-store.js";
import { keysFile, resolveServiceConfig, type ServiceConfig } from "@hardhat-zkml/server/options.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { readFile } from "node:fs/promises";

import { freePort } from "../test/helpers/ports.js";

const MODEL = "voiceJudgeSmall";
const BATCH = Number(process.env.BENCH_BATCH ?? 24);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "wasm,wasm-threads,native").split(",");
const PROVER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const root = hre.config.paths.root;

async function config(env: NodeJS.ProcessEnv, concurrency: number): Promise<ServiceConfig> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "zk-bench-"));
  const zk = { ...hre.config.zk, models: { [MODEL]: hre.config.zk.models[MODEL]! } };
  return resolveServiceConfig(root, zk, { port: 0, dataDir, concurrency }, env);
}

function keyFor(c: ServiceConfig): string {
  const keys = new KeyStore(keysFile(c.dataDir));
  try {
    return keys.create("bench", ["prove"], 1_000_000).token;
  } finally {
    keys.close();
  }
}

const features = JSON.parse(await readFile(path.join(root, "models", MODEL, "samples.json"), "utf8"))["0.95"] as number[];
const body = JSON.stringify({ features, prover: PROVER });

async function submitBatch(service: RunningService, token: string, n: number): Promise<number> {
  const started = performance.now();
  const ids = await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${service.url}/v1/models/${MODEL}/proofs`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
      return ((await res.json()) as { id: string }).id;
    }),
  );
  for (const id of ids) {
    const job = await service.queue.waitUntilFinished(id, 30 * 60_000);
    if (job?.status !== "succeeded") throw new Error(`job ${id} ${job?.status}: ${job?.error}`);
  }
  return (n / ((performance.now() - started) / 1000)) * 60;
}

async function latency(service: RunningService, token: string): Promise<{ p50: number; p99: number; rps: number }> {
  const r = await autocannon({
    url: `${service.url}/v1/models/${MODEL}/proofs`,
    method: "POST",
    connections: 10,
    duration: 5,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
  if (r.non2xx > 0) throw new Error(`${r.non2xx} non-2xx answers during the latency run`);
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average };
}

function startRedis(port: number): ChildProcess {
  return spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
}

interface WorkerProcess {
  child: ChildProcess;
  /** Jobs this worker has finished (from its log). */
  done(): number;
}

function startWorkerProcess(url: string, backend: string): Promise<WorkerProcess> {
  const child = spawn(
    path.join(root, "node_modules", ".bin", "hardhat"),
    ["zk", "worker", "--redis", url, "--concurrency", "1", "--backend", backend],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  const worker = { child, done: () => out.match(/^job \S+ done$/gm)?.length ?? 0 };
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("worker ready")) resolve(worker);
    });
    child.on("exit", () => reject(new Error(`worker exited: ${out}`)));
  });
}

/**
 * Proofs each worker makes before it is timed. A new process compiles the engine's WASM
 * twice: a quick baseline first, then optimized code in background threads while it
 * proves (V8's tier-up), which takes a core for about half a minute. Timed before that
 * ends, one worker gets the other core for free and two workers take it from each other.
 */
const WARM_PROOFS = Number(process.env.BENCH_WARM ?? 10);

/** Until every worker has made WARM_PROOFS proofs: artifacts loaded, engine compiled and optimized. */
async function warmUp(service: RunningService, token: string, workers: WorkerProcess[]): Promise<void> {
  for (let round = 0; workers.some((w) => w.done() < WARM_PROOFS); round++) {
    if (round === 10 * WARM_PROOFS) throw new Error(`a worker made fewer than ${WARM_PROOFS} proofs in ${round} warm-up rounds`);
    await submitBatch(service, token, workers.length);
  }
}

const rows: string[] = [];
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");
console.log(`cpus: ${cpus().length}, load average at start: ${load()}`);

// Embedded: one process, prover threads.
for (const threads of [1, 2]) {
  const c = await config({}, threads);
  const token = keyFor(c);
  const service = await startService(c);
  await submitBatch(service, token, threads * WARM_PROOFS); // warm-up: each thread loads the artifacts, the engine is optimized
  const perMin = await submitBatch(service, token, BATCH);
  rows.push(`| embedded, ${threads} prover thread(s) | ${perMin.toFixed(1)} | load ${load()} |`);
  console.log(rows.at(-1));
  if (threads === 2) {
    const lat = await latency(service, token);
    rows.push(
      `| embedded: POST /proofs latency, 10 connections, 5 s (provers busy) | p50 ${lat.p50} ms, p99 ${lat.p99} ms, ${lat.rps.toFixed(0)} req/s | load ${load()} |`,
    );
    console.log(rows.at(-1));
  }
  await service.close();
  await rm(c.dataDir, { recursive: true, force: true });
}

// Redis: the API in this process, provers in `zk worker` processes (one thread each).
const port = await freePort();
const redis = startRedis(port);
await sleep(500);
const url = `redis://127.0.0.1:${port}`;
try {
  const c = await config({ ZK_REDIS_URL: url }, 1);
  const token = keyFor(c);
  const service = await startService(c);
  const lat = await latency(service, token); // no workers yet: jobs only pile up in Redis
  await sleep(1000); // let the last answers go out before the API stops
  rows.push(
    `| redis: POST /proofs latency, 10 connections, 5 s | p50 ${lat.p50} ms, p99 ${lat.p99} ms, ${lat.rps.toFixed(0)} req/s | load ${load()} |`,
  );
  console.log(rows.at(-1));
  await service.close();
  const cleanup = spawn("redis-cli", ["-p", String(port), "flushall"]);
  await once(cleanup, "exit");
  const service2 = await startService(c);
  for (const backend of BACKENDS) {
    const workers: WorkerProcess[] = [];
    const perMin: number[] = [];
    for (const n of [1, 2]) {
      while (workers.length < n) workers.push(await startWorkerProcess(url, backend));
      await warmUp(service2, token, workers);
      perMin.push(await submitBatch(service2, token, BATCH));
      rows.push(`| redis, ${backend}, ${n} zk worker process(es) x 1 prover | ${perMin.at(-1)!.toFixed(1)} | load ${load()} |`);
      console.log(rows.at(-1));
    }
    const target = backend === "wasm" ? " (target >= 1.8x)" : "";
    rows.push(`| redis, ${backend}: 2 workers / 1 worker | ${(perMin[1]! / perMin[0]!).toFixed(2)}x${target} | |`);
    console.log(rows.at(-1));
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => once(w.child, "exit")));
  }
  await service2.close();
  await rm(c.dataDir, { recursive: true, force: true });
} finally {
  redis.kill("SIGTERM");
}

const md = `# Proving service benchmark

\`npx hardhat run scripts/bench-service.ts\` on ${new Date().toISOString().slice(0, 10)} (model ${MODEL}; ${cpus().length} cores,
${cpus()[0]?.model ?? "unknown CPU"}). Batches of ${BATCH} proofs, timed from the first submission to the last
result, after every prover has made ${WARM_PROOFS} proofs (the engine compiled and optimized). Embedded: the WASM \`nodejs\` build (single-threaded
per prover) in worker threads of the API process. Redis: the API in this process, each
\`zk worker\` process with one prover of the given backend (\`--backend\`): \`wasm\` is
single-threaded, \`wasm-threads\` and \`native\` use every core for each proof. The 1-minute
load average is given beside each figure (the bench itself keeps the cores busy).

| configuration | proofs/min or latency | machine load (1/5/15 min) |
| --- | --- | --- |
${rows.join("\n")}

Latency is the time to answer a submission (202 with the job id) on loopback; the
embedded figure is taken while both prover threads are busy in the same process.

A new process keeps a second core busy for about 40 s after its first proof while V8 optimizes
the engine's WASM in background threads (seen with \`top\`), hence the warm-up before timing.
`;
await writeFile(path.join(root, "bench", "service.md"), md);
console.log("wrote bench/service.md");
