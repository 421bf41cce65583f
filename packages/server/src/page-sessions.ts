import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { Redis } from "ioredis";
import { migrate, openServiceDatabase, type Migration } from "./sqlite.js";

/**
 * Page sessions: what the public page is let in with instead of an API key. Short-lived,
 * bound to the page's origin, and limited to proving recordings and following their own jobs.
 */
export interface PageSession {
  id: string;
  /** The origin the session was created from; every request with it must come from there. */
  origin: string;
  /** The client address that created it. */
  address: string;
  createdAt: number;
  expiresAt: number;
}

/** Where page sessions live: SQLite beside the API keys (embedded), or Redis (scaled out: every API process sees them). */
export interface PageSessionStore {
  /** Creates a session and returns its token (shown once; only sha256 of its secret is stored). */
  create(origin: string, address: string, ttlSeconds: number): Promise<{ session: PageSession; token: string }>;
  /** The live session a token belongs to, or undefined (malformed, unknown, wrong secret or expired). */
  authenticate(token: string, now?: number): Promise<PageSession | undefined>;
  close(): Promise<void> | void;
}

/** Owner of the jobs a page session creates (JobRequest.keyId): never an API key's id, which is 12 hex digits. */
export function sessionOwner(session: PageSession): string {
  return `page:${session.id}`;
}

const TOKEN = /^ps_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

function newToken(): { id: string; secret: string; token: string } {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, secret, token: `ps_${id}_${secret}` };
}

/** The stored form of a session: its fields and the hash of its secret. */
interface Stored extends PageSession {
  hash: string;
}

function check(stored: Stored | undefined, secret: string, now: number): PageSession | undefined {
  if (stored === undefined || stored.expiresAt <= now) return undefined;
  if (!timingSafeEqual(Buffer.from(stored.hash, "hex"), Buffer.from(hashSecret(secret), "hex"))) return undefined;
  const { hash: _, ...session } = stored;
  return session;
}

const SESSION_MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE IF NOT EXISTS page_sessions (
        id TEXT PRIMARY KEY, hash TEXT NOT NULL, origin TEXT NOT NULL, address TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS page_sessions_expiry ON page_sessions (expires_at);
    `),
];

interface Row {
  id: string;
  hash: string;
  origin: string;
  address: string;
  created_at: number;
  expires_at: number;
}

export class SqlitePageSessionStore implements PageSessionStore {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = openServiceDatabase(file);
    migrate(this.#db, file, SESSION_MIGRATIONS);
  }

  async create(origin: string, address: string, ttlSeconds: number): Promise<{ session: PageSession; token: string }> {
    const now = Date.now();
    this.#db.prepare("DELETE FROM page_sessions WHERE expires_at <= ?").run(now);
    const { id, secret, token } = newToken();
    const session = { id, origin, address, createdAt: now, expiresAt: now + ttlSeconds * 1000 };
    this.#db
      .prepare("INSERT INTO page_sessions (id, hash, origin, address, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, hashSecret(secret), origin, address, session.createdAt, session.expiresAt);
    return { session, token };
  }

  async authenticate(token: string, now = Date.now()): Promise<PageSession | undefined> {
    const m = TOKEN.exec(token);
    if (m === null) return undefined;
    const row = this.#db.prepare("SELECT * FROM page_sessions WHERE id = ?").get(m[1]!) as Row | undefined;
    const stored =
      row === undefined
        ? undefined
        : { id: row.id, hash: row.hash, origin: row.origin, address: row.address, createdAt: row.created_at, expiresAt: row.expires_at };
    return check(stored, m[2]!, now);
  }

  close(): void {
    this.#db.close();
  }
}

/** Sessions in Redis, each a key that expires with it: shared by every API process. */
export class RedisPageSessionStore implements PageSessionStore {
  constructor(readonly redis: Redis) {}

  async create(origin: string, address: string, ttlSeconds: number): Promise<{ session: PageSession; token: string }> {
    const now = Date.now();
    const { id, secret, token } = newToken();
    const session = { id, origin, address, createdAt: now, expiresAt: now + ttlSeconds * 1000 };
    await this.redis.set(`zk-page-session:${id}`, JSON.stringify({ ...session, hash: hashSecret(secret) }), "EX", ttlSeconds);
    return { session, token };
  }

  async authenticate(token: string, now = Date.now()): Promise<PageSession | undefined> {
    const m = TOKEN.exec(token);
    if (m === null) return undefined;
    const text = await this.redis.get(`zk-page-session:${m[1]}`);
    return check(text === null ? undefined : (JSON.parse(text) as Stored), m[2]!, now);
  }

  close(): void {}
}
