// Worker thread for proofs: one @ezkljs/engine instance per worker (the nodejs build
// is single-threaded), model artifacts kept after the first job for that model.
// Plain JS so it runs in a worker without the TypeScript loader.
import { createRequire } from "node:module";
import { parentPort } from "node:worker_threads";

const require = createRequire(import.meta.url);
const engine = require("@ezkljs/engine/nodejs/ezkl.js");
const models = new Map();
const clamp = (b) => new Uint8ClampedArray(b.buffer, b.byteOffset, b.byteLength);

parentPort.on("message", (msg) => {
  try {
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
