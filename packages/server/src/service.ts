import type { FastifyInstance } from "fastify";
import type { InterfaceAbi, Signer } from "ethers";
import type { Redis } from "ioredis";
import type { ContractMetrics } from "@hardhat-zkml/core/pipeline/model-info.js";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { buildApp } from "./app.js";
import { callbackNotifier, DEFAULT_CALLBACK_POLICY } from "./callbacks.js";
import { JobStore } from "./job-store.js";
import { failedJobLine } from "./job-view.js";
import type { JobRecord } from "./job-types.js";
import { KeyStore } from "./key-store.js";
import { ServiceMetrics } from "./metrics.js";
import { engineWitness } from "@hardhat-zkml/core/prover/engine-ops.js";
import { explainWitnessFailure } from "@hardhat-zkml/core/prover/witness-range.js";
import type { EzklSettings } from "@hardhat-zkml/core/settings.js";
import { clientError } from "./job-view.js";
import { HttpProblem } from "./problem.js";
import { loadCatalog } from "./model-catalog.js";
import { jobsFile, keysFile, quotasFile, relayerSpendFile, sessionsFile, type ServiceConfig } from "./options.js";
import { artifactReader } from "./model-artifacts.js";
import { RedisPageSessionStore, SqlitePageSessionStore, type PageSessionStore } from "./page-sessions.js";
import { ClaimRelayer } from "./relayer.js";
import { RedisSpendLedger, SqliteSpendLedger, type SpendLedger } from "./relayer-spend.js";
import { ProofRunner } from "./proof-runner.js";
import { EmbeddedQueue } from "./queue/embedded-queue.js";
import type { JobQueue } from "./queue/job-queue.js";
import { connectRedis } from "./queue/redis-connection.js";
import { RedisQueue } from "./queue/redis-queue.js";
import { attesterWallet, cachedTerms, checkAttester, type RewardSource } from "./reward-terms.js";
import type { FeatureExtractor, RecordingScreen, ServiceReward, SubmissionChecks } from "./submit.js";
import { RedisQuotaCounter, SqliteQuotaCounter, type QuotaCounter } from "./quotas.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";

export interface ServiceHooks {
  extractFeatures?: FeatureExtractor;
  /** The recording gate on a submitted recording (default with extractFeatures: the audio library's screenRecording). */
  screenRecording?: RecordingScreen;
  /** Contract size and deploy gas for GET /v1/models (from Hardhat's artifacts). */
  measure?: (contract: string) => Promise<ContractMetrics | undefined>;
  /** The chain side of `--reward` (its terms, and whether the attester is a contract). */
  reward?: RewardSource;
  /** The relayer's account (ZK_RELAYER_KEY) connected to the reward's chain, and JudgmentReward's ABI. */
  relayer?: { signer: Signer; rewardAbi: InterfaceAbi };
  log?: (line: string) => void;
}

export interface RunningService {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  queue: JobQueue;
  /** Jobs that a previous run left running and that were queued again (embedded mode). */
  requeued: number;
  close(): Promise<void>;
}

/**
 * Starts the API: embedded (SQLite jobs, proofs in this process's worker threads) or,
 * with a Redis URL, the API side of the BullMQ queue (proofs in `zk worker` processes).
 */
