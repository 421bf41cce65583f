import * as chai from "chai";
import { expect } from "chai";
import { readFile, rm, writeFile, copyFile } from "node:fs/promises";
import path from "node:path";
import { ZeroAddress } from "ethers";
import hre, { network } from "hardhat";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { ModelProver, type ProofResult } from "@hardhat-zkml/core/prover/model-prover.js";
import { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import type { Halo2VerifierContract } from "@hardhat-zkml/core/prover/verifier-contract.js";
import { chaiZk } from "../../tasks/lib/testing/chai-zk.js";
import { captureLog } from "../helpers/temp-project.js";
import { buildModel, ctx, openProver } from "../helpers/fixtures.js";
import { expectDeliberate } from "../helpers/errors.js";

chai.use(chaiZk);

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

async function samples(model: string): Promise<Record<string, number[]>> {
  return JSON.parse(await readFile(path.join(ctx.root, "models", model, "samples.json"), "utf8"));
}

async function onnxReference(model: string, inputs: number[][]): Promise<number[][]> {
  return runEzkl<number[][]>(ctx.root, "onnx_run", { model: hre.config.zk.models[model]!.onnx, inputs });
}

/** Quantisation tolerance: a few steps of the output's fixed point. */
const tolerance = (scale: number) => 4 / 2 ** scale;

/** |actual - expected| <= tol (chai's closeTo is taken over by the bigint matchers). */
function expectClose(actual: number, expected: number, tol: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).to.be.at.most(tol);
}

