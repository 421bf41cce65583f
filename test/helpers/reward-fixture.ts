import { readFile } from "node:fs/promises";
import path from "node:path";
import hre, { network } from "hardhat";
import { ZeroAddress, parseEther } from "ethers";
import { JudgeProver } from "../../tasks/lib/prover/judge.js";
import { cachedProof } from "../../tasks/lib/prover/proof-cache.js";
import type { ProofResult } from "../../tasks/lib/prover/model-prover.js";
import { rewardLayout, thresholdFelt } from "../../tasks/lib/reward/layout.js";
import { ctx, openProver } from "./fixtures.js";

export const MODEL = "voiceJudgeSmall";
export const REWARD = parseEther("1");
export const THRESHOLD = 0.5;

export async function voiceSamples(): Promise<Record<string, number[]>> {
  return JSON.parse(await readFile(path.join(ctx.root, "models", MODEL, "samples.json"), "utf8"));
}

/** A fresh chain with the model's verifier and a funded JudgmentReward. */
export async function deployRewardFixture(opts: { domainBound?: boolean } = {}) {
  const judge = new JudgeProver(await openProver(MODEL));
  const connection = await network.create();
  const { ethers } = connection;
  const [owner, alice, bot, carol] = await ethers.getSigners();
  const verifier = await ethers.deployContract("VoiceJudgeSmallVerifier");
  const layout = rewardLayout(hre.config.zk.models[MODEL]!, judge.prover.files.manifest);
  const deployReward = async (domainBound: boolean) => {
    const reward = await ethers.deployContract("JudgmentReward", [
      await verifier.getAddress(), ZeroAddress, layout, domainBound, thresholdFelt(THRESHOLD, layout), REWARD,
    ]);
    await owner!.sendTransaction({ to: await reward.getAddress(), value: parseEther("10") });
    return reward;
  };
  const reward = await deployReward(opts.domainBound ?? false);
  const prove = (features: number[], bound: string | bigint): Promise<ProofResult> =>
    cachedProof(judge.prover, ctx.artifactsDir, [features], bound);
  return { connection, ethers, owner: owner!, alice: alice!, bot: bot!, carol: carol!, verifier, reward, deployReward, layout, judge, prove };
}