export async function startService(config: ServiceConfig, hooks: ServiceHooks = {}): Promise<RunningService> {
  const log = hooks.log ?? (() => {});
  const catalog = await loadCatalog(config.zk.models, config.zk.artifactsDir, hooks.measure);
  const keys = new KeyStore(keysFile(config.dataDir));
  let queue!: JobQueue;
  const metrics = new ServiceMetrics(() => queue.depth());
  const recordMetrics = (job: JobRecord) => {
    if (job.status === "succeeded" && job.startedAt !== undefined && job.finishedAt !== undefined) {
      metrics.succeeded(job.request.model, job.result?.backend ?? "wasm", (job.finishedAt - job.startedAt) / 1000);
    } else if (job.status === "failed") {
      metrics.failed(job.request.model);
    }
  };
  const timers: NodeJS.Timeout[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  let redis: Redis | undefined;
  let requeued = 0;
  let verifier: ProofRunner;
  const attester = attesterWallet(config.attesterKey);
  let reward: ServiceReward | undefined;
  if (config.reward !== undefined) {
    if (hooks.reward === undefined) throw new ZkError("--reward needs a network connection; start the service with `npx hardhat zk serve`");
    const source = hooks.reward;
    const terms = await checkAttester(source, attester, config.redisUrl === undefined);
    reward = { model: source.model, terms: cachedTerms(() => source.terms()), ttlSeconds: config.attestationTtlSeconds };
    log(
      `proving ${source.model} for the reward at ${terms.address} (chain ${terms.chainId}, round ${terms.round}${terms.attester ? `, attested by ${terms.attester}` : ""})`,
    );
  }

  let quotaCounter: QuotaCounter;
  let sessions: PageSessionStore;
  let ledger: SpendLedger;
  if (config.redisUrl === undefined) {
    const s = new SqlitePageSessionStore(sessionsFile(config.dataDir));
    const l = new SqliteSpendLedger(relayerSpendFile(config.dataDir));
    [sessions, ledger] = [s, l];
    closers.push(
      () => s.close(),
      () => l.close(),
    );
    const store = new JobStore(jobsFile(config.dataDir));
    quotaCounter = new SqliteQuotaCounter(quotasFile(config.dataDir));
    closers.push(() => quotaCounter.close());
    const runner = new ProofRunner(config.root, config.zk.artifactsDir, config.zk.models, new ProverPool(config.pool), {
      extractFeatures: hooks.extractFeatures,
      attester,
    });
    const policy = { ...DEFAULT_CALLBACK_POLICY, allow: config.callbackAllow };
    const notify = callbackNotifier(config.callbackSecret, log, policy, {
      pending: (id) => store.callbackPending(id),
      ended: (id, error) => store.callbackEnded(id, error),
    });
    const embedded = new EmbeddedQueue(store, runner, {
      concurrency: config.concurrency,
      onFinished: (job) => {
        recordMetrics(job);
        if (job.status === "failed") log(failedJobLine(job));
        notify(job);
      },
    });
    queue = embedded;
    verifier = runner;
    // Callbacks a stop interrupted go out again (receivers dedupe by job id).
    for (const job of store.pendingCallbacks()) notify(job);
    requeued = embedded.start();
    if (requeued > 0) log(`requeued ${requeued} job(s) interrupted by the last stop`);
    const sweep = setInterval(
      () => store.purgeFinishedBefore(Date.now() - config.http.retentionSeconds * 1000),
      Math.min(60_000, config.http.retentionSeconds * 500),
    );
    sweep.unref();
    timers.push(sweep);
    closers.push(
      () => embedded.close(),
      () => notify.stop(),
      () => runner.close(),
      () => store.close(),
    );
  } else {
    redis = await connectRedis(config.redisUrl);
    redis.on("error", (e: Error) => log(`redis: ${e.message}`));
    const rq = new RedisQueue(config.redisUrl, redis, {
      retentionSeconds: config.http.retentionSeconds,
      onFinished: recordMetrics,
      log,
    });
    await rq.ready();
    queue = rq;
    quotaCounter = new RedisQuotaCounter(redis);
    sessions = new RedisPageSessionStore(redis);
    ledger = new RedisSpendLedger(redis);
    // Verification only: a one-thread pool, opened on first use.
    verifier = new ProofRunner(config.root, config.zk.artifactsDir, config.zk.models, new ProverPool(1));
    const r = redis;
    closers.push(
      () => rq.close(),
      () => verifier.close(),
      async () => void (await r.quit()),
    );
  }

  const screen: RecordingScreen | undefined =
    hooks.screenRecording ??
    (hooks.extractFeatures === undefined
      ? undefined
      : async (audio, gate) => (await import("@hardhat-zkml/audio/node.js")).screenRecording(audio, gate));
  const checks: SubmissionChecks = {
    screen,
    gateFor: (model) => {
      const own = config.zk.models[model]?.gate;
      if (config.gate === false || own === false) return false;
      return { ...own, ...config.gate };
    },
    quotas: { counter: quotaCounter, limits: config.quotas },
  };
  if (config.relayerKey !== undefined && hooks.relayer === undefined)
    throw new ZkError("ZK_RELAYER_KEY needs a network connection to send claims; start the service with `npx hardhat zk serve`");
  const relayer =
    hooks.relayer === undefined ? undefined : await ClaimRelayer.create({ ...hooks.relayer, ledger, budgetWei: config.relayerBudgetWei });
  if (relayer !== undefined) log(`relaying claims from ${relayer.address} (gas budget ${config.relayerBudgetWei} wei per round)`);
  const app = await buildApp({
    checks,
    page: config.page === undefined ? undefined : { sessions, proofs: quotaCounter, options: config.page },
    relayer,
    readArtifact: artifactReader(async (model) => (await verifier.prover(model)).files),
    catalog,
    queue,
    keys,
    metrics,
    redis,
    callbackSecret: config.callbackSecret,
    callbackAllow: config.callbackAllow,
    reward,
    extractFeatures: hooks.extractFeatures,
    options: config.http,
    verifyProof: async (model, proof) => (await verifier.prover(model)).verify(proof),
    generateWitness: async (model, inputs, prover) => {
      const p = await verifier.prover(model); // a build that cannot be read is the server's fault (500)
      const key = prover === undefined ? 0n : /^0x[0-9a-fA-F]{41,64}$/.test(prover) ? BigInt(prover) : prover;
      try {
        return engineWitness(p.files, p.inputJson(inputs, p.model.boundAddress === undefined ? undefined : key));
      } catch (e) {
        // The client's input drove the circuit past what it was sized for.
        const settings = JSON.parse(new TextDecoder().decode(p.files.settings)) as EzklSettings;
        const why = explainWitnessFailure(model, settings, e)?.message ?? `no witness for this input (${(e as Error).message})`;
        throw new HttpProblem(422, "Unprocessable Content", clientError(why)!);
      }
    },
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log(`serving ${[...catalog.keys()].join(", ") || "no built models"} on ${url} (${queue.kind} queue)`);
  return {
    app,
    url,
    queue,
    requeued,
    async close() {
      for (const t of timers) clearInterval(t);
      await app.close();
      for (const c of closers) await c();
      keys.close();
    },
  };
}
