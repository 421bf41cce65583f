/**
 * The page's benchmark (bench/web.md), in Debian's Chromium against the real server:
 * - stop recording -> score on screen (voiceJudgeSmall; target <= 5 s), with where the time goes;
 * - the in-browser proof (the engine's threaded web build, all cores) against Node's
 *   `wasm-threads` backend on the same circuit, inputs and threads;
 * - page weight: bytes of HTML, JS, CSS and WASM on first load, and once the engine is loaded.
 * Prints figures; asserts nothing.
 *
 *   npx hardhat run scripts/bench-web.ts        (BENCH_OUT=bench/web.md to save; BENCH_RUNS=3)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import type { Page, Response } from "playwright-core";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { startService } from "@hardhat-zkml/server/service.js";
import { buildPage, launchChromium, openPage, voiceMicWav } from "../test/helpers/browser.js";
import { buildModel } from "../test/helpers/fixtures.js";
import { ALICE, removeDir, testServiceConfig } from "../test/helpers/service.js";

const MODEL = "voiceJudgeSmall";
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = hre.config.paths.root;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const s = (ms: number) => (ms / 1000).toFixed(2);

interface PageMarks {
  stoppedAt: number;
  analysedAt: number;
  sentAt: number;
  scoreShownAt: number;
  job: { createdAt: string; finishedAt: string; stages: Record<string, string> };
  analysis: { features: { input: number[] } };
  deviceProof?: {
    threads: number;
    timings: { initMs: number; threadPoolMs: number; witnessMs: number; proveMs: number; verifyMs: number };
  };
}
const marks = (page: Page) => page.evaluate("window.zkPage") as Promise<PageMarks>;

/** Bytes of every response the page loads, by kind, while `during` runs. */
async function weigh(page: Page, during: () => Promise<void>): Promise<Record<string, number>> {
  const sizes: Promise<[string, number]>[] = [];
  const onResponse = (r: Response) => {
    const url = new URL(r.url());
    const kind = url.pathname.includes("/artifacts/")
      ? "model files"
      : url.pathname.endsWith(".wasm")
        ? "WASM"
        : url.pathname.endsWith(".js")
          ? "JS"
          : url.pathname.endsWith(".css")
            ? "CSS"
            : url.pathname === "/" || url.pathname.endsWith(".html")
              ? "HTML"
              : "API";
    sizes.push(
      r.body().then(
        (b) => [kind, b.length] as [string, number],
        () => [kind, 0] as [string, number],
      ),
    );
  };
  page.on("response", onResponse);
  await during();
  page.off("response", onResponse);
  const out: Record<string, number> = {};
  for (const [kind, n] of await Promise.all(sizes)) out[kind] = (out[kind] ?? 0) + n;
  return out;
}

await buildModel(MODEL);
await buildPage();
/** The server's prover backends to time stop -> score with (the last one also serves the weight and in-browser proof runs). */
const backends = (process.env.BENCH_BACKENDS ?? "native,wasm").split(",");
const micDir = await mkdtemp(path.join(tmpdir(), "bench-web-"));
const browser = await launchChromium(await voiceMicWav(micDir));
const loadBefore = load();
const startedAt = new Date().toISOString();

async function serve(backend: string) {
  const env = { ZK_BACKEND: backend, ZK_PAGE_SESSIONS_PER_HOUR: "1000", ZK_PAGE_SESSION_PROOFS: "100" };
  const config = await testServiceConfig([MODEL], env, { concurrency: 1 });
  const service = await startService(config, { extractFeatures });
  return { service, close: async () => (await service.close(), await removeDir(config.dataDir)) };
}

