import { Queue, UnrecoverableError, Worker } from "bullmq";
import { CallbackRefused } from "../callback-targets.js";
import { callbackPayload, DEFAULT_CALLBACK_POLICY, postOnce, type CallbackPolicy } from "../callbacks.js";
import type { JobRecord } from "../job-types.js";
import { redisOptions } from "./redis-connection.js";

/** Callbacks owed, as BullMQ jobs: a worker that dies between retries leaves them to the others. */
export const CALLBACK_QUEUE = "zk-callbacks";

interface CallbackJob {
  url: string;
  body: string;
}

export interface RedisCallbacks {
  /** Queues the finished job's callback, once per job id. */
  notify(job: JobRecord): void;
  close(): Promise<void>;
}

/**
 * Delivery of callbacks through Redis: each is a job on CALLBACK_QUEUE, retried by
 * BullMQ with exponential backoff (the policy's attempts and first delay), delivered by
 * whichever `zk worker` is up.
 */
export function startRedisCallbacks(
  url: string,
  secret: string | undefined,
  log: (line: string) => void,
  policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
  /** As for proof jobs (ZK_LOCK_DURATION_MS): how soon a dead worker's callback is taken over. */
  lockDurationMs = 30_000,
): RedisCallbacks {
  const connection = redisOptions(url);
  const queue = new Queue<CallbackJob>(CALLBACK_QUEUE, { connection });
  const worker =
    secret === undefined
      ? undefined
      : new Worker<CallbackJob>(
          CALLBACK_QUEUE,
          async (job) => {
            const error = await postOnce(job.data.url, job.data.body, secret, job.attemptsMade + 1, policy).catch((e: Error) => {
              // A refused target stays refused: no retries.
              throw e instanceof CallbackRefused ? new UnrecoverableError(e.message) : e;
            });
            if (error !== "") throw new Error(error);
          },
          {
            connection,
            concurrency: 4,
            lockDuration: lockDurationMs,
            stalledInterval: Math.max(1000, Math.round(lockDurationMs / 2)),
            maxStalledCount: policy.attempts - 1,
          },
        );
  worker?.on("failed", (job, err) => {
    if (job !== undefined && (job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === "UnrecoverableError"))
      log(`callback for job ${job.id?.replace(/^cb-/, "")} to ${job.data.url} failed after ${job.attemptsMade} attempts (${err.message})`);
  });
  worker?.on("error", (e) => log(`callback worker error: ${e.message}`));
  queue.on("error", (e) => log(`callback queue: ${e.message}`));
  return {
    notify(job) {
      const target = job.request.callbackUrl;
      if (target === undefined || secret === undefined) return;
      queue
        .add(
          "callback",
          { url: target, body: JSON.stringify(callbackPayload(job)) },
          {
            jobId: `cb-${job.id}`,
            attempts: policy.attempts,
            backoff: { type: "exponential", delay: policy.baseDelayMs },
            removeOnComplete: true,
            removeOnFail: { age: 86_400 },
          },
        )
        .catch((e: Error) => log(`job ${job.id}: cannot queue its callback (${e.message})`));
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
