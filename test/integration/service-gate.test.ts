import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { Redis } from "ioredis";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import type { JobResult } from "@hardhat-zkml/server/job-types.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { chainRewardSource } from "../../tasks/lib/reward-source.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { buildModel } from "../helpers/fixtures.js";
import { ATTESTER_KEY, deployRewardFixture, MODEL } from "../helpers/reward-fixture.js";
import { startRedis, type LocalRedis } from "../helpers/redis.js";
import { bearer, createKey, removeDir, testServiceConfig } from "../helpers/service.js";
import { encodeWav16, mp3HeadersOnly, synthesize, uniformNoise } from "../helpers/synth-audio.js";

const FIXTURES = path.join(hre.config.paths.root, "test", "fixtures", "audio");

const synth = (f: (t: number) => number) => encodeWav16(synthesize(f), 22050);

describe("proving service: the recording gate and attestation quotas of an attested reward", function () {
  let fx: Awaited<ReturnType<typeof deployRewardFixture>>;
  let config: ServiceConfig;
  let service: RunningService;
  let voice: Uint8Array;

  before(async function () {
    await buildModel(MODEL);
    fx = await deployRewardFixture({ threshold: 0 });
    const rewardAddress = await (await fx.deployReward({ attester: fx.attester.address, threshold: 0 })).getAddress();
    config = await testServiceConfig(
      [MODEL],
      { ZK_ATTESTER_KEY: ATTESTER_KEY, ZK_QUOTA_RECIPIENT_ROUND: "1", ZK_QUOTA_KEY_HOUR: "2" },
      { concurrency: 1 },
    );
    config.reward = rewardAddress;
    voice = new Uint8Array(await readFile(path.join(FIXTURES, "speech-22050-s16.wav")));
    service = await startService(config, { extractFeatures, reward: await chainRewardSource(fx.connection, rewardAddress, MODEL) });
  });
  after(async function () {
    await service?.close();
    if (config) await removeDir(config.dataDir);
  });

  const submit = (token: string, address: string, audio: Uint8Array, wait = 0) => {
    const form = new FormData();
    form.set("address", address);
    form.set("audio", new Blob([audio], { type: "audio/wav" }), "take.wav");
    return fetch(`${service.url}/v1/models/${MODEL}/proofs${wait > 0 ? `?wait=${wait}` : ""}`, {
      method: "POST",
      headers: bearer(token),
      body: form,
    });
  };

  it("answers silence, white noise, a tone, a 1 Hz WAV and MP3 headers without audio with 422 and the reason, and queues nothing to attest", async function () {
    const token = createKey(config.dataDir, ["prove"], 1000, "gate");
    const rand = uniformNoise();
    const cases: [string, Uint8Array, RegExp][] = [
      ["silence", new Uint8Array(await readFile(path.join(FIXTURES, "silence-22050-s16.wav"))), /too quiet: the recording is silent/],
      ["white noise", synth(() => 0.3 * rand()), /only noise/],
      ["a 440 Hz tone", synth((t) => 0.5 * Math.sin(2 * Math.PI * 440 * t)), /a single tone, not a voice/],
      [
        "a WAV sampled at 1 Hz",
        encodeWav16(
          new Float32Array(4096).map((_, i) => Math.sin(i)),
          1,
        ),
        /sample rate too low/,
      ],
      ["MP3 frame headers without audio", mp3HeadersOnly(), /too quiet/],
    ];
    for (const [what, audio, reason] of cases) {
      const res = await submit(token, fx.alice.address, audio);
      expect(res.status, what).to.equal(422);
      expect(res.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(res.headers.get("location"), what).to.equal(null);
      const body = (await res.json()) as { detail: string };
      expect(body.detail, what).to.match(/^recording refused: /);
      expect(body.detail, what).to.match(reason);
    }
    expect(await service.queue.depth()).to.deep.equal({ queued: 0, running: 0 });
  });

  it("still attests a real voice, then refuses a second attestation for the same recipient in the round (429)", async function () {
    const token = createKey(config.dataDir, ["prove"], 1000, "recipient");
    const res = await submit(token, fx.alice.address, voice, 120);
    expect(res.status).to.equal(200);
    const { result } = (await res.json()) as { result: JobResult };
    expect(result.attestation!.recipient).to.equal(fx.alice.address);
    const again = await submit(token, fx.alice.address, voice);
    expect(again.status).to.equal(429);
    expect(((await again.json()) as { detail: string }).detail).to.match(
      new RegExp(`^${fx.alice.address} already has 1 attested recording\\(s\\) in round \\d+ of the reward`),
    );
  });

  it("limits one API key's attestations per hour (429 with Retry-After), and a refused recording costs none", async function () {
    const token = createKey(config.dataDir, ["prove"], 1000, "hourly");
    expect(
      (
        await submit(
          token,
          fx.carol.address,
          synth(() => 0),
        )
      ).status,
    ).to.equal(422);
    for (const who of [fx.carol.address, fx.bot.address]) expect((await submit(token, who, voice)).status).to.equal(202);
    const third = await submit(token, fx.owner.address, voice);
    expect(third.status).to.equal(429);
    const retryAfter = Number(third.headers.get("retry-after"));
    expect(retryAfter).to.be.within(1, 3600);
    expect(((await third.json()) as { detail: string }).detail).to.match(/used its 2 attested recordings for this hour; retry in \d+ s/);
    // Another key still has its own hour.
    expect((await submit(createKey(config.dataDir, ["prove"], 1000, "other"), fx.owner.address, voice)).status).to.equal(202);
  });
});

describe("proving service on Redis: the API gates recordings and counts attestations in Redis", function () {
  let redis: LocalRedis;
  let fx: Awaited<ReturnType<typeof deployRewardFixture>>;
  let rewardAddress: string;
  const running: { service: RunningService; config: ServiceConfig }[] = [];
  let silence: Uint8Array;
  let voice: Uint8Array;

  /** An API on the shared Redis (no worker runs here, so jobs stay queued and it needs no attester key). */
  async function api(env: NodeJS.ProcessEnv, reward: boolean) {
    const config = await testServiceConfig([MODEL], { ZK_REDIS_URL: redis.url, ...env });
    if (reward) config.reward = rewardAddress;
    const service = await startService(config, {
      extractFeatures,
      reward: reward ? await chainRewardSource(fx.connection, rewardAddress, MODEL) : undefined,
    });
    running.push({ service, config });
    const token = createKey(config.dataDir);
    const post = (audio: Uint8Array, route = `/v1/models/${MODEL}/proofs`) => {
      const form = new FormData();
      form.set("address", fx.alice.address);
      form.set("audio", new Blob([audio], { type: "audio/wav" }), "take.wav");
      return fetch(`${service.url}${route}`, { method: "POST", headers: bearer(token), body: form });
    };
    return post;
  }

  before(async function () {
    await buildModel(MODEL);
    redis = await startRedis();
    fx = await deployRewardFixture({ threshold: 0 });
    rewardAddress = await (await fx.deployReward({ attester: fx.attester.address, threshold: 0 })).getAddress();
    silence = new Uint8Array(await readFile(path.join(FIXTURES, "silence-22050-s16.wav")));
    voice = new Uint8Array(await readFile(path.join(FIXTURES, "speech-22050-s16.wav")));
  });
  after(async function () {
    for (const { service, config } of running) {
      await service.close();
      await removeDir(config.dataDir);
    }
    await redis?.stop();
  });

  it("refuses silence with 422, queues a voice, and answers a second voice for the same recipient with 429", async function () {
    const post = await api({ ZK_QUOTA_RECIPIENT_ROUND: "1" }, true);
    const silent = await post(silence);
    expect(silent.status).to.equal(422);
    expect(((await silent.json()) as { detail: string }).detail).to.match(/^recording refused: too quiet/);
    expect((await post(voice)).status).to.equal(202);
    expect((await post(voice)).status).to.equal(429);
    const counted = new Redis(redis.url);
    try {
      const keys = await counted.keys("zk-quota:*");
      expect(keys.some((k) => k.startsWith(`zk-quota:recipient:`) && k.endsWith(fx.alice.address.toLowerCase()))).to.equal(true);
    } finally {
      await counted.quit();
    }
  });

  it("ZK_GATE=off does not turn the gate off for an attested reward", async function () {
    const post = await api({ ZK_GATE: "off" }, true);
    expect((await post(silence)).status).to.equal(422);
  });

  it("without a reward the gate refuses silence on both routes by default, and ZK_GATE=off lets it be queued", async function () {
    const gated = await api({}, false);
    expect((await gated(silence)).status).to.equal(422);
    const legacy = await gated(silence, "/prove");
    expect(legacy.status).to.equal(422);
    expect(((await legacy.json()) as { detail: string }).detail).to.match(/^recording refused: too quiet/);
    const open = await api({ ZK_GATE: "off" }, false);
    expect((await open(silence)).status).to.equal(202);
  });
});