// 1. Stop recording -> score on screen, each run in a fresh page (its own page session).
interface Judged {
  backend: string;
  total: number;
  analyse: number;
  upload: number;
  queued: number;
  server: number;
  after: number;
}
const judged: Judged[] = [];
let server = await serve(backends[0]!);
for (const [b, backend] of backends.entries()) {
  if (b > 0) {
    await server.close();
    server = await serve(backend);
  }
  for (let i = 0; i < RUNS; i++) {
    const { page } = await openPage(browser, `${server.service.url}/`);
    await page.waitForSelector("#server-status:not(:empty)");
    await page.fill("#address", ALICE);
    await page.click("#record");
    await page.waitForTimeout(4000);
    await page.click("#stop");
    await page.waitForFunction("window.zkPage.scoreShownAt !== undefined || !!document.querySelector('.error:not([hidden])')", null, {
      timeout: 300_000,
    });
    const m = await marks(page);
    if (m.scoreShownAt === undefined) throw new Error(`${backend} run ${i + 1}: ${await page.textContent(".error:not([hidden])")}`);
    const created = Date.parse(m.job.createdAt);
    const started = Date.parse(m.job.stages.features ?? m.job.createdAt);
    judged.push({
      backend,
      total: m.scoreShownAt - m.stoppedAt,
      analyse: m.analysedAt - m.stoppedAt,
      upload: m.sentAt - m.analysedAt,
      queued: started - created,
      server: Date.parse(m.job.finishedAt) - started,
      after: m.scoreShownAt - m.sentAt - (Date.parse(m.job.finishedAt) - created),
    });
    console.log(`stop -> score, ${backend}, run ${i + 1}: ${s(judged.at(-1)!.total)} s`);
    await page.context().close();
  }
}
const service = server.service;

// 2. Page weight, and the in-browser proof (the first one starts the engine).
const { page } = await openPage(browser, "about:blank");
const firstLoad = await weigh(page, async () => {
  await page.goto(`${service.url}/`);
  await page.waitForSelector("#server-status:not(:empty)");
  await page.waitForLoadState("networkidle");
});
await page.uncheck("#auto-judge");
await page.fill("#address", ALICE);
const audioLoad = await weigh(page, async () => {
  await page.setInputFiles("#file", path.join(root, "test", "fixtures", "audio", "speech-22050-s16.wav"));
  await page.waitForSelector("#gate.ok");
});
const deviceRuns: PageMarks["deviceProof"][] = [];
const proveInPage = async () => {
  await page.evaluate("window.zkPage.deviceProof = undefined");
  await page.click("#prove-here");
  await page.waitForFunction("window.zkPage.deviceProof !== undefined || !document.querySelector('#device-error').hidden", null, {
    timeout: 600_000,
  });
  const proof = (await marks(page)).deviceProof;
  if (proof === undefined) throw new Error(`in-browser proof: ${await page.textContent("#device-error")}`);
  deviceRuns.push(proof);
  console.log(`in-browser proof: ${s(proof.timings.proveMs)} s (${proof.threads} threads)`);
};
const engineLoad = await weigh(page, proveInPage);
for (let i = 1; i < RUNS; i++) await proveInPage();
const pageFeatures = (await marks(page)).analysis.features.input;
await browser.close();
await server.close();
await rm(micDir, { recursive: true, force: true });

// 3. Node's wasm-threads backend on the same circuit and input, as many threads as the page had.
const threads = deviceRuns[0]!.threads;
const pool = new ProverPool({ backend: "wasm-threads", workers: 1, threads, root });
const prover = await ModelProver.open(root, hre.config.zk.artifactsDir, hre.config.zk.models[MODEL]!, pool);
await prover.prove([pageFeatures], ALICE); // starts the worker and its thread pool
const nodeRuns: number[] = [];
for (let i = 0; i < RUNS; i++) {
  nodeRuns.push((await prover.prove([pageFeatures], ALICE)).proveMs!);
  console.log(`node wasm-threads proof: ${s(nodeRuns.at(-1)!)} s`);
}
await pool.close();

