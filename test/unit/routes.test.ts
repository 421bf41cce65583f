import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { buildApp } from "@hardhat-zkml/server/app.js";
import { KeyStore } from "@hardhat-zkml/server/key-store.js";
import { ServiceMetrics } from "@hardhat-zkml/server/metrics.js";
import { FakeQueue, HTTP_OPTIONS as OPTIONS, SCORER } from "../helpers/fake-queue.js";

describe("HTTP routes (buildApp + inject, a fake queue)", function () {
  let app: FastifyInstance;
  let queue: FakeQueue;
  let keys: KeyStore;
  let prove: string;
  let admin: string;
  let slow: string;

  beforeEach(async function () {
    queue = new FakeQueue();
    keys = new KeyStore(":memory:");
    prove = keys.create("client", ["prove"], 1000).token;
    admin = keys.create("operator", ["prove", "admin"], 1000).token;
    slow = keys.create("slow", ["prove"], 2).token;
    app = await buildApp({
      catalog: new Map([[SCORER.name, SCORER]]),
      queue,
      keys,
      metrics: new ServiceMetrics(() => queue.depth()),
      verifyProof: async () => true,
      options: OPTIONS,
    });
  });
  afterEach(async function () {
    await app.close();
    keys.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const submit = (body: unknown, token = prove, headers: Record<string, string> = {}) =>
    app.inject({ method: "POST", url: "/v1/models/scorer/proofs", headers: { ...auth(token), ...headers }, payload: body as object });

  it("queues a valid request: 202 with the job, its Location, and the request as the queue got it", async function () {
    const res = await submit({ features: [0.5, -0.5, 0, 1] });
    expect(res.statusCode).to.equal(202);
    const job = res.json() as { id: string; status: string };
    expect(job.status).to.equal("queued");
    expect(res.headers.location).to.equal(`/v1/jobs/${job.id}`);
    expect(queue.jobs.get(job.id)!.request).to.include({ model: "scorer", artifactsId: SCORER.artifactsId });
    expect(queue.jobs.get(job.id)!.request.inputs).to.deep.equal([[0.5, -0.5, 0, 1]]);
  });

  it("answers 401 without a key or with a wrong one, 403 without the route's scope, as problem+json", async function () {
    const none = await app.inject({ method: "GET", url: "/v1/models" });
    expect(none.statusCode).to.equal(401);
    expect(none.headers["content-type"]).to.match(/^application\/problem\+json/);
    expect((await app.inject({ method: "GET", url: "/v1/models", headers: auth("zk_nope_nope") })).statusCode).to.equal(401);
    expect((await app.inject({ method: "GET", url: "/metrics", headers: auth(prove) })).statusCode).to.equal(403);
    expect((await app.inject({ method: "GET", url: "/metrics", headers: auth(admin) })).statusCode).to.equal(200);
  });

  it("validates strictly: no coercion, unknown fields named, the count and range checked, nothing queued", async function () {
    const cases: [unknown, RegExp][] = [
      [{ features: [null, 0, 0, 0] }, /body\/features\/0 must be number/],
      [{ features: ["1", 0, 0, 0] }, /body\/features\/0 must be number/],
      [{ features: [0, 0, 0, 0], extra: 1 }, /unknown field "extra"/],
      [{ features: [0, 0, 0] }, /features/],
      [{ features: [0, 0, 0, 5] }, /features\/3/],
      [{}, /send exactly one of inputs .* or features/],
    ];
    for (const [body, detail] of cases) {
      const res = await submit(body);
      expect(res.statusCode, JSON.stringify(body)).to.equal(400);
      expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
      expect((res.json() as { detail: string }).detail, JSON.stringify(body)).to.match(detail);
    }
    expect(queue.jobs.size).to.equal(0);
  });

  it("answers 413 for a body over the limit, 404 for an unknown model, 405 for an undeclared method", async function () {
    expect((await submit({ features: new Array(3000).fill(0) })).statusCode).to.equal(413);
    const unknown = await app.inject({ method: "POST", url: "/v1/models/nope/proofs", headers: auth(prove), payload: { features: [0] } });
    expect(unknown.statusCode).to.equal(404);
    const put = await app.inject({ method: "PUT", url: "/v1/models/scorer/proofs", headers: auth(prove) });
    expect(put.statusCode).to.equal(405);
    expect(put.headers.allow).to.match(/POST/);
  });

  it("replays an idempotent request as the first answer, and refuses the same key with another body (422)", async function () {
    const first = await submit({ features: [0, 0, 0, 0] }, prove, { "idempotency-key": "k1" });
    const again = await submit({ features: [0, 0, 0, 0] }, prove, { "idempotency-key": "k1" });
    expect(again.statusCode).to.equal(first.statusCode);
    expect((again.json() as { id: string }).id).to.equal((first.json() as { id: string }).id);
    expect((await submit({ features: [1, 0, 0, 0] }, prove, { "idempotency-key": "k1" })).statusCode).to.equal(422);
    expect(queue.jobs.size).to.equal(1);
  });

  it("rate-limits a key past its requests per minute (429 with Retry-After)", async function () {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: "GET", url: "/v1/models", headers: auth(slow) })).statusCode);
    expect(statuses).to.deep.equal([200, 200, 429]);
    const limited = await app.inject({ method: "GET", url: "/v1/models", headers: auth(slow) });
    expect(limited.headers["retry-after"]).to.match(/^\d+$/);
  });

  it("counts wrong keys per client address: past the limit even a valid key is answered 429", async function () {
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ method: "GET", url: "/v1/models", headers: auth(`zk_bad_${i}`) })).statusCode).to.equal(401);
    expect((await app.inject({ method: "GET", url: "/v1/models", headers: auth(prove) })).statusCode).to.equal(429);
  });

  it("sends CORS headers to a configured origin only", async function () {
    const allowed = await app.inject({ method: "GET", url: "/health", headers: { origin: "http://127.0.0.1:5173" } });
    expect(allowed.headers["access-control-allow-origin"]).to.equal("http://127.0.0.1:5173");
    const other = await app.inject({ method: "GET", url: "/health", headers: { origin: "http://127.0.0.1:9999" } });
    expect(other.headers["access-control-allow-origin"]).to.equal(undefined);
  });

  it("shows a job to its key and to admins, not to another key; cancels a queued job", async function () {
    const { id } = (await submit({ features: [0, 0, 0, 0] })).json() as { id: string };
    expect((await app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(prove) })).statusCode).to.equal(200);
    expect((await app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(admin) })).statusCode).to.equal(200);
    expect(
      (await app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(slow) })).statusCode,
      "another key sees no such job",
    ).to.equal(404);
    expect((await app.inject({ method: "GET", url: "/v1/jobs/job-999", headers: auth(prove) })).statusCode).to.equal(404);
    const canceled = await app.inject({ method: "DELETE", url: `/v1/jobs/${id}`, headers: auth(prove) });
    expect(canceled.statusCode).to.equal(200);
    expect(queue.jobs.get(id)!.status).to.equal("canceled");
  });
});
