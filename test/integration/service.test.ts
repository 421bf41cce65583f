import { expect } from "chai";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { buildModel } from "../helpers/fixtures.js";
import { callbackStateOf, waitFor } from "../helpers/wait.js";
import {
  ALICE,
  BOB,
  bearer,
  createKey,
  judgeFeatures,
  proveJsonAndWait,
  removeDir,
  testServiceConfig,
  withJudgeService,
  type JobView,
} from "../helpers/service.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";

type Job = JobView;

describe("proving service (embedded)", function () {
  let config: ServiceConfig;
  let service: RunningService;
  let prove: string;
  let admin: string;
  let features: number[];

  const api = (route: string, init: RequestInit & { token?: string } = {}) =>
    fetch(service.url + route, {
      ...init,
      headers: {
        ...(init.token ? bearer(init.token) : {}),
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const submit = (body: unknown, extra: { token?: string; headers?: Record<string, string>; query?: string } = {}) =>
    api(`/v1/models/voiceJudgeSmall/proofs${extra.query ?? ""}`, {
      method: "POST",
      body: JSON.stringify(body),
      token: extra.token ?? prove,
      headers: extra.headers,
    });

  before(async function () {
    await buildModel("voiceJudgeSmall");
    config = await testServiceConfig(
      ["voiceJudgeSmall"],
      {
        ZK_CALLBACK_SECRET: "s3cret",
        ZK_CALLBACK_ALLOW: "127.0.0.1/32,[::1]",
        ZK_CORS_ORIGINS: "https://app.example",
        ZK_BODY_LIMIT: "65536",
      },
      { concurrency: 1 },
    );
    prove = createKey(config.dataDir, ["prove"]);
    admin = createKey(config.dataDir, ["admin"]);
    features = await judgeFeatures();
    service = await startService(config);
  });
  after(async function () {
    await service?.close();
    await removeDir(config.dataDir);
  });

  it("serves /health and /openapi.json without a key; the document lists every route", async function () {
    expect((await api("/health")).status).to.equal(200);
    const doc = (await (await api("/openapi.json")).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).to.match(/^3\./);
    for (const p of [
      "/v1/models/{model}/proofs",
      "/v1/jobs/{id}",
      "/v1/jobs/{id}/result",
      "/v1/models",
      "/v1/verify",
      "/v1/calldata/verifier",
      "/v1/calldata/attester",
      "/service_output",
      "/get_verifier_calldata",
      "/get_data_attester_calldata",
      "/generate_witness",
      "/metrics",
      "/ready",
    ]) {
      expect(doc.paths, p).to.have.property(p);
    }
  });

  it("answers 401 without a key or with a wrong one, 403 without the route's scope", async function () {
    const none = await api("/v1/models");
    expect(none.status).to.equal(401);
    expect(none.headers.get("content-type")).to.match(/application\/problem\+json/);
    expect((await api("/v1/models", { token: prove.slice(0, -4) + "AAAA" })).status).to.equal(401);
    expect((await api("/v1/models", { token: "zk_nothing" })).status).to.equal(401);
    expect((await api("/metrics", { token: prove })).status).to.equal(403);
    expect((await api("/metrics", { token: admin })).status).to.equal(200);
  });

  it("lists the served model with its input shape, instance layout, SRS kind and verifier", async function () {
    const res = await api("/v1/models/voiceJudgeSmall", { token: prove });
    expect(res.status).to.equal(200);
    const m = (await res.json()) as {
      inputs: { name: string; elements: number }[];
      instances: unknown[];
      judge: boolean;
      srs: { source: string };
      contracts: { contract: string }[];
    };
    // ONNX input 0 is the bound address (boundAddress.input), so the one input a client sends is ONNX input 1;
    // its range is the calibration data's 0.2154..1 widened by ezkl's lookup margin (2x).
    expect(m.inputs).to.deep.equal([{ name: "x", index: 1, shape: [1, 1, 16, 20], elements: 320, min: 0, max: 2 }]);
    expect(m.instances).to.have.length(2);
    expect(m.judge).to.equal(true);
    expect(m.srs.source).to.equal("dev");
    expect(m.contracts[0]!.contract).to.equal("VoiceJudgeSmallVerifier");
    expect((await api("/v1/models/nope", { token: prove })).status).to.equal(404);
  });

  it("rejects malformed submissions with 400 problem details, an oversized body with 413", async function () {
    const short = await submit({ features: [1, 2, 3], prover: ALICE });
    expect(short.status).to.equal(400);
    expect(((await short.json()) as { detail: string }).detail).to.equal("body/features must NOT have fewer than 320 items");
    expect((await submit({ features })).status).to.equal(400); // no prover address
    expect((await submit({ features: features.map(() => "loud"), prover: ALICE })).status).to.equal(400);
    expect((await submit({ features: new Array(20_000).fill(0.5), prover: ALICE })).status).to.equal(413);
  });

  let firstJobId: string;
  let proved: { proof: { instances: string[][] }; verifierCalldata: string };

  it("queues a proof (202, id, links, Location); a replay of its Idempotency-Key answers 202 with that job, before and after it ends", async function () {
    const res = await submit({ features, prover: ALICE }, { headers: { "idempotency-key": "order-17" } });
    expect(res.status).to.equal(202);
    const job = (await res.json()) as Job;
    expect(job.links.self).to.equal(`/v1/jobs/${job.id}`);
    expect(res.headers.get("location")).to.equal(`/v1/jobs/${job.id}`);
    expect(["queued", "running"]).to.include(job.status);

    // A replay answers as the first request did, whatever its ?wait: 202 and the job (not its result).
    const replay = await submit({ features, prover: ALICE }, { query: "?wait=120", headers: { "idempotency-key": "order-17" } });
    expect(replay.status).to.equal(202);
    expect(replay.headers.get("location")).to.equal(`/v1/jobs/${job.id}`);
    expect(((await replay.json()) as Job).id).to.equal(job.id);
    await service.queue.waitUntilFinished(job.id, 120_000);
    const after = await submit({ features, prover: ALICE }, { headers: { "idempotency-key": "order-17" } });
    expect(after.status).to.equal(202);
    const finished = (await after.json()) as Job & { result?: unknown; job?: unknown };
    expect(finished).to.include({ id: job.id, status: "succeeded" });
    expect(finished).to.not.have.any.keys("job", "result");
    const other = await submit({ features, prover: BOB }, { headers: { "idempotency-key": "order-17" } });
    expect(other.status).to.equal(422);
    expect(((await other.json()) as { detail: string }).detail).to.match(
      /^Idempotency-Key "order-17" was first used with a different request/,
    );

    const result = (await (await api(job.links.result, { token: prove })).json()) as typeof proved & {
      verified: boolean;
      judgment: { recipient: string; score: number };
      claim: { function: string; args: [string, string, string[], string] };
      instances: { source: string; value: number | null; address?: string }[];
    };
    expect(result.verified).to.equal(true);
    expect(result.judgment.recipient).to.equal(ALICE);
    expect(result.judgment.score).to.be.greaterThan(0.5);
    expect(result.claim.function).to.equal("claim(address,bytes,uint256[],uint256)");
    expect(result.claim.args[0]).to.equal(ALICE);
    expect(BigInt(result.claim.args[2][0]!)).to.equal(BigInt(ALICE));
    expect(result.verifierCalldata.slice(0, 10)).to.equal("0x1e8e1e13");
    // The bound output is shown as the address it carries, not as a fixed-point number.
    expect(result.instances.map((s) => [s.address, s.value === null])).to.deep.equal([
      [ALICE, true],
      [undefined, false],
    ]);
    proved = result;

    const view = (await (await api(job.links.self, { token: prove })).json()) as Job & {
      startedAt: string;
      finishedAt: string;
      stages: Record<string, string>;
    };
    expect(view.status).to.equal("succeeded");
    // Features were sent, so the job went witness -> proving -> verifying, in that order, within its run.
    expect(Object.keys(view.stages)).to.deep.equal(["witness", "proving", "verifying"]);
    const times = Object.values(view.stages).map(Date.parse);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    expect(times[0]).to.be.at.least(Date.parse(view.startedAt));
    expect(times[2]).to.be.at.most(Date.parse(view.finishedAt));
    expect(view.attempts).to.equal(1);
    expect(view.runMs).to.be.greaterThan(0);
    expect(view.expectedRunMs).to.be.greaterThan(0);
    expect(Date.parse(view.finishedAt)).to.be.at.least(Date.parse(view.startedAt));
    firstJobId = job.id;
  });

  it("cancels a queued job (DELETE), refuses to cancel a finished one (409), and hides jobs from other keys", async function () {
    const running = (await (await submit({ features, prover: ALICE }, { headers: { "idempotency-key": "order-18" } })).json()) as Job;
    expect(running.id).to.not.equal(firstJobId); // another idempotency key, another job
    const queued = (await (await submit({ features, prover: ALICE })).json()) as Job;
    expect(queued.status).to.equal("queued");
    expect(queued.queuePosition).to.equal(0);
    const del = await api(queued.links.self, { method: "DELETE", token: prove });
    expect(del.status).to.equal(200);
    expect(((await del.json()) as Job).status).to.equal("canceled");
    expect((await api(queued.links.result, { token: prove })).status).to.equal(409);
    const stranger = createKey(config.dataDir, ["prove"]);
    expect((await api(running.links.self, { token: stranger })).status).to.equal(404);
    expect((await api(running.links.self, { token: admin })).status).to.equal(200);
    await service.queue.waitUntilFinished(running.id, 120_000);
    expect((await api(running.links.self, { method: "DELETE", token: prove })).status).to.equal(409);
    expect((await service.queue.get(queued.id))!.attempts).to.equal(0); // never proved
  });

  it("a replay while the first ?wait request waits is a 409; once it has answered 200, a replay answers the same 200", async function () {
    const key = { "idempotency-key": "order-21" };
    const first = submit({ features, prover: ALICE }, { query: "?wait=120", headers: key });
    await waitFor("the first request's job", async () => {
      const depth = await service.queue.depth();
      return depth.queued + depth.running > 0;
    });
    const early = await submit({ features, prover: ALICE }, { headers: key });
    expect(early.status).to.equal(409);
    expect(early.headers.get("retry-after")).to.equal("1");
    const answered = await first;
    expect(answered.status).to.equal(200);
    const body = (await answered.json()) as { job: Job; result: { verified: boolean } };
    expect(body.result.verified).to.equal(true);
    const replay = await submit({ features, prover: ALICE }, { headers: key });
    expect(replay.status).to.equal(200);
    expect(await replay.json()).to.deep.equal(body);
  });

  it("verifies a result off-chain, rejects a tampered one, and encodes verifier and attester calldata", async function () {
    const result = proved;
    const ok = await api("/v1/verify", {
      method: "POST",
      token: prove,
      body: JSON.stringify({ model: "voiceJudgeSmall", proof: result.proof }),
    });
    expect(await ok.json()).to.deep.equal({ valid: true });
    const tampered = structuredClone(result.proof);
    tampered.instances[0]![0] = "01".padEnd(64, "0");
    const bad = await api("/v1/verify", {
      method: "POST",
      token: prove,
      body: JSON.stringify({ model: "voiceJudgeSmall", proof: tampered }),
    });
    expect(await bad.json()).to.deep.equal({ valid: false });
    const cd = (await (
      await api("/v1/calldata/verifier", { method: "POST", token: prove, body: JSON.stringify({ proof: result.proof }) })
    ).json()) as { calldata: string };
    expect(cd.calldata).to.equal(result.verifierCalldata);
    const at = (await (
      await api("/v1/calldata/attester", { method: "POST", token: prove, body: JSON.stringify({ proof: result.proof, verifier: ALICE }) })
    ).json()) as { calldata: string };
    expect(at.calldata.slice(0, 10)).to.not.equal(cd.calldata.slice(0, 10));
    expect(at.calldata).to.include(result.verifierCalldata.slice(2));
  });

  it("answers seed 002's helpers with its bodies: /get_verifier_calldata, /get_data_attester_calldata, /generate_witness", async function () {
    const post = (route: string, body: unknown) => api(route, { method: "POST", token: prove, body: JSON.stringify(body) });
    // The body is the proof JSON itself, as the seed's clients send it.
    const verifier = await post("/get_verifier_calldata", proved.proof);
    expect(verifier.status).to.equal(200);
    expect(((await verifier.json()) as { calldata: string }).calldata).to.equal(proved.verifierCalldata.slice(2));
    const attester = await post("/get_data_attester_calldata", { ...proved.proof, verifier_address: ALICE });
    expect(attester.status).to.equal(200);
    const at = ((await attester.json()) as { calldata: string }).calldata;
    expect(at).to.match(/^[0-9a-f]+$/);
    expect(at).to.include(ALICE.slice(2).toLowerCase()).and.include(proved.verifierCalldata.slice(2));
    expect((await post("/get_data_attester_calldata", proved.proof)).status).to.equal(400); // no verifier_address

    const witness = await post("/generate_witness", { input_data: [features], prover: ALICE });
    expect(witness.status).to.equal(200);
    const w = (await witness.json()) as { inputs: string[][]; outputs: string[][] };
    // The witness's outputs are the proof's public instances: the bound address and the score.
    const felts = (proved.proof as { instances: string[][] }).instances[0]!;
    expect(w.outputs.flat()).to.deep.equal(felts.slice(-2));
    expect(w.inputs).to.have.length(2);
    const short = await post("/generate_witness", { input_data: [[0.5]] });
    expect(short.status).to.equal(400);
    expect(((await short.json()) as { detail: string }).detail).to.match(/body\/input_data\/0 must NOT have fewer than 320 items/);
  });

  it("serves Infernet's /service_output for offchain data and answers a chain source with 422", async function () {
    const chain = await api("/service_output", { method: "POST", token: prove, body: JSON.stringify({ source: 0, data: "00ff" }) });
    expect(chain.status).to.equal(422);
    expect(((await chain.json()) as { detail: string }).detail).to.match(/source 1/);
    const res = await api("/service_output", {
      method: "POST",
      token: prove,
      body: JSON.stringify({ source: 1, data: { input_data: [[0], features], prover: ALICE } }),
    });
    expect(res.status).to.equal(200);
    const out = (await res.json()) as { proof: string; processed_output: string; raw_output: string };
    expect(out.proof).to.match(/^1e8e1e13[0-9a-f]+$/);
    expect(out.processed_output).to.include(ALICE.slice(2).toLowerCase());
    const raw = JSON.parse(Buffer.from(out.raw_output, "hex").toString()) as [string, number];
    expect(raw[0]).to.equal(ALICE); // the bound output as its address
    expect(raw[1]).to.be.within(0.5, 1);
  });

  it("POSTs the result to callbackUrl with a valid HMAC signature, retrying after a failure", async function () {
    const deliveries: { body: string; signature: string; attempt: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        deliveries.push({ body, signature: String(req.headers["x-zk-signature"]), attempt: String(req.headers["x-zk-attempt"]) });
        res.statusCode = deliveries.length === 1 ? 503 : 204; // the first attempt fails
        res.end();
      });
    });
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");
    try {
      const port = (receiver.address() as AddressInfo).port;
      const job = (await (await submit({ features, prover: ALICE, callbackUrl: `http://127.0.0.1:${port}/hook` })).json()) as Job;
      await waitFor("the retried callback", () => deliveries.length >= 2, { timeoutMs: 60_000 });
      expect(deliveries).to.have.length(2);
      const [, good] = deliveries;
      expect(good!.attempt).to.equal("2");
      const payload = JSON.parse(good!.body) as { id: string; status: string; result: { verified: boolean } };
      expect(payload.id).to.equal(job.id);
      expect(payload.status).to.equal("succeeded");
      expect(payload.result.verified).to.equal(true);
      const [t, v1] = good!.signature.split(",").map((p) => p.split("=")[1]!);
      expect(v1).to.equal(createHmac("sha256", "s3cret").update(`${t}.${good!.body}`).digest("hex"));
      // Once the service has recorded the delivery, no further attempt is scheduled.
      await waitFor("the callback to be recorded as delivered", () => callbackStateOf(config.dataDir, job.id) === "delivered", {
        timeoutMs: 10_000,
      });
      expect(deliveries).to.have.length(2); // no delivery after the success
    } finally {
      receiver.close();
    }
  });

  it("sends CORS headers for a configured origin only", async function () {
    const pre = await api("/v1/models", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(pre.headers.get("access-control-allow-origin")).to.equal("https://app.example");
    const other = await api("/health", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("exports Prometheus metrics: queue depth, job durations per model and backend, proofs per minute", async function () {
    const text = await (await api("/metrics", { token: admin })).text();
    expect(text).to.match(/zk_queue_depth\{state="queued"\} \d+/);
    expect(text).to.match(/zk_job_duration_seconds_count\{model="voiceJudgeSmall",backend="wasm"\} [1-9]/);
    expect(text).to.match(/zk_proofs_per_minute [1-9]/);
    expect(text).to.match(/zk_proofs_total\{model="voiceJudgeSmall",backend="wasm"\} [1-9]/);
  });

  it("limits each key's request rate: 429 with Retry-After", async function () {
    const limited = createKey(config.dataDir, ["prove"], 3);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await api("/v1/models", { token: limited })).status);
    expect(codes).to.deep.equal([200, 200, 200, 429]);
    const res = await api("/v1/models", { token: limited });
    expect(res.status).to.equal(429);
    expect(Number(res.headers.get("retry-after"))).to.be.within(1, 60);
    expect((await api("/v1/models", { token: prove })).status).to.equal(200); // other keys unaffected
  });
});

describe("proving service: result retention", function () {
  it("deletes finished jobs and their results after the retention time", async function () {
    await buildModel("voiceJudgeSmall");
    const config = await testServiceConfig(["voiceJudgeSmall"], { ZK_RETENTION_SECONDS: "2" }, { concurrency: 1 });
    const token = createKey(config.dataDir);
    const service = await startService(config);
    try {
      const res = await proveJsonAndWait(service.url, token);
      const { job } = (await res.json()) as { job: Job };
      const result = () => fetch(`${service.url}/v1/jobs/${job.id}/result`, { headers: bearer(token) });
      expect((await result()).status).to.equal(200);
      await waitFor("the result to be deleted", async () => (await result()).status === 404, { timeoutMs: 15_000, intervalMs: 200 });
      expect(Date.now() - Date.parse(job.finishedAt!), "kept for the retention time").to.be.at.least(2000);
    } finally {
      await service.close();
      await removeDir(config.dataDir);
    }
  });
});

describe("proving service: prover backend (ZK_BACKEND / --backend)", function () {
  it("rejects an unknown backend in one line that lists the backends", async function () {
    let error: Error | undefined;
    await testServiceConfig(["voiceJudgeSmall"], { ZK_BACKEND: "gpu" }).catch((e: Error) => (error = e));
    expect(error?.message).to.equal("--backend gpu: use one of wasm, wasm-threads, native");
  });

  it("proves on the native backend: the result and the metrics name it, and the proof verifies", async function () {
    await buildModel("voiceJudgeSmall");
    const config = await testServiceConfig(["voiceJudgeSmall"], { ZK_BACKEND: "native" });
    expect(config.pool).to.include({ backend: "native", workers: 1 }); // native uses every core per proof
    const token = createKey(config.dataDir, ["prove", "admin"]);
    const service = await startService(config);
    try {
      const res = await proveJsonAndWait(service.url, token);
      const { result } = (await res.json()) as { result: { backend: string; verified: boolean; proof: unknown } };
      expect(result.backend).to.equal("native");
      expect(result.verified).to.equal(true);
      const check = await fetch(`${service.url}/v1/verify`, {
        method: "POST",
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({ model: "voiceJudgeSmall", proof: result.proof }),
      });
      expect(await check.json()).to.deep.equal({ valid: true });
      const metrics = await (await fetch(`${service.url}/metrics`, { headers: bearer(token) })).text();
      expect(metrics).to.match(/zk_job_duration_seconds_count\{model="voiceJudgeSmall",backend="native"\} 1/);
    } finally {
      await service.close();
      await removeDir(config.dataDir);
    }
  });
});

describe("proving service: failed authentication (ZK_AUTH_FAILURE_LIMIT)", function () {
  it("counts wrong keys per client address: 429 with Retry-After past the limit, for any key, until the window ends", async function () {
    await withJudgeService({ ZK_AUTH_FAILURE_LIMIT: "3", ZK_AUTH_FAILURE_WINDOW: "3" }, async (service, token) => {
      const get = (headers: Record<string, string> = {}) => fetch(`${service.url}/v1/models`, { headers });
      expect((await get()).status).to.equal(401); // no key at all: not a guess, not counted
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await get(bearer(`zk_guess${i}`))).status);
      expect(codes).to.deep.equal([401, 401, 401, 429]);
      const blocked = await get(bearer(token)); // the right key no longer helps from this address
      expect(blocked.status).to.equal(429);
      expect(blocked.headers.get("content-type")).to.match(/application\/problem\+json/);
      expect(Number(blocked.headers.get("retry-after"))).to.be.within(1, 3);
      expect(((await blocked.json()) as { detail: string }).detail).to.match(/^too many requests with a wrong API key from this address/);
      expect((await get()).status).to.equal(429);
      expect((await fetch(`${service.url}/health`)).status).to.equal(200); // open routes stay open
      // A blocked address is only checked, not counted again, so polling with the right key does not extend the block.
      const retryAfterMs = Number(blocked.headers.get("retry-after")) * 1000;
      await waitFor("the block to end", async () => (await get(bearer(token))).status !== 429, {
        timeoutMs: retryAfterMs + 3000,
        intervalMs: 200,
      });
      expect((await get(bearer(token))).status).to.equal(200);
    });
  });
});

