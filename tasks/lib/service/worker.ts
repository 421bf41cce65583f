import type { Worker } from "bullmq";
import { ProverPool } from "../prover/prover-pool.js";
import { callbackNotifier } from "./callbacks.js";
import type { ServiceConfig } from "./options.js";
import { ProofRunner } from "./proof-runner.js";
import { connectRedis } from "./queue/redis-connection.js";
import { startRedisWorker } from "./queue/redis-worker.js";
import { ZkError } from "../errors.js";

export interface RunningWorker {
  worker: Worker;
  close(): Promise<void>;
}

/** A `zk worker` process: proves the queue's jobs on this machine's artifacts (checked by manifest hashes). */
export async function startWorker(config: ServiceConfig, log: (line: string) => void = () => {}): Promise<RunningWorker> {
  if (config.redisUrl === undefined) throw new ZkError("a worker needs the queue's Redis URL: --redis redis://host:port or ZK_REDIS_URL");
  const probe = await connectRedis(config.redisUrl);
  await probe.quit();
  const runner = new ProofRunner(config.root, config.zk.artifactsDir, config.zk.models, new ProverPool(config.concurrency));
  const worker = startRedisWorker(config.redisUrl, runner, {
    concurrency: config.concurrency,
    lockDurationMs: config.lockDurationMs,
    onFinished: callbackNotifier(config.callbackSecret, log),
    log,
  });
  await worker.waitUntilReady();
  log(`worker ready: ${config.concurrency} prover thread(s), queue on ${config.redisUrl}`);
  return {
    worker,
    async close() {
      // Stop taking jobs and let running ones finish before the prover threads and Redis go.
      await worker.close();
      await runner.close();
    },
  };
}
