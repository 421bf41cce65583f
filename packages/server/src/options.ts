import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { ZkConfig } from "@hardhat-zkml/core/config-types.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { backendOverride, resolvePoolOptions, type ProverPoolOptions } from "@hardhat-zkml/core/prover/backends.js";
import type { GateOptions } from "@hardhat-zkml/audio/gate.js";
import type { HttpOptions, PageOptions } from "./app.js";
import { parseCallbackAllow, type CallbackAllowList } from "./callback-targets.js";
import type { QuotaLimits } from "./quotas.js";
import { gateSettingsOf, parseServiceSettings } from "./settings.js";

/** How a service (API or worker) runs: from task options and ZK_* environment variables. */
export interface ServiceConfig {
  root: string;
  zk: ZkConfig;
  host: string;
  port: number;
  /** SQLite files (jobs, API keys). */
  dataDir: string;
  /** Set: jobs go through BullMQ on this Redis; unset: embedded (SQLite + in-process prover pool). */
  redisUrl?: string;
  /** Proofs at once (prover workers in this process). */
  concurrency: number;
  /** The prover pool of this process: backend ("wasm" unless --backend / ZK_BACKEND) and `concurrency` workers. */
  pool: ProverPoolOptions;
  callbackSecret?: string;
  /** Hosts and ranges callbacks may go to besides public addresses (ZK_CALLBACK_ALLOW). */
  callbackAllow: CallbackAllowList;
  /** The JudgmentReward the default judge model's proofs are made for (--reward / ZK_REWARD_ADDRESS). */
  reward?: string;
  /** The reward's attester key (ZK_ATTESTER_KEY), where jobs run: signs the recordings this service heard. */
  attesterKey?: string;
  /** How long an attestation stays valid (ZK_ATTESTATION_TTL seconds, default 3600). */
  attestationTtlSeconds: number;
  /** Worker lock: how long before another worker takes over a dead worker's job. */
  lockDurationMs: number;
  /** Recording gate overrides from ZK_GATE_* (merged over each model's `gate`); false: ZK_GATE=off (attested rewards are gated anyway). */
  gate: Partial<GateOptions> | false;
  /** Attestations per recipient per round and per API key per hour. */
  quotas: QuotaLimits;
  http: HttpOptions;
  /** The page and page sessions; undefined: ZK_PAGE=0. */
  page?: PageOptions;
  /** The relayer's private key (ZK_RELAYER_KEY): claims are relayed from its account. */
  relayerKey?: string;
  /** Gas the relayer may pay per reward round, in wei (ZK_RELAYER_BUDGET_WEI, default 0.05 ETH). */
  relayerBudgetWei: bigint;
}

export interface ServiceArgs {
  host?: string;
  port?: string | number;
  redis?: string;
  concurrency?: string | number;
  backend?: string;
  reward?: string;
  defaultModel?: string;
  dataDir?: string;
}

function intOption(name: string, value: string | number | undefined, fallback: number, min: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ZkError(`${name} must be a whole number >= ${min}, got "${value}"`);
  return n;
}

/** ZK_GATE_<THRESHOLD> (e.g. ZK_GATE_MIN_LEVEL_DBFS=-60) for each threshold of the gate; ZK_GATE=off turns it off. */
export function gateSettings(env: NodeJS.ProcessEnv): Partial<GateOptions> | false {
  return gateSettingsOf(parseServiceSettings(env));
}

/** The first judge-shaped model (bound address) is the default for /prove and /service_output. */
function defaultModelOf(zk: ZkConfig, given: string | undefined): string | undefined {
  if (given !== undefined && given !== "") {
    if (zk.models[given] === undefined)
      throw new ZkError(`--default-model "${given}" is not in zk.models (${Object.keys(zk.models).join(", ")})`);
    return given;
  }
  return Object.values(zk.models).find((m) => m.boundAddress !== undefined)?.name;
}

