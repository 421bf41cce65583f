import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ZeroAddress, parseEther } from "ethers";
import hre, { network } from "hardhat";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import { engineCalldata } from "@hardhat-zkml/core/prover/engine-ops.js";
import { deployJudgeReward } from "../../tasks/lib/deploy/deploy-reward.js";
import { rewardCommitment, rewardLayout, thresholdFelt } from "@hardhat-zkml/core/reward/layout.js";
import { MAX_CODE_SIZE, MAX_TX_GAS } from "@hardhat-zkml/core/pipeline/model-info.js";
import { ctx, openProver } from "../helpers/fixtures.js";

const MODEL = "voiceJudge";
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("voiceJudge at the tutorial's size (1x128x130 mel, conv k5 s4, linear 992->1)", function () {
  it("proves in WASM, verifies through the reusable verifier + VK artifact, and pays through JudgmentReward", async function () {
    const judge = new JudgeProver(await openProver(MODEL));
    const samples = JSON.parse(await readFile(path.join(ctx.root, "models", MODEL, "samples.json"), "utf8")) as Record<string, number[]>;
    const x = samples["0.95"]!;
    const proved = await cachedProof(judge.prover, ctx.artifactsDir, [x], ALICE);
    const judgment = judge.judgmentOf(proved);
    expect(judgment.recipient).to.equal(ALICE);
    expect(proved.instances[judgment.recipientIndex]!.felt).to.equal(BigInt(ALICE));
    expect(judge.prover.verify(proved.proofJson)).to.equal(true);

    const [, [reference]] = (await runEzkl<number[][]>(ctx.root, "onnx_run", {
      model: hre.config.zk.models[MODEL]!.onnx,
      inputs: [[0], x],
    })) as [number[], [number]];
    expect(Math.abs(judgment.score - reference), `${judgment.score} vs ${reference}`).to.be.at.most(4 / 2 ** judgment.scoreScale);
    expect(judgment.score).to.be.greaterThan(0.8);

    const { ethers } = await network.create();
    const verifier = await ethers.deployContract("VoiceJudgeReusableVerifier");
    const vk = await ethers.deployContract("VoiceJudgeVerifyingKey");
    for (const c of [verifier, vk]) {
      const code = await ethers.provider.getCode(await c.getAddress());
      expect((code.length - 2) / 2).to.be.at.most(MAX_CODE_SIZE);
      expect((await c.deploymentTransaction()!.wait())!.gasUsed).to.be.at.most(MAX_TX_GAS);
    }
    expect(await verifier.verifyProof.staticCall(await vk.getAddress(), proved.args.proof, proved.args.instances)).to.equal(true);
    // The engine's reusable-form calldata (what `zk calldata --vk` and `zk verify --vk` send).
    const reusableCalldata = "0x" + Buffer.from(engineCalldata(proved.proofJson, await vk.getAddress())).toString("hex");
    expect(reusableCalldata).to.equal(
      verifier.interface.encodeFunctionData("verifyProof", [await vk.getAddress(), proved.args.proof, proved.args.instances]),
    );

    const model = hre.config.zk.models[MODEL]!;
    const layout = rewardLayout(model, judge.prover.files.manifest);
    const reward = await ethers.deployContract("JudgmentReward", [
      await verifier.getAddress(),
      await vk.getAddress(),
      layout,
      rewardCommitment(model, judge.prover.files.manifest),
      ZeroAddress,
      false,
      { threshold: thresholdFelt(0.5, layout), rewardAmount: parseEther("1"), roundCap: parseEther("2") },
      0n,
    ]);
    const [owner, , bot] = await ethers.getSigners(); // signer 1 is Alice
    await owner!.sendTransaction({ to: await reward.getAddress(), value: parseEther("2") });
    const before = await ethers.provider.getBalance(ALICE);
    await expect(reward.connect(bot!).claim(ALICE, proved.args.proof, proved.args.instances, parseEther("1"))).to.emit(reward, "Claimed");
    expect(await ethers.provider.getBalance(ALICE)).to.equal(before + parseEther("1"));
  });

  it("deploys through the reusable-verifier Ignition module (zk deploy's path) and pays a claim", async function () {
    const judge = new JudgeProver(await openProver(MODEL));
    const samples = JSON.parse(await readFile(path.join(ctx.root, "models", MODEL, "samples.json"), "utf8")) as Record<string, number[]>;
    const proved = await cachedProof(judge.prover, ctx.artifactsDir, [samples["0.95"]!], ALICE);
    const connection = await network.create();
    const deployed = await deployJudgeReward(connection, hre.artifacts, hre.config.zk.models[MODEL]!, judge.prover.files.manifest, {
      threshold: 0.5,
      rewardEth: "0.2",
      fundEth: "1",
      domainBound: false,
      allowInsecureSrs: false,
      local: true,
    });
    expect(deployed.verifyingKey).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(deployed.footprints.map((f) => f.contract)).to.deep.equal(["VoiceJudgeReusableVerifier", "VoiceJudgeVerifyingKey"]);
    const reward = await connection.ethers.getContractAt("JudgmentReward", deployed.reward);
    expect(await reward.verifyingKey()).to.equal(deployed.verifyingKey);
    const before = await connection.ethers.provider.getBalance(ALICE);
    await reward.claim(ALICE, proved.args.proof, proved.args.instances, parseEther("0.2"));
    expect(await connection.ethers.provider.getBalance(ALICE)).to.equal(before + parseEther("0.2"));
    await judge.prover.close();
  });
});