describe("WASM prover", function () {
  const pool = new ProverPool();
  after(() => pool.close());

  describe("voiceJudgeSmall (key, x) -> [key, score]", function () {
    let judge: JudgeProver;
    let proved: Awaited<ReturnType<JudgeProver["proveJudgment"]>>;
    let verifier: Halo2VerifierContract;
    let x: number[];

    before(async function () {
      judge = new JudgeProver(await openProver("voiceJudgeSmall", pool));
      x = (await samples("voiceJudgeSmall"))["0.95"]!;
      proved = await judge.proveJudgment(ALICE, x);
      const { ethers } = await network.create();
      verifier = (await ethers.deployContract("VoiceJudgeSmallVerifier")) as unknown as Halo2VerifierContract;
    });

    it("the public instance equals the prover's address bit for bit", function () {
      const slot = proved.instances[proved.judgment.recipientIndex]!;
      expect(slot.felt).to.equal(BigInt(ALICE));
      expect(slot.felt.toString(16).padStart(40, "0")).to.equal(ALICE.slice(2).toLowerCase());
      expect(proved.judgment.recipient).to.equal(ALICE);
    });

    it("the score matches the ONNX model run in onnxruntime within the quantisation tolerance", async function () {
      const [, score] = await onnxReference("voiceJudgeSmall", [[0], x]);
      expectClose(proved.judgment.score, score![0]!, tolerance(proved.judgment.scoreScale), "score");
      // The raw instance, read straight from the proof file (32 bytes little-endian), is the
      // fixed-point score the contract compares: onnxruntime's score times 2^scale.
      const raw = proved.proof.instances.flat()[proved.judgment.scoreIndex]!.match(/../g)!.reverse().join("");
      expect(BigInt("0x" + raw)).to.equal(proved.judgment.scoreFelt);
      expectClose(
        Number(BigInt("0x" + raw)) / 2 ** proved.judgment.scoreScale,
        score![0]!,
        tolerance(proved.judgment.scoreScale),
        "score felt",
      );
    });

    it("verifies off-chain in the engine and on-chain", async function () {
      expect(judge.prover.verify(proved.proofJson)).to.equal(true);
      await expect(proved).to.verifyOn(verifier);
    });

    it("the engine's calldata is the ABI encoding of verifyProof(proof, instances)", async function () {
      const encoded = verifier.interface.encodeFunctionData("verifyProof", [proved.args.proof, proved.args.instances]);
      expect(proved.calldata).to.equal(encoded);
    });

    it("a proof for another address does not verify with this address's instance", async function () {
      const other = {
        ...proved,
        args: { ...proved.args, instances: [BigInt(ALICE) + 1n, ...proved.args.instances.slice(1)] },
      } as ProofResult;
      await expect(other).to.not.verifyOn(verifier);
      await expect(verifier.verifyProof(other.args.proof, other.args.instances)).to.be.rejectedAsInvalidProof();
    });

    it("judges a voice (samples.json 0.95) above white noise (0.05)", async function () {
      const s = await samples("voiceJudgeSmall");
      const low = await judge.proveJudgment(ALICE, s["0.05"]!);
      expect(proved.judgment.score).to.be.greaterThan(0.8);
      expect(low.judgment.score).to.be.lessThan(0.3);
    });
  });

  describe("fraudScore (inputs public, for the data attester)", function () {
    it("proves, verifies off-chain and on-chain, and matches onnxruntime", async function () {
      const prover = await openProver("fraudScore", pool);
      const features = [1.5, 2, 35, 3];
      const result = await prover.prove([features]);
      expect(prover.verify(result.proofJson)).to.equal(true);
      const { ethers } = await network.create();
      const verifier = (await ethers.deployContract("FraudScoreVerifier")) as unknown as Halo2VerifierContract;
      await expect(result).to.verifyOn(verifier);
      expect(result.instances.map((s) => s.source)).to.deep.equal(["input", "input", "input", "input", "output"]);
      result.instances.slice(0, 4).forEach((s, i) => expectClose(s.value!, features[i]!, tolerance(s.scale), `feature ${i}`));
      const [[p]] = (await onnxReference("fraudScore", [features])) as [[number]];
      expectClose(result.instances[4]!.value!, p, tolerance(result.instances[4]!.scale) * 4, "p(fraud)");
    });
  });

  describe("worker pool", function () {
    /** How long two proofs' running intervals overlap, as a share of the shorter one. */
    const overlapShare = (a: ProofResult, b: ProofResult) => {
      const [p, q] = [a.provedDuring!, b.provedDuring!];
      const overlap = Math.min(p.end, q.end) - Math.max(p.start, q.start);
      return overlap / Math.min(p.end - p.start, q.end - q.start);
    };

    it("runs proofs in parallel: two proofs' running intervals overlap, and the event loop keeps ticking", async function () {
      const twoWorkers = new ProverPool(2);
      try {
        const prover = await openProver("voiceJudgeSmall", twoWorkers);
        const x = (await samples("voiceJudgeSmall"))["0.50"]!;
        let ticks = 0;
        const timer = setInterval(() => ticks++, 50);
        const [a, b] = await Promise.all([0, 1].map(() => prover.prove([x], ALICE)));
        clearInterval(timer);
        expect(prover.verify(a!.proofJson) && prover.verify(b!.proofJson)).to.equal(true);
        expect(overlapShare(a!, b!), `intervals ${JSON.stringify([a!.provedDuring, b!.provedDuring])}`).to.be.greaterThan(0.5);
        expect(ticks, "event loop kept ticking while proving").to.be.greaterThan(10);
      } finally {
        await twoWorkers.close();
      }
    });

    it("one worker runs them one after the other (the overlap measure can fail)", async function () {
      const oneWorker = new ProverPool(1);
      try {
        const prover = await openProver("voiceJudgeSmall", oneWorker);
        const x = (await samples("voiceJudgeSmall"))["0.50"]!;
        const [a, b] = await Promise.all([0, 1].map(() => prover.prove([x], ALICE)));
        expect(overlapShare(a!, b!)).to.be.lessThan(0.1);
      } finally {
        await oneWorker.close();
      }
    });
  });

  describe("chai matcher rejectedAsInvalidProof", function () {
    let verifier: Halo2VerifierContract;
    let reward: Awaited<ReturnType<typeof deployReward>>;
    const deployReward = async (ethers: Awaited<ReturnType<typeof network.create>>["ethers"], at: string) =>
      ethers.deployContract("JudgmentReward", [
        at,
        ZeroAddress,
        { count: 2n, recipientIndex: 0n, scoreIndex: 1n, scoreMin: 0n, scoreMax: 128n },
        { source: 0, at: 0, length: 64 },
        ZeroAddress,
        false,
        { threshold: 64n, rewardAmount: 1n, roundCap: 10n },
        0n,
      ]);
    const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const proofBytes = "0x" + "12".repeat(256);
    /** Runs the matcher and reports whether it passed. */
    const matches = async (subject: Promise<unknown>, errorName?: string) => {
      try {
        await expect(subject).to.be.rejectedAsInvalidProof(errorName);
        return true;
      } catch (e) {
        if ((e as Error).name !== "AssertionError") throw e;
        return false;
      }
    };

    before(async function () {
      await buildModel("voiceJudgeSmall");
      const { ethers } = await network.create();
      verifier = (await ethers.deployContract("VoiceJudgeSmallVerifier")) as unknown as Halo2VerifierContract;
      reward = await deployReward(ethers, await verifier.getAddress());
      const [owner] = await ethers.getSigners();
      await owner!.sendTransaction({ to: await reward.getAddress(), value: 10n });
    });

    it("matches the verifier's own failure (empty revert data) and a wrapping InvalidProof()", async function () {
      expect(await matches(verifier.verifyProof("0x1234", [1n, 2n]))).to.equal(true);
      expect(await matches(reward.claim(RECIPIENT, proofBytes, [BigInt(RECIPIENT), 100n], 1n))).to.equal(true);
    });

    it("does not match a rejection without revert data, another custom error, or success", async function () {
      expect(await matches(Promise.reject(new Error("connection refused")))).to.equal(false);
      expect(await matches(reward.claim(RECIPIENT, proofBytes, [BigInt(RECIPIENT), 2n, 3n], 1n))).to.equal(false); // WrongInstanceCount
      expect(await matches(reward.claim(RECIPIENT, proofBytes, [BigInt(RECIPIENT), 100n], 1n), "CommitmentAlreadyPaid")).to.equal(false);
      expect(await matches(Promise.resolve(true))).to.equal(false);
    });
  });

  describe("bad input is a clear error", function () {
    let prover: ModelProver;
    let x: number[];
    before(async function () {
      prover = await openProver("voiceJudgeSmall", pool);
      x = (await samples("voiceJudgeSmall"))["0.50"]!;
    });

    const rejects = async (p: Promise<unknown>, re: RegExp) => {
      try {
        await p;
      } catch (e) {
        expectDeliberate(e);
        expect((e as Error).message).to.match(re);
        return;
      }
      throw new Error("expected an error");
    };

    it("wrong shape", () => rejects(prover.prove([x.slice(1)], ALICE), /input "x" has 319 values; shape 1x1x16x20 needs 320/));
    it("NaN", () => rejects(prover.prove([[NaN, ...x.slice(1)]], ALICE), /input "x" has a non-finite value \(NaN\) at index 0/));
    it("address out of range", () =>
      rejects(prover.prove([x], "0x1" + "0".repeat(40)), /--prover "0x10{40}" is not an address; give 0x followed by 40 hex digits/));
    it("missing address names --prover", () =>
      rejects(prover.prove([x]), /binds the prover's address into the proof; pass it with --prover <address>/));

    it("an input outside the calibrated range is stopped before a proof no verifier accepts", async function () {
      const loud = x.map(() => 40);
      await rejects(
        prover.prove([loud], ALICE),
        /drives a (lookup|value)\b.* outside the (calibrated range|ranges the circuit was sized for)\b.*calibration data/,
      );
    });

    it("missing artifacts", async function () {
      const model = { ...hre.config.zk.models.voiceJudgeSmall!, name: "neverBuilt" };
      await rejects(
        ModelProver.open(ctx.root, ctx.artifactsDir, model),
        /model "neverBuilt" has no build .*npx hardhat zk setup --model neverBuilt/,
      );
    });

    it("stale artifacts", async function () {
      const paths = modelArtifacts(ctx.artifactsDir, "voiceJudgeSmall");
      const backup = paths.pk + ".bak";
      await copyFile(paths.pk, backup);
      try {
        await writeFile(paths.pk, Buffer.from("not the key"));
        await rejects(
          ModelProver.open(ctx.root, ctx.artifactsDir, hre.config.zk.models.voiceJudgeSmall!),
          /pk\.key does not match its manifest hash/,
        );
      } finally {
        await copyFile(backup, paths.pk);
        await rm(backup);
      }
    });
  });

  describe("tasks: zk prove, zk verify, zk calldata", function () {
    it("prove writes a proof that verify accepts off-chain and on-chain, and calldata encodes it", async function () {
      await buildModel("voiceJudgeSmall");
      const out = path.join(ctx.root, ".test-projects", "task-proofs");
      await rm(out, { recursive: true, force: true });
      const log = await captureLog(() => hre.tasks.getTask(["zk", "prove"]).run({ model: "voiceJudgeSmall", prover: ALICE, out }));
      expect(log).to.match(new RegExp(`bound address: ${ALICE}`));
      const file = /-> (.*\.proof\.json)/.exec(log)![1]!;
      const proofFile = path.resolve(file);

      const { ethers } = await hre.network.getOrCreate();
      const verifier = await ethers.deployContract("VoiceJudgeSmallVerifier");
      const verifierAddress = await verifier.getAddress();
      const verified = await captureLog(() =>
        hre.tasks.getTask(["zk", "verify"]).run({
          model: "voiceJudgeSmall",
          proof: proofFile,
          verifier: verifierAddress,
        }),
      );
      expect(verified)
        .to.match(/off-chain \(WASM\): valid/)
        .and.to.match(/on-chain .*: valid/);

      const calldata = (await captureLog(() => hre.tasks.getTask(["zk", "calldata"]).run({ proof: proofFile }))).trim();
      expect(calldata.slice(0, 10)).to.equal("0x1e8e1e13");
      expect(await readFile(proofFile.replace(/\.proof\.json$/, ".calldata"), "utf8")).to.equal(calldata + "\n");
    });
  });
});