const browserProve = deviceRuns.map((d) => d!.timings.proveMs);
const kinds = ["HTML", "JS", "CSS", "WASM", "model files"];
const total = (w: Record<string, number>) => kinds.reduce((a, k) => a + (w[k] ?? 0), 0);
const kb = (n: number | undefined) => ((n ?? 0) / 1024).toFixed(1);
const sum = (...ws: Record<string, number>[]) => Object.fromEntries(kinds.map((k) => [k, ws.reduce((a, w) => a + (w[k] ?? 0), 0)]));
const withAudio = sum(firstLoad, audioLoad);
const withEngine = sum(firstLoad, audioLoad, engineLoad);
const row = (name: string, w: Record<string, number>) => `| ${name} | ${kinds.map((k) => kb(w[k])).join(" | ")} | ${kb(total(w))} |`;
const md = `# The singer's page: timing and weight

\`npx hardhat run scripts/bench-web.ts\` (BENCH_RUNS=${RUNS}), ${startedAt}: Debian Chromium (headless, fake microphone playing
the speech fixture) against the real server (\`startService\`, embedded queue, concurrency 1; prover backends ${backends.join(", ")}), model
${MODEL}, ${cpus()[0]?.model ?? "cpu"} x ${availableParallelism()}. The machine is shared: load average ${loadBefore} before,
${load()} after; the figures move with it.

## Stop recording -> score on screen (target <= 5 s)

Each run in a fresh page: record 4 s, stop; the page decodes and gates the recording, uploads it (drawing the spectrogram meanwhile),
follows the job's events and shows the score.

| server backend | run | stop -> score (s) | in the page: decode and gate (s) | upload (s) | queued (s) | server: features, witness, proof, check (s) | events -> score (s) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${judged.map((j, i) => `| ${j.backend} | ${(i % RUNS) + 1} | ${s(j.total)} | ${s(j.analyse)} | ${s(j.upload)} | ${s(j.queued)} | ${s(j.server)} | ${s(Math.max(0, j.after))} |`).join("\n")}

${backends
  .map((b) => {
    const totals = judged.filter((j) => j.backend === b).map((j) => j.total);
    const warm = totals.slice(1);
    return `- server backend \`${b}\`: warm runs (2 to ${RUNS}) mean ${s(mean(warm))} s, target ${mean(warm) <= 5000 ? "met" : "not met"}; with the first run ${s(mean(totals))} s.`;
  })
  .join("\n")}

The first run of each backend includes the server's first proof of the model (its worker loads the keys).

## Proving: in the browser vs Node's \`wasm-threads\`

The same circuit, the same features (the page's, of the speech fixture) and bound address, ${threads} threads on both sides.
The first in-browser proof also starts the engine (${s(deviceRuns[0]!.timings.initMs)} s) and its thread pool
(${s(deviceRuns[0]!.timings.threadPoolMs)} s); Node's is warmed by one proof first.

| | proofs (s) | mean (s) |
| --- | --- | --- |
| Chromium, engine web build, ${threads} threads | ${browserProve.map(s).join(", ")} | ${s(mean(browserProve))} |
| Node, \`wasm-threads\`, ${threads} threads | ${nodeRuns.map(s).join(", ")} | ${s(mean(nodeRuns))} |

Every in-browser proof verified in the engine in the page (witness ${s(mean(deviceRuns.map((d) => d!.timings.witnessMs)))} s, check ${s(
  mean(deviceRuns.map((d) => d!.timings.verifyMs)),
)} s on average).

## Page weight (bytes as served, uncompressed)

| | HTML (KiB) | JS (KiB) | CSS (KiB) | WASM (KiB) | model files (KiB) | total (KiB) |
| --- | --- | --- | --- | --- | --- | --- |
${row("first load", firstLoad)}
${row("after the first recording (the audio package)", withAudio)}
${row("with the engine (after a proof on this device)", withEngine)}

The first load is the page and its API client (mostly ethers, for addresses, amounts and the wallet claim). The audio
package's decoders and resampler (their WASM inlined in JS by their packages) load when a recording starts or a file is
chosen; the engine (its WASM, the prover worker and the thread helper) and the model's files only when "Prove on this
device" is used. The server sends them uncompressed; gzipped (Vite's build report) the page's own JS is about 37% of
its size, the audio chunk about 72% (its WASM is base64 text) and the engine's WASM 2.2 MB.
`;
console.log(md);
if (process.env.BENCH_OUT) await writeFile(path.join(root, process.env.BENCH_OUT), md);
process.exit(0);