export function resolveServiceConfig(root: string, zk: ZkConfig, args: ServiceArgs, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const settings = parseServiceSettings(env);
  const redisUrl = args.redis !== undefined && args.redis !== "" ? args.redis : settings.ZK_REDIS_URL;
  const backend = backendOverride(args.backend || settings.ZK_BACKEND || "wasm").backend;
  // 0 or absent: as many provers as the backend fits on this machine's cores.
  const concurrency = intOption(
    "--concurrency",
    args.concurrency === 0 ? undefined : args.concurrency,
    resolvePoolOptions({ backend }).workers,
    1,
  );
  const reward = args.reward || settings.ZK_REWARD_ADDRESS;
  if (reward !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(reward))
    throw new ZkError(`--reward ${reward} is not a contract address (0x + 40 hex digits)`);
  return {
    root,
    zk,
    host: args.host !== undefined && args.host !== "" ? args.host : "127.0.0.1",
    port: intOption("--port", args.port, 8080, 0),
    dataDir: serviceDataDir(root, args.dataDir, env),
    redisUrl,
    concurrency,
    // wasm-threads: the cores shared out between the workers' thread pools.
    pool: { backend, workers: concurrency, root, threads: Math.max(1, Math.floor(availableParallelism() / concurrency)) },
    callbackSecret: settings.ZK_CALLBACK_SECRET,
    callbackAllow: parseCallbackAllow(settings.ZK_CALLBACK_ALLOW),
    reward,
    attesterKey: settings.ZK_ATTESTER_KEY,
    attestationTtlSeconds: settings.ZK_ATTESTATION_TTL,
    lockDurationMs: settings.ZK_LOCK_DURATION_MS,
    gate: gateSettingsOf(settings),
    page:
      settings.ZK_PAGE === "0"
        ? undefined
        : {
            origins: settings.ZK_PAGE_ORIGINS,
            sessionsPerHour: settings.ZK_PAGE_SESSIONS_PER_HOUR,
            proofsPerSession: settings.ZK_PAGE_SESSION_PROOFS,
            ttlSeconds: settings.ZK_PAGE_SESSION_TTL,
            webDir: webDirOf(root, settings.ZK_WEB_DIR),
          },
    relayerKey: settings.ZK_RELAYER_KEY,
    relayerBudgetWei: settings.ZK_RELAYER_BUDGET_WEI,
    quotas: {
      perRecipientPerRound: settings.ZK_QUOTA_RECIPIENT_ROUND,
      perKeyPerHour: settings.ZK_QUOTA_KEY_HOUR,
    },
    http: {
      bodyLimit: settings.ZK_BODY_LIMIT,
      audioLimit: settings.ZK_AUDIO_LIMIT,
      corsOrigins: settings.ZK_CORS_ORIGINS,
      defaultRatePerMinute: settings.ZK_RATE_LIMIT,
      trustProxy: settings.ZK_TRUST_PROXY,
      authFailureLimit: settings.ZK_AUTH_FAILURE_LIMIT,
      authFailureWindowSeconds: settings.ZK_AUTH_FAILURE_WINDOW,
      maxWaitSeconds: settings.ZK_MAX_WAIT,
      retentionSeconds: settings.ZK_RETENTION_SECONDS,
      defaultModel: defaultModelOf(zk, args.defaultModel),
      logger: settings.ZK_LOG === "1",
    },
  };
}

/**
 * The built page: ZK_WEB_DIR (against the project root), else the dist/ folder of the
 * @hardhat-zkml/web package if it is installed (it is optional: a server without it serves no page).
 */
export function webDirOf(root: string, given: string | undefined): string | undefined {
  if (given !== undefined) return path.resolve(root, given);
  for (const from of [path.join(root, "package.json"), import.meta.url]) {
    try {
      const dist = path.join(path.dirname(createRequire(from).resolve("@hardhat-zkml/web/package.json")), "dist");
      if (existsSync(dist)) return dist;
    } catch {
      // not installed where `from` looks
    }
  }
  return undefined;
}

/** The service's data folder (keys, embedded jobs): --data-dir, else ZK_DATA_DIR, else .zk-service, against the project root. */
export function serviceDataDir(root: string, given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, given || (env.ZK_DATA_DIR ?? "") || ".zk-service");
}

export function keysFile(dataDir: string): string {
  return path.join(dataDir, "keys.db");
}

export function jobsFile(dataDir: string): string {
  return path.join(dataDir, "jobs.db");
}

export function quotasFile(dataDir: string): string {
  return path.join(dataDir, "quotas.db");
}

/** Page sessions, beside the API keys. */
export function sessionsFile(dataDir: string): string {
  return path.join(dataDir, "sessions.db");
}

/** What the relayer has spent in gas per reward round. */
export function relayerSpendFile(dataDir: string): string {
  return path.join(dataDir, "relayer.db");
}
