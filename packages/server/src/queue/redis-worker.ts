import { UnrecoverableError, Worker } from "bullmq";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { JobRequest, JobResult } from "../job-types.js";
import type { ProofRunner } from "../proof-runner.js";
import { JOB_ATTEMPTS, toRecord } from "./redis-queue.js";
import type { JobRecord, JobStage } from "../job-types.js";
import { QUEUE_NAME, redisOptions } from "./redis-connection.js";
import { failedJobLine } from "../job-view.js";

export interface RedisWorkerOptions {
  concurrency: number;
  /** How long a job's lock lives without renewal: after a worker dies, its job is retried this much later. */
  lockDurationMs: number;
  /** Called once per job when it ends for good (callbacks). */
  onFinished?: (job: JobRecord) => void;
  log?: (line: string) => void;
}

/**
 * A `zk worker` process's consumer: takes jobs from the BullMQ queue and proves them
 * through the runner. A user error (bad input, other artifacts) fails the job at once;
 * anything else is retried, and a job whose worker died is taken over by another once
 * its lock expires (the stalled-job check).
 */
export function startRedisWorker(url: string, runner: ProofRunner, options: RedisWorkerOptions): Worker<JobRequest, JobResult> {
  const log = options.log ?? (() => {});
  const worker = new Worker<JobRequest, JobResult>(
    QUEUE_NAME,
    async (job) => {
      log(`job ${job.id} (${job.data.model}) attempt ${job.attemptsMade + 1}`);
      try {
        const stages: Partial<Record<JobStage, number>> = {};
        return await runner.run(job.data, (stage) => {
          stages[stage] = Date.now();
          void job.updateProgress({ stage, stages: { ...stages } }).catch(() => undefined);
        });
      } catch (e) {
        if (e instanceof ZkError) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    {
      connection: redisOptions(url),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.round(options.lockDurationMs / 2)),
      maxStalledCount: JOB_ATTEMPTS - 1,
    },
  );
  worker.on("completed", (job) => {
    log(`job ${job.id} done`);
    options.onFinished?.(toRecord(job, "completed"));
  });
  worker.on("failed", (job, err) => {
    if (job === undefined) return;
    const final = err instanceof UnrecoverableError || err.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) {
      log(`job ${job.id} attempt ${job.attemptsMade} did not finish (${err.message}); it will be retried`);
      return;
    }
    const record = toRecord(job, "failed");
    log(failedJobLine(record));
    options.onFinished?.(record);
  });
  worker.on("error", (e) => log(`worker error: ${e.message}`));
  return worker;
}
