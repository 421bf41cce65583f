/// <reference lib="webworker" />
/**
 * Proves in this browser with the engine's threaded web build (wasm-bindgen-rayon): the
 * engine's memory is shared with a pool of workers, which needs a cross-origin isolated page.
 */
import initEngine, { feltToBigEndian, feltToFloat, genWitness, initThreadPool, prove, verify } from "@ezkljs/engine/web/ezkl.js";
import type { ProveRequest, ProverMessage } from "./prover-protocol.js";

const post = (m: ProverMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);
const clamped = (b: Uint8Array | string) => {
  const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
  return new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
/** A pool that never starts (a missing glue fix, no isolation) must fail, not hang. */
const POOL_TIMEOUT_MS = 30_000;

let ready: Promise<{ initMs: number; threadPoolMs: number; threads: number }> | undefined;

async function start(threads: number) {
  const t0 = performance.now();
  await initEngine();
  const t1 = performance.now();
  if (threads > 1) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      initThreadPool(threads),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the engine's thread pool did not start in ${POOL_TIMEOUT_MS / 1000} s`)),
          POOL_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }
  return { initMs: t1 - t0, threadPoolMs: performance.now() - t1, threads };
}

self.addEventListener("message", (event: MessageEvent<ProveRequest>) => {
  void (async () => {
    const { files, inputJson, threads } = event.data;
    try {
      post({ kind: "stage", stage: "starting" });
      const first = ready === undefined;
      ready ??= start(threads);
      const boot = await ready;
      post({ kind: "stage", stage: "witness" });
      let t = performance.now();
      const witness = genWitness(clamped(files.compiled), clamped(inputJson));
      const witnessMs = performance.now() - t;
      post({ kind: "stage", stage: "proving" });
      t = performance.now();
      const proof = prove(clamped(witness), clamped(files.pk), clamped(files.compiled), clamped(files.srs));
      const proveMs = performance.now() - t;
      post({ kind: "stage", stage: "verifying" });
      t = performance.now();
      const verified = verify(clamped(proof), clamped(files.vk), clamped(files.settings), clamped(files.srs));
      const verifyMs = performance.now() - t;
      const proofJson = new TextDecoder().decode(proof);
      const settings = JSON.parse(new TextDecoder().decode(files.settings)) as { model_output_scales: number[] };
      const instances = (JSON.parse(proofJson) as { instances: string[][] }).instances[0]!;
      // The judge's outputs are [key, score]: the score is the last public instance.
      const score = feltToFloat(clamped(JSON.stringify(instances[instances.length - 1])), settings.model_output_scales.at(-1)!);
      post({
        kind: "done",
        proof: proofJson,
        instances: instances.map((felt) => feltToBigEndian(clamped(JSON.stringify(felt)))),
        verified,
        score,
        threads: boot.threads,
        timings: { initMs: first ? boot.initMs : 0, threadPoolMs: first ? boot.threadPoolMs : 0, witnessMs, proveMs, verifyMs },
      });
    } catch (e) {
      post({ kind: "error", message: (e as Error).message ?? String(e) });
    }
  })();
});
