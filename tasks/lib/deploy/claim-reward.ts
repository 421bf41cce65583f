import type { ContractTransactionReceipt, Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { ZkError } from "../errors.js";
import type { JudgeProver, ProvedJudgment } from "../prover/judge.js";

export interface ClaimOutcome {
  proved: ProvedJudgment;
  txHash: string;
  gasUsed: bigint;
  paid: bigint;
}

/**
 * Proves a judgment of `features` for `claimant` in WASM and claims it on the reward
 * contract: with the address as key, or the domain-bound key if the contract wants it.
 */
export async function proveAndClaim(
  connection: NetworkConnection<string>, judge: JudgeProver, rewardAddress: string, claimant: Signer, features: number[],
): Promise<ClaimOutcome> {
  const { ethers } = connection;
  const reward = await ethers.getContractAt("JudgmentReward", rewardAddress, claimant);
  const recipient = await claimant.getAddress();
  const domainBound = await reward.domainBound();
  const proved = domainBound
    ? await judge.proveDomainJudgment(recipient, await reward.domainKey(recipient), features)
    : await judge.proveJudgment(recipient, features);
  if (proved.judgment.scoreFelt < (await reward.threshold())) {
    throw new ZkError(`score ${proved.judgment.score} is below the reward's threshold; nothing to claim`);
  }
  const before = await ethers.provider.getBalance(recipient);
  const tx = domainBound
    ? await reward.claimFor(recipient, proved.args.proof, proved.args.instances)
    : await reward.claim(proved.args.proof, proved.args.instances);
  // Typed here, not by the workspace's typechain output, so the published build compiles alone.
  const receipt = (await tx.wait()) as ContractTransactionReceipt;
  const after = await ethers.provider.getBalance(recipient);
  return { proved, txHash: receipt.hash, gasUsed: receipt.gasUsed, paid: after - before + receipt.gasUsed * receipt.gasPrice };
}
