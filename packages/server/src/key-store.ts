import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { migrate, openServiceDatabase, type Migration } from "./sqlite.js";

/** The api_keys table's numbered migrations (PRAGMA user_version); a change appends one. */
const KEY_MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, scopes TEXT NOT NULL,
        rate_per_minute INTEGER NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
      );
    `),
];
import { ZkError } from "@hardhat-zkml/core/errors.js";

export const SCOPES = ["prove", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  /** Requests per minute this key may make. */
  ratePerMinute: number;
  createdAt: string;
  revokedAt?: string;
}

interface Row {
  id: string;
  name: string;
  hash: string;
  scopes: string;
  rate_per_minute: number;
  created_at: string;
  revoked_at: string | null;
}

const TOKEN = /^zk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest();

function toKey(row: Row): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(",").filter(Boolean) as Scope[],
    ratePerMinute: row.rate_per_minute,
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
  };
}

export function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad !== undefined) throw new ZkError(`unknown scope "${bad}"; use ${SCOPES.join(", ")} (comma-separated)`);
  if (scopes.length === 0) throw new ZkError(`give at least one scope (${SCOPES.join(", ")})`);
  return scopes as Scope[];
}

/**
 * API keys in SQLite. A token is `zk_<id>_<secret>`; only sha256(secret) is stored
 * (the secret is 256 random bits, so a fast hash is enough), compared in constant time.
 */
export class KeyStore {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = openServiceDatabase(file);
    migrate(this.#db, file, KEY_MIGRATIONS);
  }

  /** Creates a key and returns its token: shown once, never stored. */
  create(name: string, scopes: Scope[], ratePerMinute: number): { key: ApiKey; token: string } {
    if (!Number.isInteger(ratePerMinute) || ratePerMinute < 1)
      throw new ZkError(`rate limit ${ratePerMinute} must be a whole number of requests per minute (>= 1)`);
    const id = randomBytes(6).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    this.#db
      .prepare("INSERT INTO api_keys (id, name, hash, scopes, rate_per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, name, hashSecret(secret).toString("hex"), scopes.join(","), ratePerMinute, new Date().toISOString());
    return { key: this.get(id)!, token: `zk_${id}_${secret}` };
  }

  get(id: string): ApiKey | undefined {
    const row = this.#db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as Row | undefined;
    return row === undefined ? undefined : toKey(row);
  }

  list(): ApiKey[] {
    return (this.#db.prepare("SELECT * FROM api_keys ORDER BY created_at").all() as unknown as Row[]).map(toKey);
  }

  revoke(id: string): ApiKey {
    const r = this.#db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(new Date().toISOString(), id);
    if (Number(r.changes) === 0) {
      throw new ZkError(this.get(id) ? `key ${id} is already revoked` : `no key with id ${id}; \`npx hardhat zk keys list\` shows the ids`);
    }
    return this.get(id)!;
  }

  /** The live key a token belongs to, or undefined (malformed, unknown, wrong secret or revoked). */
  authenticate(token: string): ApiKey | undefined {
    const m = TOKEN.exec(token);
    if (m === null) return undefined;
    const row = this.#db.prepare("SELECT * FROM api_keys WHERE id = ?").get(m[1]!) as Row | undefined;
    if (row === undefined || row.revoked_at !== null) return undefined;
    const want = Buffer.from(row.hash, "hex");
    return timingSafeEqual(want, hashSecret(m[2]!)) ? toKey(row) : undefined;
  }

  close(): void {
    this.#db.close();
  }
}