describe("proving service: behind a reverse proxy (ZK_TRUST_PROXY)", function () {
  it("counts wrong keys per forwarded client, not per proxy", async function () {
    await withJudgeService({ ZK_TRUST_PROXY: "127.0.0.1", ZK_AUTH_FAILURE_LIMIT: "2" }, async (service, token) => {
      const get = (client: string, key: string) =>
        fetch(`${service.url}/v1/models`, { headers: { ...bearer(key), "x-forwarded-for": client } });
      expect([(await get("::1", "zk_guess1")).status, (await get("::1", "zk_guess2")).status]).to.deep.equal([401, 401]);
      expect((await get("::1", token)).status).to.equal(429);
      expect((await get("127.0.0.1", token)).status).to.equal(200); // another client behind the same proxy
    });
  });
});

describe("proving service: a failed job", function () {
  it("?wait answers 200 with the failed job and its error, a replay answers the same, and the failure is logged once", async function () {
    const lines: string[] = [];
    // A WAV header and no audio: accepted as a recording, fails when the job decodes it.
    const broken = Buffer.concat([Buffer.from("RIFF"), Buffer.from([4, 0, 0, 0]), Buffer.from("WAVE")]);
    // The recording gate (on by default) would refuse it at submission (test/integration/service-gate.test.ts):
    // off here, so the job is queued and fails in its features stage.
    await withJudgeService(
      { ZK_GATE: "off" },
      async (service, token) => {
        const send = (address: string) => {
          const form = new FormData();
          form.set("address", address);
          form.set("audio", new Blob([new Uint8Array(broken)], { type: "audio/wav" }), "broken.wav");
          return fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs?wait=60`, {
            method: "POST",
            headers: { ...bearer(token), "idempotency-key": "broken-1" },
            body: form,
          });
        };
        const first = await send(ALICE);
        expect(first.status).to.equal(200);
        const body = (await first.json()) as { job: Job; result?: unknown };
        expect(body.job.status).to.equal("failed");
        expect(body.job.error).to.match(/^recording: WAV file is truncated/);
        expect(body).to.not.have.property("result");
        const replay = await send(ALICE);
        expect(replay.status).to.equal(200);
        expect(await replay.json()).to.deep.equal(body);
        expect((await send(BOB)).status).to.equal(422); // the same key, another request
        const logged = lines.filter((l) => l.includes(body.job.id));
        expect(logged).to.have.length(1);
        expect(logged[0]).to.match(
          new RegExp(`^job ${body.job.id} \\(voiceJudgeSmall\\) failed after 1 attempt\\(s\\): recording: WAV file is truncated`),
        );
      },
      { extractFeatures, log: (line) => lines.push(line) },
    );
  });
});
