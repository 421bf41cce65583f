import { EventEmitter, once } from "node:events";
import type { JobStore } from "../job-store.js";
import { isFinished, type JobRecord, type JobRequest } from "../job-types.js";
import type { ProofRunner } from "../proof-runner.js";
import type { JobQueue } from "./job-queue.js";

export interface EmbeddedQueueOptions {
  /** Jobs run at once (the prover pool's size). */
  concurrency: number;
  /** Called once per job when it ends (callbacks, metrics). */
  onFinished?: (job: JobRecord) => void;
}

/**
 * The single-process queue: jobs in SQLite, run through the prover pool. On start,
 * jobs left running by a stopped process are queued again; a result is stored only
 * while its job is running, so no job completes twice.
 */
export class EmbeddedQueue implements JobQueue {
  readonly kind = "embedded";
  readonly #running = new Map<string, Promise<void>>();
  readonly #ended = new EventEmitter();
  #closing = false;

  constructor(
    readonly store: JobStore,
    readonly runner: ProofRunner,
    readonly options: EmbeddedQueueOptions,
  ) {
    this.#ended.setMaxListeners(0);
  }

  /** Requeues interrupted jobs and starts working; returns how many were requeued. */
  start(): number {
    const requeued = this.store.requeueInterrupted();
    this.#pump();
    return requeued;
  }

  #pump(): void {
    while (!this.#closing && this.#running.size < this.options.concurrency) {
      const job = this.store.claimNext();
      if (job === undefined) return;
      this.#running.set(job.id, this.#run(job));
    }
  }

  async #run(job: JobRecord): Promise<void> {
    try {
      const result = await this.runner.run(job.request, (stage) => this.store.setStage(job.id, stage));
      this.store.succeed(job.id, result);
    } catch (e) {
      this.store.fail(job.id, (e as Error).message);
    }
    this.#running.delete(job.id);
    const ended = this.store.get(job.id);
    if (ended !== undefined) {
      this.options.onFinished?.(ended);
      this.#ended.emit(job.id, ended);
    }
    this.#pump();
  }

  async submit(request: JobRequest, idempotencyKey?: string): Promise<{ job: JobRecord; created: boolean }> {
    const out = this.store.insert(request, idempotencyKey);
    if (out.created) this.#pump();
    return { job: this.store.get(out.job.id) ?? out.job, created: out.created };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return this.store.get(id);
  }

  async recordAnswer(id: string, status: number): Promise<void> {
    this.store.recordAnswer(id, status);
  }

  async answerOf(id: string): Promise<number | undefined> {
    return this.store.answerOf(id);
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    if (this.store.cancel(id)) {
      const job = this.store.get(id)!;
      this.options.onFinished?.(job);
      this.#ended.emit(id, job);
    }
    return this.store.get(id);
  }

  async waitUntilFinished(id: string, timeoutMs: number): Promise<JobRecord | undefined> {
    const job = this.store.get(id);
    if (job === undefined || isFinished(job.status) || timeoutMs <= 0) return job;
    try {
      await once(this.#ended, id, { signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      // timed out: answer with the job as it is
    }
    return this.store.get(id);
  }

  async depth(): Promise<{ queued: number; running: number }> {
    return this.store.counts();
  }

  async expectedRunMs(model: string): Promise<number | undefined> {
    return this.store.meanRunMs(model);
  }

  async position(id: string): Promise<number | undefined> {
    return this.store.queuePosition(id);
  }

  /** Stops taking jobs and waits for the running ones (up to `drainMs`); the rest stay queued. */
  async close(drainMs = 120_000): Promise<void> {
    this.#closing = true;
    await Promise.race([Promise.allSettled(this.#running.values()), new Promise((r) => setTimeout(r, drainMs).unref())]);
  }
}
