import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { RedisPageSessionStore, SqlitePageSessionStore, type PageSessionStore } from "@hardhat-zkml/server/page-sessions.js";
import { RedisSpendLedger, SqliteSpendLedger, type SpendLedger } from "@hardhat-zkml/server/relayer-spend.js";
import { startRedis, type LocalRedis } from "../helpers/redis.js";

/** Two API processes' views of one store: two SQLite handles on one file, or two Redis connections. */
interface Pair {
  sessions: [PageSessionStore, PageSessionStore];
  ledgers: [SpendLedger, SpendLedger];
  close(): Promise<void>;
}

async function sqlitePair(): Promise<Pair> {
  const dir = await mkdtemp(path.join(tmpdir(), "zk-page-stores-"));
  const open = () =>
    [new SqlitePageSessionStore(path.join(dir, "sessions.db")), new SqliteSpendLedger(path.join(dir, "relayer.db"))] as const;
  const [s1, l1] = open();
  const [s2, l2] = open();
  return {
    sessions: [s1, s2],
    ledgers: [l1, l2],
    async close() {
      for (const c of [s1, s2, l1, l2]) c.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function redisPair(url: string): Pair {
  const [a, b] = [new Redis(url), new Redis(url)];
  return {
    sessions: [new RedisPageSessionStore(a), new RedisPageSessionStore(b)],
    ledgers: [new RedisSpendLedger(a), new RedisSpendLedger(b)],
    async close() {
      await a.quit();
      await b.quit();
    },
  };
}

describe("page sessions and the relayer's spend, shared by API processes (SQLite file, Redis)", function () {
  let redis: LocalRedis;
  before(async function () {
    redis = await startRedis();
  });
  after(() => redis?.stop());

  for (const [name, make] of [
    ["SQLite", () => sqlitePair()],
    ["Redis", () => Promise.resolve(redisPair(redis.url))],
  ] as const) {
    it(`${name}: a session opened in one process is accepted in another until it expires; a wrong secret never`, async function () {
      const pair = await make();
      try {
        const [here, there] = pair.sessions;
        const { session, token } = await here.create("http://127.0.0.1:8080", "127.0.0.1", 60);
        expect(await there.authenticate(token)).to.deep.equal(session);
        expect(session.expiresAt - session.createdAt).to.equal(60_000);
        expect(await there.authenticate(token, session.expiresAt)).to.equal(undefined);
        const wrong = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        expect(await there.authenticate(wrong)).to.equal(undefined);
        expect(await there.authenticate("ps_nothing")).to.equal(undefined);
      } finally {
        await pair.close();
      }
    });

    it(`${name}: the relayer's gas spend adds up across processes, per reward round, beyond 2^53 wei`, async function () {
      const pair = await make();
      try {
        const [here, there] = pair.ledgers;
        const big = 3n * 10n ** 17n; // 0.3 ETH: more than a double holds exactly
        await here.add("0xreward:0", big + 1n);
        await there.add("0xreward:0", 2n);
        expect(await here.spent("0xreward:0")).to.equal(big + 3n);
        expect(await there.spent("0xreward:1")).to.equal(0n);
      } finally {
        await pair.close();
      }
    });
  }
});
