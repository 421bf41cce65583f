import { expect } from "chai";
import hre from "hardhat";
import { committedInput, inputCommitmentRecord, kzgCommitFelts, quantise } from "@hardhat-zkml/core/input-commitment.js";
import type { Manifest } from "@hardhat-zkml/core/manifest.js";
import { instanceLayout } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import type { EzklSettings } from "@hardhat-zkml/core/settings.js";
import { featureCommitment, proofCommitment } from "@hardhat-zkml/core/reward/commitment.js";
import { rewardCommitment } from "@hardhat-zkml/core/reward/layout.js";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import type { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { ctx, openProver } from "../helpers/fixtures.js";
import { MODEL, voiceSamples } from "../helpers/reward-fixture.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("input commitment (polycommit): computed off-chain, carried in the proof", function () {
  let prover: ModelProver;
  let x: number[];

  before(async function () {
    prover = await openProver(MODEL);
    x = (await voiceSamples())["0.95"]!;
  });

  it("the manifest records where each input's commitment sits in the proof", function () {
    const record = prover.files.manifest.inputCommitment;
    expect(record).to.deep.equal({
      visibility: "polycommit",
      tensors: [
        { input: 0, proofOffset: 0, proofLength: 64 },
        { input: 1, proofOffset: 64, proofLength: 64 },
      ],
    });
    expect(rewardCommitment(hre.config.zk.models[MODEL]!, prover.files.manifest)).to.deep.equal({ source: 0, at: 64n, length: 64n });
  });

  it("kzgCommit of the features equals the proof's bytes at the recorded offset, whoever the proof pays", async function () {
    const location = rewardCommitment(hre.config.zk.models[MODEL]!, prover.files.manifest);
    const points = kzgCommitFelts(prover.files, quantise(x, prover.files.manifest.circuit!.inputScales[1]!));
    for (const key of [ALICE, BOB]) {
      const proof = await cachedProof(prover, ctx.artifactsDir, [x], key);
      const bytes = Buffer.from(proof.args.proof.slice(2), "hex");
      expect(bytes.subarray(64, 128).equals(points)).to.equal(true);
      expect(proofCommitment(location, proof.args.proof, proof.args.instances)).to.equal(featureCommitment(prover, location, x));
    }
  });

  it("other features give another commitment", async function () {
    const location = rewardCommitment(hre.config.zk.models[MODEL]!, prover.files.manifest);
    const doubled = await cachedProof(prover, ctx.artifactsDir, [x.map((v) => 2 * v)], ALICE);
    expect(proofCommitment(location, doubled.args.proof, doubled.args.instances)).to.not.equal(featureCommitment(prover, location, x));
    expect(proofCommitment(location, doubled.args.proof, doubled.args.instances)).to.equal(
      featureCommitment(
        prover,
        location,
        x.map((v) => 2 * v),
      ),
    );
  });

  it("a model without a committed input is named with the fix", function () {
    expect(() => committedInput("tinyMlp", undefined, 0)).to.throw(ZkError, /set zk.models.tinyMlp.input to "polycommit"/);
  });
});

describe("input commitment (hashed): layout and record", function () {
  const settings = {
    run_args: { input_visibility: { Hashed: { hash_is_public: true, outlets: [] } }, output_visibility: "Public" },
    model_instance_shapes: [
      [1, 1],
      [1, 1],
    ],
    model_input_scales: [7, 7],
    model_output_scales: [7, 7],
  } as unknown as EzklSettings;

  it("puts one Poseidon hash per input before the public outputs, and records where the features' hash is", function () {
    const slots = instanceLayout(settings);
    expect(slots.map((s) => [s.index, s.source, s.tensor])).to.deep.equal([
      [0, "inputHash", 0],
      [1, "inputHash", 1],
      [2, "output", 0],
      [3, "output", 1],
    ]);
    const record = inputCommitmentRecord(settings, [1, 320], { vk: new Uint8Array(), settings: new Uint8Array(), srs: new Uint8Array() });
    expect(record).to.deep.equal({
      visibility: "hashed",
      tensors: [
        { input: 0, instanceIndex: 0 },
        { input: 1, instanceIndex: 1 },
      ],
    });
    const manifest = {
      instances: slots,
      inputCommitment: record,
      io: {
        inputs: [
          { name: "key", shape: [1, 1] },
          { name: "x", shape: [1, 320] },
        ],
        outputs: [],
      },
    } as unknown as Manifest;
    expect(rewardCommitment(hre.config.zk.models[MODEL]!, manifest)).to.deep.equal({ source: 1, at: 1n, length: 0n });
  });
});
