import { availableParallelism } from "node:os";
import path from "node:path";
import type { ZkConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import type { HttpOptions } from "./app.js";

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
  /** Proofs at once (prover threads in this process). */
  concurrency: number;
  callbackSecret?: string;
  /** Worker lock: how long before another worker takes over a dead worker's job. */
  lockDurationMs: number;
  http: HttpOptions;
}

export interface ServiceArgs {
  host?: string;
  port?: string | number;
  redis?: string;
  concurrency?: string | number;
  defaultModel?: string;
  dataDir?: string;
}

function intOption(name: string, value: string | number | undefined, fallback: number, min: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ZkError(`${name} must be a whole number >= ${min}, got "${value}"`);
  return n;
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
  return {
    root,
    zk,
    host: args.host !== undefined && args.host !== "" ? args.host : "127.0.0.1",
    port: intOption("--port", args.port, 8080, 0),
    dataDir: path.resolve(root, args.dataDir || env.ZK_DATA_DIR || ".zk-service"),
    redisUrl,
    // 0 or absent: one prover per core.
    concurrency: intOption("--concurrency", args.concurrency === 0 ? undefined : args.concurrency, availableParallelism(), 1),
    callbackSecret: env.ZK_CALLBACK_SECRET || undefined,
    lockDurationMs: intOption("ZK_LOCK_DURATION_MS", env.ZK_LOCK_DURATION_MS, 30_000, 1000),
    http: {
      bodyLimit: intOption("ZK_BODY_LIMIT", env.ZK_BODY_LIMIT, 1 << 20, 1024),
      audioLimit: intOption("ZK_AUDIO_LIMIT", env.ZK_AUDIO_LIMIT, 10 << 20, 1024),
      corsOrigins: (env.ZK_CORS_ORIGINS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      defaultRatePerMinute: intOption("ZK_RATE_LIMIT", env.ZK_RATE_LIMIT, 60, 1),
      maxWaitSeconds: intOption("ZK_MAX_WAIT", env.ZK_MAX_WAIT, 120, 0),
      retentionSeconds: intOption("ZK_RETENTION_SECONDS", env.ZK_RETENTION_SECONDS, 86_400, 1),
      defaultModel: defaultModelOf(zk, args.defaultModel),
      logger: env.ZK_LOG === "1",
    },
  };
}

export function keysFile(dataDir: string): string {
  return path.join(dataDir, "keys.db");
}

export function jobsFile(dataDir: string): string {
  return path.join(dataDir, "jobs.db");
}
