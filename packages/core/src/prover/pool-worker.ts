import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import { ezklProcess } from "../ezkl/python.js";
import type { ProverBackend, ResolvedPoolOptions } from "./backends.js";
import type { ModelFiles } from "./model-files.js";

export interface ProveOutput {
  witness: Uint8Array;
  proof: Uint8Array;
  /** Time spent proving (witness excluded), in milliseconds. */
  ms: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * One prover worker of a pool: a thread ("wasm", "wasm-threads") or a Python process
 * ("native"). If it dies with jobs in flight, every one of them fails at once with
 * the reason, and `dead` is set so the pool replaces it.
 */
export abstract class PoolWorker {
  /** Jobs (whole proofs) assigned and not finished. */
  busy = 0;
  /** Proofs completed. */
  proofs = 0;
  /** Set when the pool will not give it new jobs (recycling). */
  retiring = false;
  dead: Error | undefined;
  readonly loaded = new Set<string>();
  protected readonly pending = new Map<number, Pending>();
  #nextId = 0;
  #closing = false;

  constructor(readonly backend: ProverBackend) {}

  /** Thread id or process id, for logs and tests. */
  abstract get id(): number;
  abstract load(key: string, files: ModelFiles): Promise<void>;
  abstract witness(key: string, inputJson: string): Promise<Uint8Array>;
  abstract prove(key: string, witness: Uint8Array): Promise<ProveOutput>;
  /** Ends the worker abruptly, as a crash or the OOM killer would (tests use it). */
  abstract kill(): void;
  protected abstract stop(): Promise<void>;
  protected abstract setRef(ref: boolean): void;

  /** Marks the worker busy with one more (or one fewer) job; only a busy worker keeps the process alive. */
  addBusy(delta: 1 | -1): void {
    const before = this.busy;
    this.busy += delta;
    if (before === 0 && this.busy > 0) this.setRef(true);
    if (before > 0 && this.busy === 0) this.setRef(false);
  }

  protected request<T>(send: (id: number) => void): Promise<T> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send(id);
    });
  }

  protected settle(id: number, ok: boolean, value: unknown, error?: string): void {
    const job = this.pending.get(id);
    if (job === undefined) return;
    this.pending.delete(id);
    if (ok) job.resolve(value);
    else job.reject(new Error(error));
  }

  /** The worker died: fail everything in flight (unless the pool itself stopped it). */
  protected died(reason: string): void {
    if (this.#closing || this.dead !== undefined) return;
    this.dead = new Error(
      `prover worker (backend ${this.backend}, ${this.kind} ${this.id}) ${reason}; the pool starts a new one for the next job`,
    );
    for (const job of this.pending.values()) job.reject(this.dead);
    this.pending.clear();
  }

  protected get kind(): string {
    return this.backend === "native" ? "pid" : "thread";
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const job of this.pending.values()) job.reject(new Error("the prover pool was closed"));
    this.pending.clear();
    await this.stop();
  }
}

type WorkerReply = { id: number; ok: boolean; error?: string } & Partial<ProveOutput> & { ready?: boolean };

/** A worker thread running the engine (engine-worker.mjs). */
export class ThreadWorker extends PoolWorker {
  readonly #worker: Worker;
  readonly #ready: Promise<void>;

  constructor(options: ResolvedPoolOptions, webDir: string | undefined) {
    super(options.backend);
    this.#worker = new Worker(new URL("./engine-worker.mjs", import.meta.url), {
      workerData: { backend: options.backend, webDir, threads: options.threads, initTimeoutMs: options.initTimeoutMs },
    });
    this.#worker.unref();
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.on("message", (msg: WorkerReply) => {
        if (msg.ready === true) return resolve();
        if (msg.ready === false) {
          reject(new Error(`backend ${options.backend} could not start its engine: ${msg.error}`));
          return;
        }
        this.settle(msg.id, msg.ok, msg, msg.error);
      });
      this.#worker.on("error", (e) => {
        this.died(`crashed (${e.message})`);
        reject(this.dead ?? e);
      });
      this.#worker.on("exit", (code) => {
        this.died(`exited with code ${code} while proving`);
        reject(this.dead ?? new Error("worker exited"));
      });
    });
    this.#ready.catch(() => {});
  }

  get id(): number {
    return this.#worker.threadId;
  }

  async #send<T>(msg: object, transfer: ArrayBuffer[] = []): Promise<T> {
    await this.#ready;
    return this.request<T>((id) => this.#worker.postMessage({ ...msg, id }, transfer));
  }

  async load(key: string, files: ModelFiles): Promise<void> {
    const { compiled, pk, srs } = files;
    await this.#send({ type: "load", key, files: { compiled, pk, srs } });
  }

  async witness(key: string, inputJson: string): Promise<Uint8Array> {
    return (await this.#send<{ witness: Uint8Array }>({ type: "witness", key, input: inputJson })).witness;
  }

  prove(key: string, witness: Uint8Array): Promise<ProveOutput> {
    return this.#send<ProveOutput>({ type: "prove", key, witness });
  }

  kill(): void {
    void this.#worker.terminate();
  }

  protected async stop(): Promise<void> {
    await this.#worker.terminate();
  }

  protected setRef(ref: boolean): void {
    if (ref) this.#worker.ref();
    else this.#worker.unref();
  }
}

