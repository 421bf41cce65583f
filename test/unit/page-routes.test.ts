import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import { buildApp, type PageOptions, type ServiceDeps } from "@hardhat-zkml/server/app.js";
import type { JobResult } from "@hardhat-zkml/server/job-types.js";
import { KeyStore } from "@hardhat-zkml/server/key-store.js";
import { ServiceMetrics } from "@hardhat-zkml/server/metrics.js";
import { artifactReader } from "@hardhat-zkml/server/model-artifacts.js";
import type { ServedModel } from "@hardhat-zkml/server/model-catalog.js";
import { SqlitePageSessionStore } from "@hardhat-zkml/server/page-sessions.js";
import { SqliteQuotaCounter } from "@hardhat-zkml/server/quotas.js";
import { BUILD_HINT } from "@hardhat-zkml/server/routes/web.js";
import type { ModelFiles } from "@hardhat-zkml/core/prover/model-files.js";
import type { RewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import { FakeQueue, HTTP_OPTIONS, SCORER } from "../helpers/fake-queue.js";

/** A judge: an address bound at input 1 / output 0, a score at output 1 (scale 7). */
const JUDGE: ServedModel = {
  ...SCORER,
  name: "judge",
  inputs: [{ name: "x", index: 0, shape: [1, 4], elements: 4 }],
  instances: [
    { index: 0, source: "output", tensor: 0, element: 0, scale: 0 },
    { index: 1, source: "output", tensor: 1, element: 0, scale: 7 },
  ],
  boundAddress: { input: 1, output: 0 },
  judge: true,
};

/** The address inject() requests come to, so the server's own origin. */
const OWN = "http://localhost:80";
const DEV = "http://127.0.0.1:5173";
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const RECORDING = path.join(hre.config.paths.root, "test", "fixtures", "audio", "speech-22050-s16.wav");

const TERMS: RewardTerms = {
  address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  chainId: 31337n,
  round: 2n,
  attester: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  domainBound: true,
  threshold: 64n,
  rewardAmount: 10n ** 18n,
  commitment: { source: 0, at: 0n, length: 4n },
};

const FILES = {
  settings: new TextEncoder().encode('{"run_args":{}}'),
  compiled: new Uint8Array([1, 2, 3]),
  vk: new Uint8Array([4, 5]),
  pk: new Uint8Array([6, 7, 8, 9]),
  srs: new Uint8Array([10]),
} as unknown as ModelFiles;

describe("page sessions, page config, job events, model files, the page (buildApp + inject)", function () {
  let app: FastifyInstance;
  let queue: FakeQueue;
  let keys: KeyStore;
  let sessions: SqlitePageSessionStore;
  let counter: SqliteQuotaCounter;
  let admin: string;
  let webDir: string;

  const pageOptions = (o: Partial<PageOptions> = {}): PageOptions => ({
    origins: [DEV],
    sessionsPerHour: 3,
    proofsPerSession: 2,
    ttlSeconds: 900,
    webDir,
    ...o,
  });
  const start = async (deps: Partial<ServiceDeps> = {}, page: PageOptions | null = pageOptions()) => {
    await app?.close();
    app = await buildApp({
      catalog: new Map([
        [SCORER.name, SCORER],
        [JUDGE.name, JUDGE],
      ]),
      queue,
      keys,
      metrics: new ServiceMetrics(() => queue.depth()),
      verifyProof: async () => true,
      extractFeatures: async () => [0, 0, 0, 0],
      page: page === null ? undefined : { sessions, proofs: counter, options: page },
      readArtifact: artifactReader(async () => FILES),
      options: { ...HTTP_OPTIONS, defaultModel: JUDGE.name, jobEvents: { pollMs: 20, heartbeatMs: 60 } },
      ...deps,
    });
  };

  before(async function () {
    webDir = await mkdtemp(path.join(tmpdir(), "zk-web-"));
    await writeFile(path.join(webDir, "index.html"), "<!doctype html><title>singer</title>");
    await writeFile(path.join(webDir, "app.js"), "console.log('page');");
  });
  after(() => rm(webDir, { recursive: true, force: true }));
  beforeEach(async function () {
    queue = new FakeQueue();
    keys = new KeyStore(":memory:");
    sessions = new SqlitePageSessionStore(":memory:");
    counter = new SqliteQuotaCounter(":memory:");
    admin = keys.create("operator", ["prove", "admin"], 1000).token;
    await start();
  });
  afterEach(async function () {
    await app.close();
    keys.close();
    sessions.close();
    counter.close();
  });

  const open = (origin: string | null = OWN, remoteAddress = "127.0.0.1") =>
    app.inject({
      method: "POST",
      url: "/v1/page-sessions",
      headers: origin === null ? {} : { origin },
      payload: {},
      remoteAddress,
    });
  const session = async (origin = OWN) => {
    const res = await open(origin);
    expect(res.statusCode, res.body).to.equal(201);
    return (res.json() as { token: string }).token;
  };
  const as = (token: string, origin: string | null = OWN) => ({
    authorization: `Bearer ${token}`,
    ...(origin === null ? {} : { origin }),
  });
  const recordingForm = async (address = ALICE) => {
    const boundary = "----zkpage";
    const wav = await readFile(RECORDING);
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="address"\r\n\r\n${address}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="r.wav"\r\nContent-Type: audio/wav\r\n\r\n`;
    return {
      payload: Buffer.concat([Buffer.from(head), wav, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    };
  };
  const proveRecording = async (token: string, model = JUDGE.name, origin = OWN) => {
    const form = await recordingForm();
    return app.inject({
      method: "POST",
      url: `/v1/models/${model}/proofs`,
      headers: { ...as(token, origin), ...form.headers },
      payload: form.payload,
    });
  };

  it("opens a session from the server's own origin or a ZK_PAGE_ORIGINS one; a foreign or missing Origin is 403", async function () {
    const res = await open(OWN);
    expect(res.statusCode).to.equal(201);
    const body = res.json() as { token: string; expiresAt: string; limits: { proofs: number } };
    expect(body.token).to.match(/^ps_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - Date.now()).to.be.within(890_000, 900_000);
    expect(body.limits).to.deep.equal({ proofs: 2 });
    expect((await open(DEV)).statusCode).to.equal(201);
    const foreign = await open("http://127.0.0.1:6666");
    expect(foreign.statusCode).to.equal(403);
    expect((foreign.json() as { detail: string }).detail).to.match(/only from this server's page \(http:\/\/localhost:80\)/);
    expect((await open(null)).statusCode).to.equal(403);
  });

  it("limits sessions per client address per hour: 429 with Retry-After, another address still gets one", async function () {
    for (let i = 0; i < 3; i++) expect((await open(OWN, "127.0.0.9")).statusCode).to.equal(201);
    const over = await open(OWN, "127.0.0.9");
    expect(over.statusCode).to.equal(429);
    expect(Number(over.headers["retry-after"])).to.be.within(1, 3600);
    expect((over.json() as { detail: string }).detail).to.match(/opened 3 page sessions in the last hour/);
    expect((await open(OWN, "127.0.0.10")).statusCode).to.equal(201);
  });

  it("lets a session list models and prove recordings for judge models, only from its own origin; everything else is 403", async function () {
    const token = await session();
    expect((await app.inject({ method: "GET", url: "/v1/models", headers: as(token) })).statusCode).to.equal(200);
    expect((await app.inject({ method: "GET", url: "/v1/models/judge", headers: as(token) })).statusCode).to.equal(200);
    const elsewhere = await app.inject({ method: "GET", url: "/v1/models", headers: as(token, DEV) });
    expect(elsewhere.statusCode).to.equal(403);
    expect((elsewhere.json() as { detail: string }).detail).to.equal(
      `this page session belongs to the page at ${OWN}; send it from that page`,
    );
    expect((await app.inject({ method: "GET", url: "/v1/models", headers: as(token, null) })).statusCode).to.equal(403);
    expect((await app.inject({ method: "GET", url: "/metrics", headers: as(token) })).statusCode).to.equal(403);
    const json = await app.inject({
      method: "POST",
      url: "/v1/models/judge/proofs",
      headers: as(token),
      payload: { features: [0, 0, 0, 0], prover: ALICE },
    });
    expect(json.statusCode).to.equal(403);
    expect((json.json() as { detail: string }).detail).to.match(/sends recordings only/);
    const notJudge = await proveRecording(token, SCORER.name);
    expect(notJudge.statusCode).to.equal(403);
    expect((notJudge.json() as { detail: string }).detail).to.match(/judge models only/);
    const proved = await proveRecording(token);
    expect(proved.statusCode, proved.body).to.equal(202);
    const id = (proved.json() as { id: string }).id;
    expect(queue.jobs.get(id)!.request.keyId).to.match(/^page:[0-9a-f]{16}$/);
    expect((await app.inject({ method: "DELETE", url: `/v1/jobs/${id}`, headers: as(token) })).statusCode).to.equal(403);
    expect((await app.inject({ method: "POST", url: "/v1/verify", headers: as(token), payload: {} })).statusCode).to.equal(403);
    expect(queue.jobs.get(id)!.status).to.equal("queued");
  });

  it("takes a same-origin GET without Origin (browsers leave it out) by Sec-Fetch-Site: same-origin; cross-site without Origin is 403", async function () {
    const token = await session();
    const auth = { authorization: `Bearer ${token}` };
    const same = await app.inject({ method: "GET", url: "/v1/models", headers: { ...auth, "sec-fetch-site": "same-origin" } });
    expect(same.statusCode).to.equal(200);
    const cross = await app.inject({ method: "GET", url: "/v1/models", headers: { ...auth, "sec-fetch-site": "cross-site" } });
    expect(cross.statusCode).to.equal(403);
    const dev = await session(DEV);
    const fromOwn = await app.inject({
      method: "GET",
      url: "/v1/models",
      headers: { authorization: `Bearer ${dev}`, "sec-fetch-site": "same-origin" },
    });
    expect(fromOwn.statusCode, "a session of the development origin is not the server's own page's").to.equal(403);
  });

  it("shows a session its own jobs only: another session's job is 403, an admin key sees it", async function () {
    const mine = await session();
    const theirs = await session();
    const id = ((await proveRecording(mine)).json() as { id: string }).id;
    expect((await app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: as(mine) })).statusCode).to.equal(200);
    const other = await app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: as(theirs) });
    expect(other.statusCode).to.equal(403);
    expect((other.json() as { detail: string }).detail).to.equal(`job ${id} was not created by this page session`);
    expect((await app.inject({ method: "GET", url: `/v1/jobs/${id}/result`, headers: as(theirs) })).statusCode).to.equal(403);
    expect((await app.inject({ method: "GET", url: `/v1/jobs/${id}/events`, headers: as(theirs) })).statusCode).to.equal(403);
    expect((await app.inject({ method: "POST", url: `/v1/jobs/${id}/claim`, headers: as(theirs), payload: {} })).statusCode).to.equal(403);
    expect((await app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: { authorization: `Bearer ${admin}` } })).statusCode).to.equal(
      200,
    );
  });

  it("counts a session's proofs: past ZK_PAGE_SESSION_PROOFS it is 429 in words, a new session may prove again", async function () {
    const token = await session();
    expect((await proveRecording(token)).statusCode).to.equal(202);
    expect((await proveRecording(token)).statusCode).to.equal(202);
    const over = await proveRecording(token);
    expect(over.statusCode).to.equal(429);
    expect((over.json() as { detail: string }).detail).to.equal("this page session has used its 2 proofs; start a new page session");
    expect(queue.jobs.size).to.equal(2);
    expect((await proveRecording(await session())).statusCode).to.equal(202);
  });

  it("refuses an expired session (401: start a new one)", async function () {
    await start({}, pageOptions({ ttlSeconds: 1 }));
    const token = await session();
    expect((await app.inject({ method: "GET", url: "/v1/models", headers: as(token) })).statusCode).to.equal(200);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await app.inject({ method: "GET", url: "/v1/models", headers: as(token) });
    expect(late.statusCode).to.equal(401);
    expect((late.json() as { detail: string }).detail).to.match(/unknown or expired page session; start a new one/);
    const forged = await app.inject({
      method: "GET",
      url: "/v1/models",
      headers: as(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A")),
    });
    expect(forged.statusCode).to.equal(401);
  });

  it("with ZK_PAGE=0 opens no sessions and serves no page; the config says so", async function () {
    await start({}, null);
    expect((await open(OWN)).statusCode).to.equal(404);
    expect((await app.inject({ method: "GET", url: "/" })).statusCode).to.equal(404);
    const config = (await app.inject({ method: "GET", url: "/v1/page/config" })).json() as { pageSessions: boolean };
    expect(config.pageSessions).to.equal(false);
  });

  it("GET /v1/page/config: the model, the reward's threshold as a decimal, its amount in wei and its mode", async function () {
    const none = (await app.inject({ method: "GET", url: "/v1/page/config" })).json();
    expect(none).to.deep.equal({ model: "judge", pageSessions: true, relayer: null, reward: null, expectedProofSeconds: null });
    await start({ reward: { model: "judge", terms: async () => TERMS, ttlSeconds: 3600 } });
    const res = await app.inject({ method: "GET", url: "/v1/page/config" });
    expect(res.statusCode).to.equal(200);
    expect(res.json()).to.deep.equal({
      model: "judge",
      pageSessions: true,
      relayer: null,
      reward: {
        address: TERMS.address,
        chainId: "31337",
        round: "2",
        threshold: "0.5",
        amount: "1000000000000000000",
        mode: "attested",
        domainBound: true,
      },
      expectedProofSeconds: null,
    });
  });

  it("GET /v1/jobs/{id}/events streams the job at once and at each change of status or stage, with heartbeats, and ends", async function () {
    const token = await session();
    const id = ((await proveRecording(token)).json() as { id: string }).id;
    const job = queue.jobs.get(id)!;
    setTimeout(() => Object.assign(job, { status: "running", stage: "features", startedAt: Date.now(), attempts: 1 }), 100);
    setTimeout(() => Object.assign(job, { stage: "proving" }), 200);
    setTimeout(() => Object.assign(job, { status: "succeeded", stage: undefined, finishedAt: Date.now() }), 300);
    const res = await app.inject({ method: "GET", url: `/v1/jobs/${id}/events`, headers: as(token) });
    expect(res.statusCode).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^text\/event-stream/);
    expect(res.headers["cross-origin-embedder-policy"]).to.equal("require-corp");
    const events = res.body
      .split("\n\n")
      .filter((block) => block.startsWith("event: job\n"))
      .map((block) => JSON.parse(block.split("\ndata: ")[1]!) as { id: string; status: string; stage?: string });
    expect(events.map((e) => `${e.status}${e.stage ? `:${e.stage}` : ""}`)).to.deep.equal([
      "queued",
      "running:features",
      "running:proving",
      "succeeded",
    ]);
    expect(events.every((e) => e.id === id)).to.equal(true);
    expect(res.body).to.include(": heartbeat\n\n");
  });

  it("GET /v1/models/{m}/artifacts/{kind}: the bytes, ETag = sha256, cached publicly, 304 on a match; settings as JSON", async function () {
    const token = await session();
    const pk = await app.inject({ method: "GET", url: "/v1/models/judge/artifacts/pk", headers: as(token) });
    expect(pk.statusCode).to.equal(200);
    expect([...pk.rawPayload]).to.deep.equal([6, 7, 8, 9]);
    const sha = createHash("sha256")
      .update(new Uint8Array([6, 7, 8, 9]))
      .digest("hex");
    expect(pk.headers.etag).to.equal(`"${sha}"`);
    expect(pk.headers["cache-control"]).to.equal("public, max-age=3600");
    expect(pk.headers["content-type"]).to.equal("application/octet-stream");
    const again = await app.inject({
      method: "GET",
      url: "/v1/models/judge/artifacts/pk",
      headers: { ...as(token), "if-none-match": `"${sha}"` },
    });
    expect(again.statusCode).to.equal(304);
    const settings = await app.inject({
      method: "GET",
      url: "/v1/models/judge/artifacts/settings",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(settings.headers["content-type"]).to.match(/^application\/json/);
    expect(settings.json()).to.deep.equal({ run_args: {} });
    expect((await app.inject({ method: "GET", url: "/v1/models/judge/artifacts/witness", headers: as(token) })).statusCode).to.equal(400);
    expect((await app.inject({ method: "GET", url: "/v1/models/nope/artifacts/vk", headers: as(token) })).statusCode).to.equal(404);
    expect((await app.inject({ method: "GET", url: "/v1/models/judge/artifacts/vk" })).statusCode).to.equal(401);
  });

  it("POST /v1/jobs/{id}/claim: 409 before the job succeeded, 503 no-relayer when the server has no relayer key", async function () {
    const token = await session();
    const id = ((await proveRecording(token)).json() as { id: string }).id;
    const early = await app.inject({ method: "POST", url: `/v1/jobs/${id}/claim`, headers: as(token), payload: {} });
    expect(early.statusCode).to.equal(409);
    expect(early.json()).to.include({
      type: "urn:hardhat-zkml:problem/not-claimable",
      detail: `job ${id} is queued; claim once it has succeeded`,
    });
    const job = queue.jobs.get(id)!;
    job.request.reward = {
      address: TERMS.address,
      chainId: "31337",
      round: "2",
      domainBound: true,
      commitment: { source: 0, at: "0", length: "4" },
      ttlSeconds: 60,
    };
    Object.assign(job, {
      status: "succeeded",
      result: {
        claim: { function: "claim(address,bytes,uint256[],uint256)", args: [ALICE, "0x", [], "0"] },
        judgment: { recipient: ALICE, score: 0.9, scoreFelt: "0x73" },
        instances: [],
      } as unknown as JobResult,
    });
    const none = await app.inject({ method: "POST", url: `/v1/jobs/${id}/claim`, headers: as(token), payload: { via: "relayer" } });
    expect(none.statusCode).to.equal(503);
    expect(none.json()).to.include({ type: "urn:hardhat-zkml:problem/no-relayer", title: "no relayer" });
    expect((none.json() as { detail: string }).detail).to.match(/no ZK_RELAYER_KEY/);
    const bad = await app.inject({ method: "POST", url: `/v1/jobs/${id}/claim`, headers: as(token), payload: { via: "wallet" } });
    expect(bad.statusCode).to.equal(400);
  });

  it("serves the built page at / and its files, with COOP/COEP/CORP on the page, the API and problems", async function () {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).to.equal(200);
    expect(page.body).to.include("<title>singer</title>");
    const script = await app.inject({ method: "GET", url: "/app.js" });
    expect(script.statusCode).to.equal(200);
    for (const res of [
      page,
      script,
      await app.inject({ method: "GET", url: "/health" }),
      await app.inject({ method: "GET", url: "/v1/nothing" }),
    ]) {
      expect(res.headers["cross-origin-opener-policy"]).to.equal("same-origin");
      expect(res.headers["cross-origin-embedder-policy"]).to.equal("require-corp");
      expect(res.headers["cross-origin-resource-policy"]).to.equal("same-origin");
    }
    expect((await app.inject({ method: "GET", url: "/v1/nothing" })).statusCode).to.equal(404);
  });

  it("without a built page, / says how to build it in one line", async function () {
    await start({}, pageOptions({ webDir: undefined }));
    const res = await app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).to.equal(404);
    expect(res.body).to.equal(BUILD_HINT + "\n");
    expect(res.body).to.include("npm run build -w @hardhat-zkml/web");
  });

  it("lists the new routes in /openapi.json with their problem answers, and leaves the page out", async function () {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const [p, method] of [
      ["/v1/page-sessions", "post"],
      ["/v1/page/config", "get"],
      ["/v1/jobs/{id}/events", "get"],
      ["/v1/jobs/{id}/claim", "post"],
      ["/v1/models/{model}/artifacts/{kind}", "get"],
    ] as const) {
      expect(doc.paths[p]?.[method], `${method} ${p}`).to.not.equal(undefined);
    }
    expect(Object.keys(doc.paths["/v1/jobs/{id}/claim"]!.post!.responses)).to.include.members([
      "200",
      "401",
      "403",
      "409",
      "422",
      "429",
      "503",
    ]);
    expect(doc.paths["/"]).to.equal(undefined);
    expect(doc.paths["/app.js"]).to.equal(undefined);
  });
});
