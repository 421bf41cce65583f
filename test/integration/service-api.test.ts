import { expect } from "chai";
import { request as httpRequest } from "node:http";
import Fastify from "fastify";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { EzklSettings } from "@hardhat-zkml/core/settings.js";
import { assertWitnessInRange } from "@hardhat-zkml/core/prover/witness-range.js";
import { signPayload, verifySignature } from "@hardhat-zkml/server/callbacks.js";
import { clientError } from "@hardhat-zkml/server/job-view.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { installProblemHandler } from "@hardhat-zkml/server/problem.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { buildModel } from "../helpers/fixtures.js";
import { ALICE, bearer, createKey, judgeFeatures, removeDir, testServiceConfig } from "../helpers/service.js";

interface Problem {
  status: number;
  detail: string;
}

/** A request with any method (fetch refuses TRACE). */
function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("proving service: strict input and the OpenAPI document", function () {
  let config: ServiceConfig;
  let service: RunningService;
  let token: string;
  let features: number[];

  before(async function () {
    await buildModel("voiceJudgeSmall");
    config = await testServiceConfig(["voiceJudgeSmall"], { ZK_CALLBACK_SECRET: "s3cret" }, { concurrency: 1 });
    token = createKey(config.dataDir);
    features = await judgeFeatures();
    service = await startService(config, { extractFeatures });
  });
  after(async function () {
    await service?.close();
    if (config) await removeDir(config.dataDir);
  });

  const submit = async (body: unknown): Promise<{ status: number; problem: Problem }> => {
    const res = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.headers.get("content-type")).to.match(/^application\/problem\+json/);
    return { status: res.status, problem: (await res.json()) as Problem };
  };

  it("converts nothing: null, a numeric string and a nested array are 400s that say where", async function () {
    for (const [value, type] of [
      [null, "number"],
      ["1", "number"],
      [[1], "number"],
    ] as const) {
      const bad = [...features];
      (bad as unknown[])[3] = value;
      const { status, problem } = await submit({ features: bad, prover: ALICE });
      expect(status, JSON.stringify(value)).to.equal(400);
      expect(problem.detail).to.equal(`body/features/3 must be ${type}`);
    }
  });

  it("answers an unknown field with a 400 that names it, instead of dropping it", async function () {
    const { status, problem } = await submit({ features, prover: ALICE, callbakUrl: "http://127.0.0.1:1/x" });
    expect(status).to.equal(400);
    expect(problem.detail).to.match(/unknown field "callbakUrl"/);
  });

  it("refuses a request with both or neither of inputs and features", async function () {
    for (const body of [{ prover: ALICE }, { features, inputs: [features], prover: ALICE }]) {
      const { status, problem } = await submit(body);
      expect(status).to.equal(400);
      expect(problem.detail).to.match(/exactly one of inputs .* or features/);
    }
  });

  it("refuses values outside the calibrated range (1e308, below the widened calibration minimum) before any job exists", async function () {
    const before = (await (await fetch(`${service.url}/ready`)).json()) as { queued: number; running: number };
    for (const value of [1e308, -1e308, -0.1, 2.5]) {
      const bad = [...features];
      bad[7] = value;
      const { status, problem } = await submit({ features: bad, prover: ALICE });
      expect(status, String(value)).to.equal(400);
      expect(problem.detail).to.match(/^body\/features\/7 must be (<= 2|>= 0)$/);
    }
    const after = (await (await fetch(`${service.url}/ready`)).json()) as { queued: number; running: number };
    expect(after.queued + after.running).to.equal(before.queued + before.running);
  });

  it("refuses recipients at or below 0xffff (JSON and the seed's form) with a 400 in a client's words", async function () {
    const { status, problem } = await submit({ features, prover: "0x" + "0".repeat(39) + "1" });
    expect(status).to.equal(400);
    expect(problem.detail).to.match(/prover must be .*above 0xffff/);
    expect(problem.detail).to.not.match(/npx|hardhat/);
    const form = new FormData();
    form.set("address", "0x1");
    form.set("audio", new Blob([new Uint8Array(16)]), "a.wav");
    const res = await fetch(`${service.url}/prove`, { method: "POST", headers: bearer(token), body: form });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as Problem).detail).to.match(/address must be .*above 0xffff/);
  });

  it("answers an undeclared method on a known path with 405 and Allow, an unknown path with 404", async function () {
    const trace = await rawRequest(`${service.url}/v1/models`, "TRACE", bearer(token));
    expect(trace.status).to.equal(405);
    expect(String(trace.headers.allow)).to.match(/GET/);
    const put = await rawRequest(`${service.url}/v1/jobs/abc`, "PUT", bearer(token));
    expect(put.status).to.equal(405);
    expect(String(put.headers.allow)).to.match(/GET.*DELETE|DELETE.*GET/);
    expect((await rawRequest(`${service.url}/nowhere`, "GET", {})).status).to.equal(404);
  });

  it("documents problem+json errors, oneOf inputs|features, patterns, 413, Location, callbacks and Model.inputs", async function () {
    type Doc = {
      paths: Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      components: { schemas: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as Doc;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, { content?: object }>)) {
          if (Number(status) >= 400)
            expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).to.deep.equal(["application/problem+json"]);
        }
        if (op.requestBody !== undefined) expect(op.responses, `${method} ${path}`).to.have.property("413");
      }
    }
    const post = doc.paths["/v1/models/voiceJudgeSmall/proofs"]!.post;
    const json = post.requestBody.content["application/json"].schema;
    expect(json.oneOf).to.deep.equal([{ required: ["inputs"] }, { required: ["features"] }]);
    expect(json.required).to.deep.equal(["prover"]);
    expect(json.properties.features).to.include({ minItems: 320, maxItems: 320 });
    expect(json.properties.features.items).to.deep.equal({ type: "number", minimum: 0, maximum: 2 });
    expect(new RegExp(json.properties.prover.pattern).test(ALICE)).to.equal(true);
    expect(new RegExp(json.properties.prover.pattern).test("0x" + "0".repeat(36) + "ffff")).to.equal(false);
    expect(post.requestBody.content["multipart/form-data"].schema.properties.audio).to.include({ type: "string", format: "binary" });
    expect(post.responses["202"].headers).to.have.property("Location");
    const callback = post.callbacks.jobFinished["{$request.body#/callbackUrl}"].post;
    expect(callback.parameters.map((p: { name: string }) => p.name)).to.deep.equal(["x-zk-signature", "x-zk-attempt"]);
    expect(callback.requestBody.content["application/json"].schema.required).to.deep.equal(["id", "model", "status"]);
    expect(doc.paths["/v1/models/{model}/proofs"]!.post.responses).to.have.property("404");
    const inputs = doc.components.schemas.Model.properties.inputs;
    expect(inputs.description).to.match(/except the bound-address one \(boundAddress\.input\)/);
    expect(inputs.items.properties).to.have.keys("name", "index", "shape", "elements", "min", "max");
  });

  it("verifySignature accepts the server's signature and refuses another body, secret or an old timestamp", function () {
    const body = JSON.stringify({ id: "j1", status: "succeeded" });
    const header = signPayload("s3cret", body);
    expect(verifySignature("s3cret", body, header)).to.equal(true);
    expect(verifySignature("s3cret", body.replace("j1", "j2"), header)).to.equal(false);
    expect(verifySignature("other", body, header)).to.equal(false);
    const old = signPayload("s3cret", body, Math.floor(Date.now() / 1000) - 600);
    expect(verifySignature("s3cret", body, old)).to.equal(false);
    expect(verifySignature("s3cret", body, old, 900)).to.equal(true);
    expect(verifySignature("s3cret", body, "garbage")).to.equal(false);
  });
});

