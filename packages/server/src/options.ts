import { availableParallelism } from "node:os";
import path from "node:path";
import ipaddr from "ipaddr.js";
import type { ZkConfig } from "@hardhat-zkml/core/config-types.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { backendOverride, resolvePoolOptions, type ProverPoolOptions } from "@hardhat-zkml/core/prover/backends.js";
import { DEFAULT_GATE_OPTIONS, type GateOptions } from "@hardhat-zkml/audio/gate.js";
import type { HttpOptions } from "./app.js";
import { parseCallbackAllow, type CallbackAllowList } from "./callback-targets.js";
import { DEFAULT_QUOTA_LIMITS, type QuotaLimits } from "./quotas.js";

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

/** ZK_TRUST_PROXY: the reverse proxies' addresses or CIDR ranges, comma-separated. */
function trustedProxies(text: string | undefined): string[] {
  const entries = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry))
      throw new ZkError(`ZK_TRUST_PROXY: "${entry}" is not an IP address or CIDR range; list your reverse proxies' addresses`);
  }
  return entries;
}

/** ZK_GATE_<THRESHOLD> (e.g. ZK_GATE_MIN_LEVEL_DBFS=-60) for each threshold of the gate; ZK_GATE=off turns it off. */
export function gateSettings(env: NodeJS.ProcessEnv): Partial<GateOptions> | false {
  const switch_ = (env.ZK_GATE ?? "on").toLowerCase();
  if (!["on", "off", "1", "0", "true", "false"].includes(switch_)) throw new ZkError(`ZK_GATE must be on or off, got "${env.ZK_GATE}"`);
  if (["off", "0", "false"].includes(switch_)) return false;
  const gate: Partial<GateOptions> = {};
  for (const key of Object.keys(DEFAULT_GATE_OPTIONS) as (keyof GateOptions)[]) {
    const name = `ZK_GATE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const value = env[name];
    if (value === undefined || value === "") continue;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new ZkError(`${name} must be a number, got "${value}"`);
    gate[key] = n;
  }
  return gate;
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
  const redisUrl = args.redis !== undefined && args.redis !== "" ? args.redis : env.ZK_REDIS_URL || undefined;
  const backend = backendOverride(args.backend || env.ZK_BACKEND || "wasm").backend;
  // 0 or absent: as many provers as the backend fits on this machine's cores.
  const concurrency = intOption(
    "--concurrency",
    args.concurrency === 0 ? undefined : args.concurrency,
    resolvePoolOptions({ backend }).workers,
    1,
  );
  const reward = args.reward || env.ZK_REWARD_ADDRESS || undefined;
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
    callbackSecret: env.ZK_CALLBACK_SECRET || undefined,
    callbackAllow: parseCallbackAllow(env.ZK_CALLBACK_ALLOW),
    reward,
    attesterKey: env.ZK_ATTESTER_KEY || undefined,
    attestationTtlSeconds: intOption("ZK_ATTESTATION_TTL", env.ZK_ATTESTATION_TTL, 3600, 60),
    lockDurationMs: intOption("ZK_LOCK_DURATION_MS", env.ZK_LOCK_DURATION_MS, 30_000, 1000),
    gate: gateSettings(env),
    quotas: {
      perRecipientPerRound: intOption(
        "ZK_QUOTA_RECIPIENT_ROUND",
        env.ZK_QUOTA_RECIPIENT_ROUND,
        DEFAULT_QUOTA_LIMITS.perRecipientPerRound,
        0,
      ),
      perKeyPerHour: intOption("ZK_QUOTA_KEY_HOUR", env.ZK_QUOTA_KEY_HOUR, DEFAULT_QUOTA_LIMITS.perKeyPerHour, 0),
    },
    http: {
      bodyLimit: intOption("ZK_BODY_LIMIT", env.ZK_BODY_LIMIT, 1 << 20, 1024),
      audioLimit: intOption("ZK_AUDIO_LIMIT", env.ZK_AUDIO_LIMIT, 10 << 20, 1024),
      corsOrigins: (env.ZK_CORS_ORIGINS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      defaultRatePerMinute: intOption("ZK_RATE_LIMIT", env.ZK_RATE_LIMIT, 60, 1),
      trustProxy: trustedProxies(env.ZK_TRUST_PROXY),
      authFailureLimit: intOption("ZK_AUTH_FAILURE_LIMIT", env.ZK_AUTH_FAILURE_LIMIT, 10, 1),
      authFailureWindowSeconds: intOption("ZK_AUTH_FAILURE_WINDOW", env.ZK_AUTH_FAILURE_WINDOW, 900, 1),
      maxWaitSeconds: intOption("ZK_MAX_WAIT", env.ZK_MAX_WAIT, 120, 0),
      retentionSeconds: intOption("ZK_RETENTION_SECONDS", env.ZK_RETENTION_SECONDS, 86_400, 1),
      defaultModel: defaultModelOf(zk, args.defaultModel),
      logger: env.ZK_LOG === "1",
    },
  };
}

/** The service's data folder (keys, embedded jobs): --data-dir, else ZK_DATA_DIR, else .zk-service, against the project root. */
export function serviceDataDir(root: string, given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, given || env.ZK_DATA_DIR || ".zk-service");
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