/** A long-lived `python bridge.py serve` process: jobs on stdin, replies on fd 3. */
export class NativeWorker extends PoolWorker {
  readonly #child: ChildProcess;
  readonly #dir: Promise<string>;
  readonly #paths = new Map<string, NonNullable<ModelFiles["paths"]>>();
  #stderrTail = "";

  private constructor(child: ChildProcess) {
    super("native");
    this.#child = child;
    this.#dir = mkdtemp(path.join(tmpdir(), "zk-native-prover-"));
    const replies = createInterface({ input: child.stdio[3] as Readable });
    replies.on("line", (line) => {
      const msg = JSON.parse(line) as { id: number; ok: boolean; result?: unknown; error?: string };
      this.settle(msg.id, msg.ok, msg.result, msg.error);
    });
    child.stderr!.on("data", (c: Buffer) => (this.#stderrTail = (this.#stderrTail + c.toString()).slice(-2000)));
    child.on("error", (e) => this.died(`could not run (${e.message})`));
    // Writing to a process that just died fails with EPIPE; its exit event reports why.
    child.stdin!.on("error", () => {});
    child.on("exit", (code, signal) => {
      const last = this.#stderrTail.trim().split("\n").pop();
      this.died(
        signal !== null ? `was killed by ${signal} while proving` : `exited with code ${code} while proving${last ? ` (${last})` : ""}`,
      );
      void this.#dir.then((d) => rm(d, { recursive: true, force: true }));
    });
    this.setRef(false);
  }

  static async start(options: ResolvedPoolOptions): Promise<NativeWorker> {
    const { python, bridge, env } = await ezklProcess(
      options.root,
      undefined,
      "run `npx hardhat zk install-python`, or use --backend wasm-threads",
    );
    const child = spawn(python, [bridge, "serve"], { cwd: options.root, env, stdio: ["pipe", "ignore", "pipe", "pipe"] });
    return new NativeWorker(child);
  }

  get id(): number {
    return this.#child.pid ?? -1;
  }

  #call<T>(op: string, args: object): Promise<T> {
    return this.request<T>((id) => (this.#child.stdin as Writable).write(JSON.stringify({ id, op, args }) + "\n"));
  }

  async load(key: string, files: ModelFiles): Promise<void> {
    if (files.paths === undefined) throw new Error(`backend native needs the artifact paths of model ${files.model}`);
    this.#paths.set(key, files.paths);
  }

  #files(key: string): NonNullable<ModelFiles["paths"]> {
    const p = this.#paths.get(key);
    if (p === undefined) throw new Error(`model ${key} not loaded in worker`);
    return p;
  }

  async witness(key: string, inputJson: string): Promise<Uint8Array> {
    const p = this.#files(key);
    const dir = await this.#dir;
    const stem = path.join(dir, `w${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await writeFile(`${stem}.input.json`, inputJson);
    try {
      await this.#call("gen_witness", { data: `${stem}.input.json`, compiled: p.compiled, witness: `${stem}.witness.json` });
      return await readFile(`${stem}.witness.json`);
    } finally {
      await rm(`${stem}.input.json`, { force: true });
      await rm(`${stem}.witness.json`, { force: true });
    }
  }

  async prove(key: string, witness: Uint8Array): Promise<ProveOutput> {
    const p = this.#files(key);
    const dir = await this.#dir;
    const stem = path.join(dir, `p${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const started = performance.now();
    await writeFile(`${stem}.witness.json`, witness);
    try {
      // ezkl.prove reads the proving key from its file on every call (no in-memory key API).
      await this.#call("prove", {
        witness: `${stem}.witness.json`,
        compiled: p.compiled,
        pk: p.pk,
        proof: `${stem}.proof.json`,
        srs: p.srs,
      });
      const proof = await readFile(`${stem}.proof.json`);
      // The whole round trip (files, pipe, ezkl.prove), so overhead over ezkl's own prove shows.
      return { witness, proof, ms: performance.now() - started };
    } finally {
      await rm(`${stem}.witness.json`, { force: true });
      await rm(`${stem}.proof.json`, { force: true });
    }
  }

  kill(): void {
    this.#child.kill("SIGKILL");
  }

  protected async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    (this.#child.stdin as Writable).end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  protected setRef(ref: boolean): void {
    const handles = [this.#child, this.#child.stdin, this.#child.stderr, this.#child.stdio[3]] as ({ ref(): void; unref(): void } | null)[];
    for (const h of handles) {
      if (h === null || typeof h.unref !== "function") continue;
      if (ref) h.ref();
      else h.unref();
    }
  }
}