describe("proving service: a job's error as a client reads it", function () {
  it("keeps what went wrong and drops the operator's fix (a hardhat command, zk.models config)", function () {
    const settings = {
      run_args: { decomp_base: 64, decomp_legs: 2, lookup_range: [-414, 1472], ignore_range_check_inputs_outputs: false },
      required_lookups: [{ Sigmoid: { scale: 128 } }],
    } as unknown as EzklSettings;
    const witness = new TextEncoder().encode(JSON.stringify({ max_lookup_inputs: 5000, min_lookup_inputs: 0, inputs: [], outputs: [] }));
    let text = "";
    try {
      assertWitnessInRange("voiceJudgeSmall", witness, settings);
    } catch (e) {
      text = (e as Error).message;
    }
    expect(text).to.match(/npx hardhat zk setup/);
    const seen = clientError(text)!;
    expect(seen).to.match(/^model "voiceJudgeSmall": this input drives a lookup to 0\.\.5000, outside the calibrated range -414\.\.1472/);
    expect(seen).to.not.match(/npx|hardhat|zk\.models/);
    expect(clientError("the recording is silent")).to.equal("the recording is silent");
  });
});

describe("proving service: a fault of the server's own build", function () {
  it("is a 500 logged server-side, not the operator's fix told to the client", async function () {
    const logged: unknown[] = [];
    const app = Fastify({ logger: { level: "error", stream: { write: (line: string) => logged.push(line) } } });
    installProblemHandler(app);
    app.get("/x", async () => {
      throw new ZkError('model "m": artifacts missing; rerun `npx hardhat zk setup`');
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const res = await fetch(`${url}/x`);
      expect(res.status).to.equal(500);
      const problem = (await res.json()) as Problem;
      expect(problem.detail).to.equal("internal error; see the server log");
      expect(JSON.stringify(logged)).to.match(/npx hardhat zk setup/);
    } finally {
      await app.close();
    }
  });
});
