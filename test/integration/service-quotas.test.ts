import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { gateSettings, resolveServiceConfig } from "@hardhat-zkml/server/options.js";
import { HttpProblem } from "@hardhat-zkml/server/problem.js";
import { RedisQuotaCounter, SqliteQuotaCounter, takeAttestationQuota, type QuotaCounter } from "@hardhat-zkml/server/quotas.js";
import { startRedis, type LocalRedis } from "../helpers/redis.js";
import { removeDir } from "../helpers/service.js";

const REWARD = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

async function refusal(run: Promise<unknown>): Promise<HttpProblem> {
  try {
    await run;
  } catch (e) {
    expect(e).to.be.instanceOf(HttpProblem);
    return e as HttpProblem;
  }
  throw new Error("expected a 429");
}

function quotaBehaviour(open: () => Promise<{ counter: QuotaCounter; close(): Promise<void> }>) {
  let counter: QuotaCounter;
  let close: () => Promise<void>;
  beforeEach(async function () {
    ({ counter, close } = await open());
  });
  afterEach(async function () {
    await close();
  });

  it("counts attestations per recipient per round: the next round starts a new count", async function () {
    const limits = { perRecipientPerRound: 2, perKeyPerHour: 0 };
    for (let i = 0; i < 2; i++) await takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: ALICE, keyId: "k" });
    const e = await refusal(takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: ALICE, keyId: "k" }));
    expect(e.statusCode).to.equal(429);
    expect(e.detail).to.match(/already has 2 attested recording\(s\) in round 1/);
    await takeAttestationQuota(counter, limits, { reward: REWARD, round: "2", recipient: ALICE, keyId: "k" });
    await takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: BOB, keyId: "k" });
  });

  it("counts attestations per API key per clock hour, with Retry-After until the hour ends; a refusal gives the recipient's unit back", async function () {
    const limits = { perRecipientPerRound: 5, perKeyPerHour: 1 };
    const now = Date.UTC(2026, 0, 1, 10, 59, 30);
    await takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: ALICE, keyId: "k" }, now);
    const e = await refusal(takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: BOB, keyId: "k" }, now));
    expect(e.statusCode).to.equal(429);
    expect(e.headers["retry-after"]).to.equal("30");
    // The next hour has a fresh count, and BOB's refused attempt did not use his round quota.
    const later = now + 60_000;
    const taken = await takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: BOB, keyId: "k" }, later);
    expect(taken).to.have.length(2);
    await Promise.all(taken.map((b) => counter.give(b)));
    await takeAttestationQuota(counter, limits, { reward: REWARD, round: "1", recipient: BOB, keyId: "k" }, later);
  });

  it("never lets concurrent requests take more than the limit", async function () {
    const limits = { perRecipientPerRound: 3, perKeyPerHour: 0 };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => takeAttestationQuota(counter, limits, { reward: REWARD, round: "9", recipient: ALICE, keyId: "k" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(3);
  });
}

describe("attestation quotas", function () {
  describe("in SQLite (embedded service)", function () {
    quotaBehaviour(async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "zk-quota-"));
      const counter = new SqliteQuotaCounter(path.join(dir, "quotas.db"));
      return {
        counter,
        async close() {
          counter.close();
          await removeDir(dir);
        },
      };
    });
  });

  describe("in Redis (ZK_REDIS_URL)", function () {
    let redis: LocalRedis;
    before(async function () {
      redis = await startRedis();
    });
    after(async function () {
      await redis?.stop();
    });
    quotaBehaviour(async () => {
      const client = new Redis(redis.url);
      await client.flushall();
      return {
        counter: new RedisQuotaCounter(client),
        async close() {
          await client.quit();
        },
      };
    });
  });
});

describe("service settings for the gate and the quotas", function () {
  it("reads ZK_GATE_<OPTION> overrides, ZK_GATE=off, and refuses a setting that is not a number", function () {
    expect(gateSettings({ ZK_GATE_MIN_LEVEL_DBFS: "-60", ZK_GATE_MIN_VOICED_SECONDS: "0.3" })).to.deep.equal({
      minLevelDbfs: -60,
      minVoicedSeconds: 0.3,
    });
    expect(gateSettings({ ZK_GATE: "off" })).to.equal(false);
    expect(() => gateSettings({ ZK_GATE_MAX_FLATNESS: "lots" })).to.throw(/^ZK_GATE_MAX_FLATNESS must be a number, got "lots"$/);
    expect(() => gateSettings({ ZK_GATE: "maybe" })).to.throw(/ZK_GATE must be on or off/);
  });

  it("defaults to 3 attestations per recipient per round and 100 per key per hour; ZK_QUOTA_* override them", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "zk-quota-"));
    try {
      const zk = { models: {}, artifactsDir: dir, generatedContractsDir: dir, python: "python3" };
      expect(resolveServiceConfig(dir, zk, { dataDir: dir }, {}).quotas).to.deep.equal({ perRecipientPerRound: 3, perKeyPerHour: 100 });
      expect(
        resolveServiceConfig(dir, zk, { dataDir: dir }, { ZK_QUOTA_RECIPIENT_ROUND: "1", ZK_QUOTA_KEY_HOUR: "0" }).quotas,
      ).to.deep.equal({ perRecipientPerRound: 1, perKeyPerHour: 0 });
    } finally {
      await removeDir(dir);
    }
  });
});
