import type { JobRecord, JobRequest } from "../job-types.js";

/**
 * Where jobs wait and how the API sees them: SQLite in one process (embedded) or
 * BullMQ on Redis (API and `zk worker` processes on any machines).
 */
export interface JobQueue {
  readonly kind: "embedded" | "redis";
  /** Queues a job; with an idempotency key, a repeated request returns the first job. */
  submit(request: JobRequest, idempotencyKey?: string): Promise<{ job: JobRecord; created: boolean }>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Records the HTTP status a job's first submission was answered with (the first record wins). */
  recordAnswer(id: string, status: number): Promise<void>;
  /** The status recorded for the job's first submission, if it has been answered. */
  answerOf(id: string): Promise<number | undefined>;
  /** Cancels a queued job; returns the job as it is afterwards (still running/finished if too late). */
  cancel(id: string): Promise<JobRecord | undefined>;
  /** Resolves when the job has finished or `timeoutMs` has passed, with the job as it is then. */
  waitUntilFinished(id: string, timeoutMs: number): Promise<JobRecord | undefined>;
  depth(): Promise<{ queued: number; running: number }>;
  /** Mean run time of the model's recent jobs (ms), if any ran. */
  expectedRunMs(model: string): Promise<number | undefined>;
  /** Jobs ahead of this one in the queue. */
  position(id: string): Promise<number | undefined>;
  close(): Promise<void>;
}
