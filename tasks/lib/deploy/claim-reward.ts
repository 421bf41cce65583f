import type { Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { assertContractAt } from "@hardhat-zkml/core/chain-errors.js";
import type { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import type { ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";
import { claimReward, type ClaimHooks, type ClaimOutcome } from "@hardhat-zkml/core/reward/claim-reward.js";

export type { ClaimHooks, ClaimOutcome };

/**
 * `claimReward` on the JudgmentReward at `rewardAddress` of this connection's network,
 * after checking that a contract is there (a missing one is a one-line ZkError naming --reward).
 */
export async function proveAndClaim(
  connection: NetworkConnection<string>,
  judge: JudgeProver,
  rewardAddress: string,
  claimant: Signer,
  features: number[] | ModelInputs,
  hooks: ClaimHooks = {},
): Promise<ClaimOutcome> {
  const { ethers } = connection;
  await assertContractAt(ethers.provider, rewardAddress, "--reward", "a JudgmentReward (`npx hardhat zk deploy`)");
  const reward = await ethers.getContractAt("JudgmentReward", rewardAddress, claimant);
  return claimReward(reward, judge, claimant, features, hooks);
}
