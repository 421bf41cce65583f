import type { DatabaseSync } from "node:sqlite";
import type { Redis } from "ioredis";
import { HttpProblem } from "./problem.js";
import { migrate, openServiceDatabase, type Migration } from "./sqlite.js";

/** The quota table's numbered migrations (PRAGMA user_version); a change appends one. */
const QUOTA_MIGRATIONS: readonly Migration[] = [
  (db) => db.exec("CREATE TABLE IF NOT EXISTS quota (bucket TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL)"),
];

/** How many attestations the service signs (ZK_QUOTA_RECIPIENT_ROUND, ZK_QUOTA_KEY_HOUR; 0: no limit). */
export interface QuotaLimits {
  perRecipientPerRound: number;
  perKeyPerHour: number;
}

export const DEFAULT_QUOTA_LIMITS: Readonly<QuotaLimits> = Object.freeze({ perRecipientPerRound: 3, perKeyPerHour: 100 });

/** Counters shared by every API process: SQLite in embedded mode, Redis with ZK_REDIS_URL. */
export interface QuotaCounter {
  /** Counts one more in `bucket` unless it already holds `limit`; false when full. The bucket expires after `ttlSeconds`. */
  take(bucket: string, limit: number, ttlSeconds: number): Promise<boolean>;
  /** Gives back one taken by mistake (a repeated idempotent request, a failed submission). */
  give(bucket: string): Promise<void>;
  close(): Promise<void> | void;
}

export class SqliteQuotaCounter implements QuotaCounter {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = openServiceDatabase(file);
    migrate(this.#db, file, QUOTA_MIGRATIONS);
  }

  async take(bucket: string, limit: number, ttlSeconds: number): Promise<boolean> {
    const now = Date.now();
    this.#db.prepare("DELETE FROM quota WHERE expires_at <= ?").run(now);
    // One statement: two API requests cannot both take the last unit.
    const { changes } = this.#db
      .prepare(
        "INSERT INTO quota (bucket, count, expires_at) VALUES (?, 1, ?) ON CONFLICT (bucket) DO UPDATE SET count = count + 1 WHERE count < ?",
      )
      .run(bucket, now + ttlSeconds * 1000, limit);
    return Number(changes) > 0;
  }

  async give(bucket: string): Promise<void> {
    this.#db.prepare("UPDATE quota SET count = count - 1 WHERE bucket = ? AND count > 0").run(bucket);
  }

  close(): void {
    this.#db.close();
  }
}

const TAKE_SCRIPT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if c > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return 0 end
return 1`;

export class RedisQuotaCounter implements QuotaCounter {
  constructor(readonly redis: Redis) {}

  async take(bucket: string, limit: number, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.eval(TAKE_SCRIPT, 1, `zk-quota:${bucket}`, limit, ttlSeconds)) === 1;
  }

  async give(bucket: string): Promise<void> {
    await this.redis.decr(`zk-quota:${bucket}`);
  }

  close(): void {}
}

/** Units taken for one submission, to give back if it is not queued after all. */
export type QuotaTaken = string[];

/** Rounds last as long as the reward's owner keeps them; a round's counter is kept this long. */
const ROUND_BUCKET_SECONDS = 30 * 86_400;

/**
 * Takes one attestation from the recipient's quota for the reward's round and one from the
 * API key's quota for this clock hour, or answers 429 with the reason.
 */
export async function takeAttestationQuota(
  counter: QuotaCounter,
  limits: QuotaLimits,
  at: { reward: string; round: string; recipient: string; keyId: string | undefined },
  now = Date.now(),
): Promise<QuotaTaken> {
  const taken: QuotaTaken = [];
  if (limits.perRecipientPerRound > 0) {
    const bucket = `recipient:${at.reward.toLowerCase()}:${at.round}:${at.recipient.toLowerCase()}`;
    if (!(await counter.take(bucket, limits.perRecipientPerRound, ROUND_BUCKET_SECONDS)))
      throw new HttpProblem(
        429,
        "Too Many Requests",
        `${at.recipient} already has ${limits.perRecipientPerRound} attested recording(s) in round ${at.round} of the reward at ${at.reward}; claim one of them, or wait for the next round`,
      );
    taken.push(bucket);
  }
  if (limits.perKeyPerHour > 0) {
    const hour = Math.floor(now / 3_600_000);
    const bucket = `key:${at.keyId ?? "anonymous"}:${hour}`;
    if (!(await counter.take(bucket, limits.perKeyPerHour, 3600))) {
      await Promise.all(taken.map((b) => counter.give(b)));
      const retryAfter = Math.max(1, Math.ceil(((hour + 1) * 3_600_000 - now) / 1000));
      throw new HttpProblem(
        429,
        "Too Many Requests",
        `this API key has used its ${limits.perKeyPerHour} attested recordings for this hour; retry in ${retryAfter} s`,
        { "retry-after": String(retryAfter) },
      );
    }
    taken.push(bucket);
  }
  return taken;
}
