import { expect } from "chai";
import { network } from "hardhat";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import { FEATURES, deployAttestedRegistry, onChain } from "../helpers/attested-fixture.js";
import { ctx, openProver } from "../helpers/fixtures.js";

describe("data-attested flow (fraudScore: inputs read from a contract)", function () {
  it("accepts a proof of the data on-chain now, and rejects it once the data changed", async function () {
    const { proof, ethers, source, scoreIndex, registry } = await deployAttestedRegistry();

    await expect(registry.record(proof.calldata))
      .to.emit(registry, "ScoreRecorded")
      .withArgs((await ethers.getSigners())[0]!.address, proof.args.instances[scoreIndex]);
    expect(await registry.latestScore()).to.equal(proof.args.instances[scoreIndex]);

    // The transaction's amount changes on-chain after the proof was made.
    await source.setFeatures(onChain([9, 2, 35, 3]));
    await expect(registry.record(proof.calldata)).to.be.revertedWithCustomError(registry, "AttestationFailed");
    expect(await registry.recordedCount()).to.equal(1n);
  });

  it("deploys through the FraudScoreAttested Ignition module, parameterised from the manifest", async function () {
    const prover = await openProver("fraudScore");
    const manifest = prover.files.manifest;
    const proof = await cachedProof(prover, ctx.artifactsDir, [FEATURES]);
    const { ignition } = await network.create();
    const module = (await import("../../ignition/modules/FraudScoreAttested.js")).default;
    const scoreIndex = manifest.instances!.findIndex((s) => s.source === "output");
    const { registry, source } = await ignition.deploy(module, {
      parameters: {
        FraudScoreAttested: {
          initialFeatures: onChain(FEATURES),
          decimals: manifest.attester!.decimals,
          bits: manifest.attester!.bits,
          scoreIndex,
        },
      },
      displayUi: false,
    });
    await expect(registry.getFunction("record")(proof.calldata)).to.emit(registry, "ScoreRecorded");
    await source.getFunction("setFeatures")(onChain([1.5, 3, 35, 3]));
    await expect(registry.getFunction("record")(proof.calldata)).to.be.revertedWithCustomError(registry, "AttestationFailed");
  });
});
