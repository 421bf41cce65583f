import { assertBackendAvailable, resolvePoolOptions, type ProverPoolOptions, type ResolvedPoolOptions } from "./backends.js";
import type { ModelFiles } from "./model-files.js";
import { NativeWorker, ThreadWorker, type PoolWorker, type ProveOutput } from "./pool-worker.js";
import { preparedWebEngine } from "./web-engine.js";

/** The steps of one proof in a worker. */
export type ProveStage = "witness" | "proving";

export type { ProveOutput } from "./pool-worker.js";
export type { ProverBackend, ProverPoolOptions } from "./backends.js";

/** What a pool reports about one of its workers (tests kill workers through it). */
export interface PoolWorkerInfo {
  backend: string;
  /** Thread id ("wasm", "wasm-threads") or process id ("native"). */
  id: number;
  busy: number;
  proofs: number;
  kill(): void;
}

/**
 * Prover workers of one backend, so proving never blocks the event loop and several
 * proofs run at once. Each worker receives a model's artifacts once, on its first job
 * for that model. A worker that dies fails its jobs at once and is replaced on the
 * next job; with `recycleAfter`, a worker is replaced after that many proofs.
 *
 *   const pool = new ProverPool({ backend: "wasm-threads", threads: 2 });
 *   const prover = await ModelProver.open(root, artifactsDir, model, pool);
 *   ...
 *   await pool.close();
 */
export class ProverPool {
  readonly options: ResolvedPoolOptions;
  #workers: PoolWorker[] = [];
  readonly #starting = new Set<Promise<PoolWorker>>();
  #webDir: Promise<string> | undefined;
  /** Workers replaced so far (died or recycled). */
  replaced = 0;

  /** `new ProverPool(2)` is two "wasm" workers. Throws ZkError if the backend cannot run here. */
  constructor(options: ProverPoolOptions | number = {}) {
    this.options = resolvePoolOptions(typeof options === "number" ? { workers: options } : options);
    assertBackendAvailable(this.options);
  }

  get size(): number {
    return this.options.workers;
  }

  get backend(): string {
    return this.options.backend;
  }

  get workers(): PoolWorkerInfo[] {
    return this.#workers.map((w) => ({ backend: w.backend, id: w.id, busy: w.busy, proofs: w.proofs, kill: () => w.kill() }));
  }

  async #spawn(): Promise<PoolWorker> {
    if (this.options.backend === "native") return NativeWorker.start(this.options);
    if (this.options.backend === "wasm-threads") {
      this.#webDir ??= preparedWebEngine();
      this.#webDir.catch(() => (this.#webDir = undefined));
      return new ThreadWorker(this.options, await this.#webDir);
    }
    return new ThreadWorker(this.options, undefined);
  }

  /** A worker for one more job: a new one while below size and all are busy, else the least busy. */
  async #acquire(): Promise<PoolWorker> {
    for (const w of this.#workers.filter((x) => x.dead !== undefined)) this.#drop(w, true);
    const live = this.#workers.filter((w) => !w.retiring);
    let w: PoolWorker;
    if (live.length + this.#starting.size < this.size && live.every((x) => x.busy > 0)) w = await this.#start();
    // Nothing to share yet: wait for a worker being started (or start one if none is).
    else if (live.length === 0) w = await (this.#starting.values().next().value ?? this.#start());
    else w = live.reduce((a, b) => (b.busy < a.busy ? b : a));
    w.addBusy(1);
    return w;
  }

  #start(): Promise<PoolWorker> {
    const starting = this.#spawn().then((w) => {
      this.#workers.push(w);
      return w;
    });
    this.#starting.add(starting);
    const done = () => this.#starting.delete(starting);
    starting.then(done, done);
    return starting;
  }

  #drop(w: PoolWorker, replaced: boolean): void {
    const i = this.#workers.indexOf(w);
    if (i < 0) return;
    this.#workers.splice(i, 1);
    if (replaced) this.replaced++;
    void w.close();
  }

  #release(w: PoolWorker, proved: boolean): void {
    if (proved) w.proofs++;
    w.addBusy(-1);
    if (w.dead !== undefined) {
      this.#drop(w, true);
      return;
    }
    if (this.options.recycleAfter !== undefined && w.proofs >= this.options.recycleAfter) w.retiring = true;
    if (w.retiring && w.busy === 0) this.#drop(w, true);
  }

  /**
   * Witness, then proof, for one input (ezkl input JSON text) on a free worker.
   * `checkWitness` runs between the two and may throw to stop a doomed proof;
   * `onStage` hears when the worker starts each (after waiting for a free worker).
   */
  async prove(
    files: ModelFiles,
    key: string,
    inputJson: string,
    checkWitness?: (witness: Uint8Array) => void,
    onStage?: (stage: ProveStage) => void,
  ): Promise<ProveOutput> {
    const w = await this.#acquire();
    let proved = false;
    try {
      if (!w.loaded.has(key)) {
        await w.load(key, files);
        w.loaded.add(key);
      }
      onStage?.("witness");
      const witness = await w.witness(key, inputJson);
      checkWitness?.(witness);
      onStage?.("proving");
      const out = await w.prove(key, witness);
      proved = true;
      return out;
    } finally {
      this.#release(w, proved);
    }
  }

  async close(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((w) => w.close()));
  }
}
