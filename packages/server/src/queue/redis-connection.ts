import { Redis } from "ioredis";
import { ZkError } from "@hardhat-zkml/core/errors.js";

export const QUEUE_NAME = "zk-proofs";

/**
 * ioredis options for a redis:// or rediss:// (TLS) URL, as ioredis itself reads them; BullMQ
 * needs maxRetriesPerRequest null for its blocking calls.
 */
export function redisOptions(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: { servername: string };
  maxRetriesPerRequest: null;
} {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ZkError(`Redis URL "${url}" is not a URL; use redis://host:port[/db] (or rediss:// for TLS)`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new ZkError(`Redis URL "${url}" must start with redis:// or rediss://`);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username !== "" ? decodeURIComponent(u.username) : undefined,
    password: u.password !== "" ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    ...(u.protocol === "rediss:" ? { tls: { servername: u.hostname } } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A client that fails fast when Redis is not there, with the fix in the message. */
export async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, retryStrategy: (n) => Math.min(n * 200, 2000) });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new ZkError(`cannot reach Redis at ${url} (${(e as Error).message}); start redis-server or fix the URL`);
  }
  return client;
}
