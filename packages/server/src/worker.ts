import type { Worker } from "bullmq";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { DEFAULT_CALLBACK_POLICY } from "./callbacks.js";
import type { ServiceConfig } from "./options.js";
import { ProofRunner } from "./proof-runner.js";
import { connectRedis } from "./queue/redis-connection.js";
import { startRedisWorker } from "./queue/redis-worker.js";
import { startRedisCallbacks } from "./queue/redis-callbacks.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { attesterWallet } from "./reward-terms.js";

export interface RunningWorker {
  worker: Worker;
  close(): Promise<void>;
}

/** A `zk worker` process: proves the queue's jobs on this machine's artifacts (checked by manifest hashes). */
export async function startWorker(config: ServiceConfig, log: (line: string) => void = () => {}): Promise<RunningWorker> {
  if (config.redisUrl === undefined) throw new ZkError("a worker needs the queue's Redis URL: --redis redis://host:port or ZK_REDIS_URL");
  const probe = await connectRedis(config.redisUrl);
  await probe.quit();
  const runner = new ProofRunner(config.root, config.zk.artifactsDir, config.zk.models, new ProverPool(config.pool), {
    extractFeatures,
    attester: attesterWallet(config.attesterKey),
  });
  const callbacks = startRedisCallbacks(
    config.redisUrl,
    config.callbackSecret,
    log,
    { ...DEFAULT_CALLBACK_POLICY, allow: config.callbackAllow },
    config.lockDurationMs,
  );
  const worker = startRedisWorker(config.redisUrl, runner, {
    concurrency: config.concurrency,
    lockDurationMs: config.lockDurationMs,
    onFinished: (job) => callbacks.notify(job),
    log,
  });
  await worker.waitUntilReady();
  log(`worker ready: ${config.concurrency} ${config.pool.backend} prover(s), queue on ${config.redisUrl}`);
  return {
    worker,
    async close() {
      // Stop taking jobs and let running ones finish before the prover threads and Redis go.
      await worker.close();
      await callbacks.close();
      await runner.close();
    },
  };
}
