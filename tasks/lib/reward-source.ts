import type { NetworkConnection } from "hardhat/types/network";
import { assertContractAt } from "@hardhat-zkml/core/chain-errors.js";
import { readRewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import type { RewardSource } from "@hardhat-zkml/server/reward-terms.js";

/** The reward at `address` on the connected chain, paying proofs of `model`. */
export async function chainRewardSource(connection: NetworkConnection<string>, address: string, model: string): Promise<RewardSource> {
  const { ethers } = connection;
  await assertContractAt(ethers.provider, address, "--reward", "a JudgmentReward (`npx hardhat zk deploy`)");
  const reward = await ethers.getContractAt("JudgmentReward", address);
  return {
    model,
    terms: () => readRewardTerms(reward),
    hasCode: async (a) => (await ethers.provider.getCode(a)) !== "0x",
  };
}
