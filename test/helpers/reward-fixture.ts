import { readFile } from "node:fs/promises";
import path from "node:path";
import hre, { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { HDNodeWallet, ZeroAddress, parseEther, type BaseContract } from "ethers";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import type { ProofResult } from "@hardhat-zkml/core/prover/model-prover.js";
import { provenKey, readRewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import { rewardCommitment, rewardLayout, thresholdFelt, type RewardLayout } from "@hardhat-zkml/core/reward/layout.js";
import { ctx, openProver } from "./fixtures.js";

export const MODEL = "voiceJudgeSmall";
export const REWARD = parseEther("1");
export const FUND = parseEther("10");
export const THRESHOLD = 0.5;
/** The private key of one of Hardhat's default accounts. */
export function hardhatAccountKey(index: number): string {
  return HDNodeWallet.fromPhrase("test test test test test test test test test test test junk", undefined, `m/44'/60'/0'/0/${index}`)
    .privateKey;
}

/** The private key of Hardhat's default account 4, the fixture's attester (what ZK_ATTESTER_KEY holds). */
export const ATTESTER_KEY = hardhatAccountKey(4);

export async function voiceSamples(): Promise<Record<string, number[]>> {
  return JSON.parse(await readFile(path.join(ctx.root, "models", MODEL, "samples.json"), "utf8"));
}

export interface RewardOptions {
  attester?: string;
  domainBound?: boolean;
  roundCap?: bigint;
  minRoundSeconds?: bigint;
  /** Deploy an ERC-1271 attester contract (from the attester account) and use it. */
  erc1271Attester?: boolean;
  /** The score that pays (default THRESHOLD). */
  threshold?: number;
  /** Deploy on this chain (a `hardhat node`, say) instead of a fresh in-process one. */
  connection?: NetworkConnection<string>;
}

export interface AcceptingOptions {
  verifyingKey?: string;
  /** The contract's InstanceLayout (scoreOne is not a contract field). */
  layout?: Omit<RewardLayout, "scoreOne">;
  commitment?: { source: number; at: number; length: number };
  attester?: string;
  /** Signed fixed point (default 64, 0.5 at scale 7). */
  threshold?: bigint;
}

/** A fresh chain (or `opts.connection`) with the model's verifier and a funded JudgmentReward (open, domain-bound by default). */
export async function deployRewardFixture(opts: RewardOptions = {}) {
  const judge = new JudgeProver(await openProver(MODEL));
  const connection = opts.connection ?? (await network.create());
  const { ethers } = connection;
  const [owner, alice, bot, carol, attester] = await ethers.getSigners();
  const verifier = await ethers.deployContract("VoiceJudgeSmallVerifier");
  // Deployed from the attester's account so the owner's nonces (and so the reward's address) do not move.
  const attesterContract = opts.erc1271Attester
    ? await ethers.deployContract("ERC1271Attester", [attester!.address], attester!)
    : undefined;
  if (attesterContract) opts = { ...opts, attester: await attesterContract.getAddress() };
  const model = hre.config.zk.models[MODEL]!;
  const manifest = judge.prover.files.manifest;
  const layout = rewardLayout(model, manifest);
  const commitment = rewardCommitment(model, manifest);
  const deployReward = async (o: RewardOptions = opts) => {
    const reward = await ethers.deployContract("JudgmentReward", [
      await verifier.getAddress(),
      ZeroAddress,
      layout,
      commitment,
      o.attester ?? ZeroAddress,
      o.domainBound ?? true,
      { threshold: thresholdFelt(o.threshold ?? THRESHOLD, layout), rewardAmount: REWARD, roundCap: o.roundCap ?? FUND },
      o.minRoundSeconds ?? 0n,
    ]);
    await owner!.sendTransaction({ to: await reward.getAddress(), value: FUND });
    return reward;
  };
  const reward = await deployReward();
  /**
   * A funded JudgmentReward (bare-address keys) behind a verifier double that accepts every
   * proof: for the contract's own checks and arithmetic. `verifyingKey` makes it a reusable one.
   */
  const deployAccepting = async (o: AcceptingOptions = {}) => {
    const accepting = await ethers.deployContract("AcceptingVerifier");
    const reward = await ethers.deployContract("JudgmentReward", [
      await accepting.getAddress(),
      o.verifyingKey ?? ZeroAddress,
      o.layout ?? layout,
      o.commitment ?? { source: 0, at: 0, length: 64 },
      o.attester ?? ZeroAddress,
      false,
      { threshold: o.threshold ?? 64n, rewardAmount: REWARD, roundCap: FUND },
      0n,
    ]);
    await owner!.sendTransaction({ to: await reward.getAddress(), value: FUND });
    return { reward, verifier: accepting };
  };
  /** A proof of `features` for `recipient` in the form `on` pays (its key for this chain, contract and round). */
  const prove = async (features: number[], recipient: string, on: BaseContract = reward): Promise<ProofResult> =>
    cachedProof(judge.prover, ctx.artifactsDir, [features], provenKey(await readRewardTerms(on), recipient));
  /** A proof with an explicit key (foreign chains, rounds, bare addresses). */
  const proveKey = (features: number[], key: string | bigint): Promise<ProofResult> =>
    cachedProof(judge.prover, ctx.artifactsDir, [features], key);
  return {
    connection,
    ethers,
    owner: owner!,
    alice: alice!,
    bot: bot!,
    carol: carol!,
    attester: attester!,
    verifier,
    reward,
    deployReward,
    deployAccepting,
    attesterContract,
    layout,
    commitment,
    judge,
    prove,
    proveKey,
  };
}
