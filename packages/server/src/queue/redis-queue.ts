import { createHash, randomUUID } from "node:crypto";
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { JobRecord, JobRequest, JobResult, JobStage, JobStatus } from "../job-types.js";
import type { JobQueue } from "./job-queue.js";
import { QUEUE_NAME, redisOptions } from "./redis-connection.js";

type ProofJob = Job<JobRequest, JobResult>;

const STATUS: Record<string, JobStatus> = {
  waiting: "queued",
  delayed: "queued",
  prioritized: "queued",
  "waiting-children": "queued",
  active: "running",
  completed: "succeeded",
  failed: "failed",
};

/** Attempts per job: a worker that dies mid-proof leaves it to another. */
export const JOB_ATTEMPTS = 3;

export function toRecord(job: ProofJob, state: string): JobRecord {
  const progress = job.progress as { stage?: JobStage; stages?: JobRecord["stages"] } | number | undefined;
  return {
    id: job.id!,
    request: job.data,
    status: STATUS[state] ?? "queued",
    stage: typeof progress === "object" ? progress.stage : undefined,
    stages: typeof progress === "object" ? progress.stages : undefined,
    createdAt: job.timestamp,
    startedAt: job.processedOn ?? undefined,
    finishedAt: state === "completed" || state === "failed" ? (job.finishedOn ?? undefined) : undefined,
    attempts: job.attemptsMade + (state === "active" ? 1 : 0),
    error: state === "failed" ? job.failedReason : undefined,
    result: state === "completed" ? job.returnvalue : undefined,
  };
}

export interface RedisQueueOptions {
  retentionSeconds: number;
  onFinished?: (job: JobRecord) => void;
  /** Connection trouble (BullMQ reconnects by itself; an unheard error would end the process). */
  log?: (line: string) => void;
}

/** The API's side of the BullMQ queue: submit, observe, cancel; `zk worker` processes run the jobs. */
export class RedisQueue implements JobQueue {
  readonly kind = "redis";
  readonly #queue: Queue<JobRequest, JobResult>;
  readonly #events: QueueEvents;
  readonly #runMs = new Map<string, number[]>();

  constructor(
    url: string,
    readonly redis: Redis,
    readonly options: RedisQueueOptions,
  ) {
    const connection = redisOptions(url);
    this.#queue = new Queue(QUEUE_NAME, { connection });
    this.#events = new QueueEvents(QUEUE_NAME, { connection });
    this.#events.on("completed", ({ jobId }) => void this.#ended(jobId));
    this.#events.on("failed", ({ jobId }) => void this.#ended(jobId));
    const log = options.log ?? (() => {});
    this.#queue.on("error", (e) => log(`queue: ${e.message}`));
    this.#events.on("error", (e) => log(`queue events: ${e.message}`));
  }

  async ready(): Promise<void> {
    await Promise.all([this.#queue.waitUntilReady(), this.#events.waitUntilReady()]);
  }

  async #ended(id: string): Promise<void> {
    const job = await this.get(id);
    if (job === undefined || (job.status !== "succeeded" && job.status !== "failed")) return;
    if (job.status === "succeeded" && job.startedAt !== undefined && job.finishedAt !== undefined) {
      const list = this.#runMs.get(job.request.model) ?? [];
      list.push(job.finishedAt - job.startedAt);
      this.#runMs.set(job.request.model, list.slice(-20));
    }
    this.options.onFinished?.(job);
  }

  #canceledKey(id: string): string {
    return `zk:canceled:${id}`;
  }

  async submit(request: JobRequest, idempotencyKey?: string): Promise<{ job: JobRecord; created: boolean }> {
    const jobId =
      idempotencyKey === undefined
        ? randomUUID()
        : "idem-" +
          createHash("sha256")
            .update(`${request.keyId ?? ""}\n${idempotencyKey}`)
            .digest("hex")
            .slice(0, 32);
    if (idempotencyKey !== undefined) {
      const existing = await this.get(jobId);
      if (existing !== undefined) return { job: existing, created: false };
    }
    const keep = { age: this.options.retentionSeconds };
    await this.#queue.add(request.model, request, {
      jobId,
      attempts: JOB_ATTEMPTS,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: keep,
      removeOnFail: keep,
    });
    return { job: (await this.get(jobId))!, created: true };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const job = (await Job.fromId(this.#queue, id)) as ProofJob | undefined;
    if (job === undefined) {
      const canceled = await this.redis.get(this.#canceledKey(id));
      return canceled === null ? undefined : (JSON.parse(canceled) as JobRecord);
    }
    return toRecord(job, await job.getState());
  }

  async recordAnswer(id: string, status: number): Promise<void> {
    await this.redis.set(`zk:answer:${id}`, String(status), "EX", this.options.retentionSeconds, "NX");
  }

  async answerOf(id: string): Promise<number | undefined> {
    const status = await this.redis.get(`zk:answer:${id}`);
    return status === null ? undefined : Number(status);
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    const job = (await Job.fromId(this.#queue, id)) as ProofJob | undefined;
    if (job === undefined) return this.get(id);
    const state = await job.getState();
    if (STATUS[state] !== "queued") return toRecord(job, state);
    const record: JobRecord = { ...toRecord(job, state), status: "canceled", finishedAt: Date.now() };
    try {
      await job.remove();
    } catch {
      return this.get(id); // a worker took it meanwhile
    }
    await this.redis.set(this.#canceledKey(id), JSON.stringify(record), "EX", this.options.retentionSeconds);
    this.options.onFinished?.(record);
    return record;
  }

  async waitUntilFinished(id: string, timeoutMs: number): Promise<JobRecord | undefined> {
    const job = (await Job.fromId(this.#queue, id)) as ProofJob | undefined;
    if (job === undefined) return this.get(id);
    if (timeoutMs > 0) await job.waitUntilFinished(this.#events, timeoutMs).catch(() => undefined);
    return this.get(id);
  }

  async depth(): Promise<{ queued: number; running: number }> {
    const c = await this.#queue.getJobCounts("waiting", "delayed", "prioritized", "active");
    return { queued: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), running: c.active ?? 0 };
  }

  async expectedRunMs(model: string): Promise<number | undefined> {
    const list = this.#runMs.get(model);
    return list === undefined || list.length === 0 ? undefined : list.reduce((a, b) => a + b, 0) / list.length;
  }

  async position(id: string): Promise<number | undefined> {
    // Ids only (not the jobs' data), oldest first: the order the workers take them in.
    const ids = await this.#queue.getRanges(["wait"], 0, 999, true);
    const i = ids.indexOf(id);
    return i < 0 ? undefined : i;
  }

  async close(): Promise<void> {
    await this.#events.close();
    await this.#queue.close();
  }
}
