import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import type { JobResult } from "@hardhat-zkml/server/job-types.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { buildModel } from "../helpers/fixtures.js";
import { ALICE, bearer, createKey, removeDir, testServiceConfig } from "../helpers/service.js";

const RECORDING = path.join(hre.config.paths.root, "test", "fixtures", "audio", "speech-22050-s16.wav");

describe("proving service: audio submissions (multipart)", function () {
  let config: ServiceConfig;
  let service: RunningService;
  let token: string;
  let wav: Buffer;
  before(async function () {
    await buildModel("voiceJudgeSmall");
    config = await testServiceConfig(["voiceJudgeSmall"], {}, { concurrency: 1 });
    token = createKey(config.dataDir);
    wav = await readFile(RECORDING);
    service = await startService(config, { extractFeatures });
  });
  after(async function () {
    await service?.close();
    await removeDir(config.dataDir);
  });

  const form = (address: string, audio: Buffer | undefined) => {
    const f = new FormData();
    f.set("address", address);
    if (audio !== undefined) f.set("audio", new Blob([new Uint8Array(audio)], { type: "audio/wav" }), "audio.wav");
    return f;
  };

  it("POST /v1/models/{model}/proofs with address + audio proves the recording's features for that address", async function () {
    const res = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs?wait=120`, {
      method: "POST",
      headers: bearer(token),
      body: form(ALICE, wav),
    });
    expect(res.status).to.equal(200);
    const { result } = (await res.json()) as { result: JobResult };
    expect(result.verified).to.equal(true);
    expect(result.boundAddress).to.equal(ALICE);
    const features = await extractFeatures(new Uint8Array(wav), [1, 1, 16, 20]);
    const job = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs?wait=120`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ features, prover: ALICE }),
    });
    const same = ((await job.json()) as { result: JobResult }).result;
    expect(same.judgment!.score).to.equal(result.judgment!.score); // the same features went in
  });

  it("POST /prove keeps seed 000's form working: a short address and a recording -> score and proof; 0x1 is refused", async function () {
    const reserved = await fetch(`${service.url}/prove`, { method: "POST", headers: bearer(token), body: form("0x1", wav) });
    expect(reserved.status).to.equal(400);
    expect(((await reserved.json()) as { detail: string }).detail).to.match(/body\/address must be .*above 0xffff/);
    const res = await fetch(`${service.url}/prove`, { method: "POST", headers: bearer(token), body: form("0x10001", wav) });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { status: string; res: { output_data: number; score: number; proof: string; instances: string[] } };
    expect(body.status).to.equal("ok");
    expect(body.res.proof).to.match(/^0x[0-9a-f]+$/);
    expect(BigInt(body.res.instances[0]!)).to.equal(0x10001n);
    expect(body.res.output_data).to.equal(Math.round(body.res.score * 128));
  });

  it("rejects a file that is not audio with 422, and a form without audio with 400", async function () {
    const bad = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs`, {
      method: "POST",
      headers: bearer(token),
      body: form(ALICE, Buffer.from("not audio at all")),
    });
    expect(bad.status).to.equal(422);
    const none = await fetch(`${service.url}/v1/models/voiceJudgeSmall/proofs`, {
      method: "POST",
      headers: bearer(token),
      body: form(ALICE, undefined),
    });
    expect(none.status).to.equal(400);
  });
});
