import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Contract, verifyTypedData } from "ethers";
import hre from "hardhat";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { ATTESTATION_TYPES, attestationDomain } from "@hardhat-zkml/core/reward/attestation.js";
import { featureCommitment } from "@hardhat-zkml/core/reward/commitment.js";
import type { JobResult } from "@hardhat-zkml/server/job-types.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { chainRewardSource } from "../../tasks/lib/reward-source.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import { buildModel } from "../helpers/fixtures.js";
import { ATTESTER_KEY, deployRewardFixture, MODEL, REWARD } from "../helpers/reward-fixture.js";
import { bearer, createKey, judgeFeatures, removeDir, testServiceConfig } from "../helpers/service.js";

const RECORDING = path.join(hre.config.paths.root, "test", "fixtures", "audio", "speech-22050-s16.wav");

describe("proving service: a reward that pays only attested recordings", function () {
  let fx: Awaited<ReturnType<typeof deployRewardFixture>>;
  let config: ServiceConfig;
  let service: RunningService;
  let token: string;
  let wav: Buffer;
  let rewardAddress: string;

  before(async function () {
    await buildModel(MODEL);
    fx = await deployRewardFixture({ threshold: 0 });
    rewardAddress = await (await fx.deployReward({ attester: fx.attester.address, threshold: 0 })).getAddress();
    config = await testServiceConfig([MODEL], { ZK_ATTESTER_KEY: ATTESTER_KEY }, { concurrency: 1 });
    config.reward = rewardAddress;
    token = createKey(config.dataDir);
    wav = await readFile(RECORDING);
    service = await startService(config, { extractFeatures, reward: await chainRewardSource(fx.connection, rewardAddress, MODEL) });
  });
  after(async function () {
    await service?.close();
    if (config) await removeDir(config.dataDir);
  });

  const form = (address: string) => {
    const f = new FormData();
    f.set("address", address);
    f.set("audio", new Blob([new Uint8Array(wav)], { type: "audio/wav" }), "speech.wav");
    return f;
  };

  it("signs the commitment of the features it computed from the recording, and anyone's claimAttested pays the recipient", async function () {
    const alice = fx.alice.address;
    const res = await fetch(`${service.url}/v1/models/${MODEL}/proofs?wait=120`, {
      method: "POST",
      headers: bearer(token),
      body: form(alice),
    });
    expect(res.status).to.equal(200);
    const { job, result } = (await res.json()) as { job: { stages: Record<string, string> }; result: JobResult };
    expect(Object.keys(job.stages)).to.deep.equal(["features", "witness", "proving", "verifying"]);

    // The features are the recording's, and the signature is the attester's over their commitment.
    const features = await extractFeatures(new Uint8Array(wav), [1, 1, 16, 20]);
    expect(result.features).to.deep.equal(features);
    const a = result.attestation!;
    expect(a.recipient).to.equal(alice);
    expect(a.commitment).to.equal(featureCommitment(fx.judge.prover, fx.commitment, features));
    const signer = verifyTypedData(
      attestationDomain(31337n, rewardAddress),
      ATTESTATION_TYPES,
      { commitment: a.commitment, recipient: a.recipient, round: BigInt(a.round), deadline: BigInt(a.deadline) },
      a.signature,
    );
    expect(signer).to.equal(fx.attester.address);

    // The bot submits the service's claim arguments; the reward pays Alice, not the bot.
    expect(result.claim!.function).to.equal("claimAttested(address,bytes,uint256[],uint256,uint256,bytes)");
    const reward = new Contract(rewardAddress, [`function ${result.claim!.function}`], fx.bot);
    const before = await fx.ethers.provider.getBalance(alice);
    await (await reward.getFunction("claimAttested")(...result.claim!.args)).wait();
    expect((await fx.ethers.provider.getBalance(alice)) - before).to.equal(REWARD);
  });

  it("POST /prove (seed 000's form) answers with the attestation and the claimAttested call too", async function () {
    const res = await fetch(`${service.url}/prove`, { method: "POST", headers: bearer(token), body: form(fx.carol.address) });
    expect(res.status).to.equal(200);
    const { res: out } = (await res.json()) as {
      res: { attestation: { recipient: string; signature: string }; claim: { function: string } };
    };
    expect(out.attestation.recipient).to.equal(fx.carol.address);
    expect(out.attestation.signature).to.match(/^0x[0-9a-f]{130}$/);
    expect(out.claim.function).to.match(/^claimAttested\(/);
  });

  it("refuses features it did not compute itself (422): an attested reward needs the recording", async function () {
    const res = await fetch(`${service.url}/v1/models/${MODEL}/proofs`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ features: await judgeFeatures(), prover: fx.alice.address }),
    });
    expect(res.status).to.equal(422);
    expect(((await res.json()) as { detail: string }).detail).to.match(/pays only attested recordings; send the recording/);
  });

  it("refuses the reward's own addresses (the reward, its verifier, its attester) as the recipient: 400 before any proof", async function () {
    const reward = new Contract(rewardAddress, ["function verifier() view returns (address)"], fx.ethers.provider);
    const verifier = (await reward.getFunction("verifier")()) as string;
    for (const own of [rewardAddress, verifier, fx.attester.address]) {
      const res = await fetch(`${service.url}/v1/models/${MODEL}/proofs`, {
        method: "POST",
        headers: bearer(token),
        body: form(own.toLowerCase()),
      });
      expect(res.status, own).to.equal(400);
      expect(((await res.json()) as { detail: string }).detail).to.match(/is one of the reward's own contracts or its attester/);
    }
  });

  it("will not start with a key that is not the reward's attester", async function () {
    const other = await testServiceConfig([MODEL], { ZK_ATTESTER_KEY: "0x" + "11".repeat(32) }, { concurrency: 1 });
    other.reward = rewardAddress;
    try {
      let error: Error | undefined;
      await startService(other, { extractFeatures, reward: await chainRewardSource(fx.connection, rewardAddress, MODEL) }).catch(
        (e: Error) => (error = e),
      );
      expect(error?.message).to.match(
        /^ZK_ATTESTER_KEY is the key of 0x[0-9a-fA-F]{40}, but the reward at 0x[0-9a-fA-F]{40} trusts attester/,
      );
    } finally {
      await removeDir(other.dataDir);
    }
  });
});
