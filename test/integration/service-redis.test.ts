import { expect } from "chai";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { CALLBACK_QUEUE } from "@hardhat-zkml/server/queue/redis-callbacks.js";
import { redisOptions } from "@hardhat-zkml/server/queue/redis-connection.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { buildModel } from "../helpers/fixtures.js";
import { spawnHardhat, stop, type Spawned } from "../helpers/processes.js";
import { startRedis, type LocalRedis } from "../helpers/redis.js";
import { ALICE, BOB, bearer, createKey, judgeFeatures, removeDir, testServiceConfig, type JobView } from "../helpers/service.js";
import { waitFor } from "../helpers/wait.js";

type Job = JobView;

const SECRET = "s3cret";

describe("proving service: Redis queue and zk worker processes", function () {
  let redis: LocalRedis;
  let config: ServiceConfig;
  let service: RunningService;
  let token: string;
  const workers: Spawned[] = [];

  const startWorker = () => {
    // A short lock: a dead worker's job is taken over within seconds.
    const w = spawnHardhat(["zk", "worker", "--redis", redis.url, "--concurrency", "1"], {
      ZK_LOCK_DURATION_MS: "4000",
      ZK_CALLBACK_SECRET: SECRET,
      ZK_CALLBACK_ALLOW: "127.0.0.1/32",
    });
    workers.push(w);
    return w;
  };
  const submit = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, job: (await res.json()) as Job };
  };
  const view = async (id: string) => (await (await fetch(`${service.url}/v1/jobs/${id}`, { headers: bearer(token) })).json()) as Job;

  before(async function () {
    await buildModel("voiceJudgeSmall");
    redis = await startRedis();
    config = await testServiceConfig(["voiceJudgeSmall"], {
      ZK_REDIS_URL: redis.url,
      ZK_CALLBACK_SECRET: SECRET,
      ZK_CALLBACK_ALLOW: "127.0.0.1/32",
    });
    token = createKey(config.dataDir);
    service = await startService(config);
  });
  after(async function () {
    for (const w of workers) await stop(w, "SIGKILL");
    await service?.close();
    await redis?.stop();
    await removeDir(config.dataDir);
  });

  it("a worker killed with SIGKILL mid-proof: its job completes on another worker", async function () {
    const a = startWorker();
    const b = startWorker();
    await Promise.all([a.waitFor(/worker ready/), b.waitFor(/worker ready/)]);
    const features = await judgeFeatures();
    const { status, job } = await submit({ features, prover: ALICE }, { "idempotency-key": "redis-1" });
    expect(status).to.equal(202);
    const replay = await submit({ features, prover: ALICE }, { "idempotency-key": "redis-1" });
    expect([replay.status, replay.job.id]).to.deep.equal([202, job.id]); // answered as the first request was
    expect((await submit({ features, prover: BOB }, { "idempotency-key": "redis-1" })).status).to.equal(422);

    const started = new RegExp(`job ${job.id} \\(voiceJudgeSmall\\) attempt 1`);
    const first = await Promise.any([a.waitFor(started).then(() => a), b.waitFor(started).then(() => b)]);
    const other = first === a ? b : a;
    // Killed inside the proof: the worker reports each stage of the job (features, witness, proving, verifying).
    const running = await waitFor("the job to reach the proof", async () => {
      const j = await view(job.id);
      return j.status === "running" && j.stage === "proving" && j;
    });
    expect(running.status).to.equal("running");
    await stop(first, "SIGKILL");

    await other.waitFor(new RegExp(`job ${job.id} done`), 240_000);
    const done = await waitFor("the job to be recorded as succeeded", async () => {
      const j = await view(job.id);
      return j.status !== "running" && j;
    });
    expect(done.status).to.equal("succeeded");
    expect(first.output()).to.not.match(new RegExp(`job ${job.id} done`));
    const result = (await (await fetch(`${service.url}${job.links.result}`, { headers: bearer(token) })).json()) as {
      verified: boolean;
      boundAddress: string;
    };
    expect(result.verified).to.equal(true);
    expect(result.boundAddress).to.equal(ALICE);
    const valid = await fetch(`${service.url}/v1/verify`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ model: "voiceJudgeSmall", proof: (result as unknown as { proof: unknown }).proof }),
    });
    expect(await valid.json()).to.deep.equal({ valid: true });
  });

  it("cancels a queued job on the Redis queue", async function () {
    const features = await judgeFeatures();
    // One worker left, busy with the first job: the second waits.
    const busy = (await submit({ features, prover: ALICE })).job;
    const queued = (await submit({ features, prover: ALICE })).job;
    expect(((await view(queued.id)) as Job & { queuePosition?: number }).queuePosition).to.be.within(0, 1);
    const res = await fetch(`${service.url}/v1/jobs/${queued.id}`, { method: "DELETE", headers: bearer(token) });
    expect(res.status).to.equal(200);
    expect(((await res.json()) as Job).status).to.equal("canceled");
    expect((await view(queued.id)).status).to.equal("canceled");
    await service.queue.waitUntilFinished(busy.id, 240_000);
    expect((await view(busy.id)).status).to.equal("succeeded");
  });

  it("a callback owed by a worker that dies between retries is delivered by the next worker", async function () {
    const deliveries: { attempt: string; body: { id: string; status: string } }[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        deliveries.push({ attempt: String(req.headers["x-zk-attempt"]), body: JSON.parse(body) as { id: string; status: string } });
        res.statusCode = deliveries.length === 1 ? 503 : 204; // the first attempt fails
        res.end();
      });
    });
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");
    try {
      const alive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      expect(alive).to.have.length(1);
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const { job } = await submit({ features: await judgeFeatures(), prover: ALICE, callbackUrl });
      await waitFor("the first callback attempt", () => deliveries.length > 0, { timeoutMs: 120_000 });
      expect(deliveries.map((d) => d.attempt)).to.deep.equal(["1"]);
      // Kill the worker once it has recorded the failed attempt (the callback job waits for
      // its retry, due in 1 s), not while it still reads the 503: no worker is left to retry.
      const callbacks = new Queue(CALLBACK_QUEUE, { connection: redisOptions(redis.url) });
      try {
        const cb = `cb-${job.id}`;
        const state = await waitFor(
          "the first attempt to be recorded as failed",
          async () => {
            const s = (await (await callbacks.getJob(cb))?.getState()) ?? "";
            return (s === "delayed" || s === "waiting") && s;
          },
          { timeoutMs: 2000, intervalMs: 20 },
        );
        expect(state, "the first attempt recorded as failed").to.be.oneOf(["delayed", "waiting"]);
      } finally {
        await callbacks.close();
      }
      await stop(alive[0]!, "SIGKILL");

      const next = startWorker();
      await next.waitFor(/worker ready/);
      await waitFor("the retried callback", () => deliveries.length >= 2, { timeoutMs: 30_000 });
      expect(deliveries.map((d) => d.attempt)).to.deep.equal(["1", "2"]);
      expect(deliveries[1]!.body).to.include({ id: job.id, status: "succeeded" });
    } finally {
      receiver.close();
    }
  });
});

describe("proving service: failed authentications counted in Redis", function () {
  it("two API processes on one Redis share the count: wrong keys sent to one make the other answer 429", async function () {
    await buildModel("voiceJudgeSmall");
    const redis = await startRedis();
    const env = { ZK_REDIS_URL: redis.url, ZK_AUTH_FAILURE_LIMIT: "2" };
    const configs = [await testServiceConfig(["voiceJudgeSmall"], env), await testServiceConfig(["voiceJudgeSmall"], env)];
    const services: RunningService[] = [];
    try {
      for (const c of configs) services.push(await startService(c));
      const [a, b] = services as [RunningService, RunningService];
      const token = createKey(configs[1]!.dataDir);
      expect((await fetch(`${b.url}/v1/models`, { headers: bearer(token) })).status).to.equal(200);
      for (let i = 0; i < 2; i++) expect((await fetch(`${a.url}/v1/models`, { headers: bearer(`zk_guess${i}`) })).status).to.equal(401);
      expect((await fetch(`${b.url}/v1/models`, { headers: bearer(token) })).status).to.equal(429);
    } finally {
      for (const s of services) await s.close();
      await redis.stop();
      for (const c of configs) await removeDir(c.dataDir);
    }
  });
});
