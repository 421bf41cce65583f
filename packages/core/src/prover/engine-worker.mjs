// Worker thread for proofs: one @ezkljs/engine instance per worker, model artifacts
// kept after the first job for that model. Backend "wasm" is the single-threaded
// nodejs build; "wasm-threads" is the patched web build (see web-engine.ts) with a
// wasm-bindgen-rayon pool of `threads` threads, which end with this worker.
// Plain JS so it runs in a worker without the TypeScript loader.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";

const { backend, webDir, threads, initTimeoutMs } = workerData;

async function loadEngine() {
  if (backend === "wasm") return createRequire(import.meta.url)("@ezkljs/engine/nodejs/ezkl.js");
  const engine = await import(pathToFileURL(path.join(webDir, "ezkl.js")).href);
  const module = await WebAssembly.compile(await readFile(path.join(webDir, "ezkl_bg.wasm")));
  // No memory passed: the glue creates the shared one (maximum 65536 pages = 4 GiB).
  await engine.default(module);
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`initThreadPool(${threads}) did not finish in ${initTimeoutMs} ms`)), initTimeoutMs);
  });
  try {
    await Promise.race([engine.initThreadPool(threads), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return engine;
}

const ready = loadEngine();
const models = new Map();
const clamp = (b) => new Uint8ClampedArray(b.buffer, b.byteOffset, b.byteLength);

// Readiness is reported once, so the pool can fail fast on a broken thread pool.
ready.then(
  () => parentPort.postMessage({ ready: true }),
  (e) => parentPort.postMessage({ ready: false, error: e instanceof Error ? e.message : String(e) }),
);

parentPort.on("message", async (msg) => {
  try {
    const engine = await ready;
    if (msg.type === "load") {
      models.set(msg.key, msg.files);
      parentPort.postMessage({ id: msg.id, ok: true });
      return;
    }
    const files = models.get(msg.key);
    if (files === undefined) throw new Error(`model ${msg.key} not loaded in worker`);
    if (msg.type === "witness") {
      const witness = engine.genWitness(clamp(files.compiled), clamp(new TextEncoder().encode(msg.input)));
      parentPort.postMessage({ id: msg.id, ok: true, witness }, [witness.buffer]);
      return;
    }
    if (msg.type === "prove") {
      const started = performance.now();
      const witness = msg.witness;
      // The engine takes the proving key as bytes and deserializes it on every call.
      const proof = engine.prove(clamp(witness), clamp(files.pk), clamp(files.compiled), clamp(files.srs));
      const ms = performance.now() - started;
      parentPort.postMessage({ id: msg.id, ok: true, witness, proof, ms }, [proof.buffer]);
      return;
    }
    throw new Error(`unknown job ${msg.type}`);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
