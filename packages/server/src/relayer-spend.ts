import type { DatabaseSync } from "node:sqlite";
import type { Redis } from "ioredis";
import { migrate, openServiceDatabase, type Migration } from "./sqlite.js";

/**
 * What the relayer has paid in gas, per bucket (a reward's round), in wei: SQLite in embedded
 * mode, Redis with ZK_REDIS_URL. Sums up to 2^63 - 1 wei (about 9.2 ETH) per round.
 */
export interface SpendLedger {
  spent(bucket: string): Promise<bigint>;
  add(bucket: string, wei: bigint): Promise<void>;
  close(): Promise<void> | void;
}

const SPEND_MIGRATIONS: readonly Migration[] = [
  (db) => db.exec("CREATE TABLE IF NOT EXISTS relayer_spend (bucket TEXT PRIMARY KEY, wei INTEGER NOT NULL)"),
];

export class SqliteSpendLedger implements SpendLedger {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = openServiceDatabase(file);
    migrate(this.#db, file, SPEND_MIGRATIONS);
  }

  async spent(bucket: string): Promise<bigint> {
    const statement = this.#db.prepare("SELECT wei FROM relayer_spend WHERE bucket = ?");
    statement.setReadBigInts(true);
    return (statement.get(bucket) as { wei: bigint } | undefined)?.wei ?? 0n;
  }

  async add(bucket: string, wei: bigint): Promise<void> {
    this.#db
      .prepare("INSERT INTO relayer_spend (bucket, wei) VALUES (?, ?) ON CONFLICT (bucket) DO UPDATE SET wei = wei + excluded.wei")
      .run(bucket, wei);
  }

  close(): void {
    this.#db.close();
  }
}

/** Rounds last as long as the reward's owner keeps them; a round's sum is kept this long. */
const BUCKET_SECONDS = 30 * 86_400;

export class RedisSpendLedger implements SpendLedger {
  constructor(readonly redis: Redis) {}

  async spent(bucket: string): Promise<bigint> {
    return BigInt((await this.redis.get(`zk-relayer-spend:${bucket}`)) ?? "0");
  }

  async add(bucket: string, wei: bigint): Promise<void> {
    const key = `zk-relayer-spend:${bucket}`;
    await this.redis.multi().incrby(key, wei.toString()).expire(key, BUCKET_SECONDS).exec();
  }

  close(): void {}
}
