import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ModelFiles } from "./model-files.js";

interface Job {
  id: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface ProveOutput {
  witness: Uint8Array;
  proof: Uint8Array;
  /** Time the worker spent in witness + proof, in milliseconds. */
  ms: number;
}

class PoolWorker {
  readonly worker: Worker;
  readonly loaded = new Set<string>();
  #busy = 0;
  readonly pending = new Map<number, Job>();

  constructor() {
    this.worker = new Worker(new URL("./engine-worker.mjs", import.meta.url));
    // An idle worker must not keep the process alive; a busy one must.
    this.worker.unref();
    this.worker.on("message", (msg: { id: number; ok: boolean; error?: string } & ProveOutput) => {
      const job = this.pending.get(msg.id);
      if (job === undefined) return;
      this.pending.delete(msg.id);
      this.busy--;
      if (msg.ok) job.resolve(msg);
      else job.reject(new Error(msg.error));
    });
    this.worker.on("error", (e) => {
      for (const job of this.pending.values()) job.reject(e);
      this.pending.clear();
      this.busy = 0;
    });
  }

  get busy(): number {
    return this.#busy;
  }

  set busy(n: number) {
    if (this.#busy === 0 && n > 0) this.worker.ref();
    if (this.#busy > 0 && n === 0) this.worker.unref();
    this.#busy = n;
  }
}

/**
 * Worker threads that run the WASM prover, so proving never blocks the event loop and
 * several proofs run at once (one per core by default). Each worker receives a
 * model's artifacts once, on its first job for that model.
 */
export class ProverPool {
  readonly size: number;
  #workers: PoolWorker[] = [];
  #nextId = 0;

  constructor(size: number = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  #pick(): PoolWorker {
    if (this.#workers.length < this.size && this.#workers.every((w) => w.busy > 0)) {
      this.#workers.push(new PoolWorker());
    }
    if (this.#workers.length === 0) this.#workers.push(new PoolWorker());
    return this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  #send<T>(w: PoolWorker, msg: object): Promise<T> {
    const id = this.#nextId++;
    w.busy++;
    return new Promise<T>((resolve, reject) => {
      w.pending.set(id, { id, resolve: resolve as (v: unknown) => void, reject });
      w.worker.postMessage({ ...msg, id });
    });
  }

  /**
   * Witness, then proof, for one input (ezkl input JSON text) on a free worker.
   * `checkWitness` runs between the two and may throw to stop a doomed proof.
   */
  async prove(files: ModelFiles, key: string, inputJson: string, checkWitness?: (witness: Uint8Array) => void): Promise<ProveOutput> {
    const w = this.#pick();
    if (!w.loaded.has(key)) {
      w.loaded.add(key);
      const { compiled, pk, srs } = files;
      await this.#send(w, { type: "load", key, files: { compiled, pk, srs } });
    }
    const { witness } = await this.#send<{ witness: Uint8Array }>(w, { type: "witness", key, input: inputJson });
    checkWitness?.(witness);
    return this.#send<ProveOutput>(w, { type: "prove", key, witness });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
    this.#workers = [];
  }
}
