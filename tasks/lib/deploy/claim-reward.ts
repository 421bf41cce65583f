import type { Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { ZkError } from "../errors.js";
import { JudgeProver, type ProvedJudgment } from "../prover/judge.js";
import type { SignedAttestation } from "../reward/attestation.js";
import { attestFeatures, proveForReward, readRewardTerms, sendClaim, signedScore } from "../reward/claim.js";

export interface ClaimOutcome {
  proved: ProvedJudgment;
  txHash: string;
  gasUsed: bigint;
  paid: bigint;
  attestation?: SignedAttestation;
}

/**
 * Proves a judgment of `features` for `claimant` in WASM and claims it on the reward
 * contract, in the contract's mode (domain-bound key or address; attested or open). For an
 * attested reward, `attester` signs the features' commitment (a local account standing in
 * for the attesting service), or `attestation` is one signed beforehand.
 */
export async function proveAndClaim(
  connection: NetworkConnection<string>, judge: JudgeProver, rewardAddress: string, claimant: Signer, features: number[],
  opts: { attester?: Signer; attestation?: SignedAttestation } = {},
): Promise<ClaimOutcome> {
  const { ethers } = connection;
  const reward = await ethers.getContractAt("JudgmentReward", rewardAddress, claimant);
  const recipient = await claimant.getAddress();
  const terms = await readRewardTerms(reward);
  const attestation = opts.attestation ?? (terms.attester !== undefined && opts.attester !== undefined
    ? await attestFeatures(opts.attester, judge, terms, recipient, features)
    : undefined);
  if (terms.attester !== undefined && attestation === undefined) {
    throw new ZkError(`the reward at ${rewardAddress} pays only attested recordings; pass the attester (--attester-account) or a signed attestation (--attestation)`);
  }
  const proved = await proveForReward(judge, terms, recipient, features);
  if (signedScore(proved.judgment.scoreFelt) < terms.threshold) {
    throw new ZkError(`score ${proved.judgment.score} is below the reward's threshold; nothing to claim`);
  }
  const before = await ethers.provider.getBalance(recipient);
  const tx = await sendClaim(reward, terms, proved, { attestation });
  const receipt = (await tx.wait())!;
  const after = await ethers.provider.getBalance(recipient);
  return { proved, txHash: receipt.hash, gasUsed: receipt.gasUsed, paid: after - before + receipt.gasUsed * receipt.gasPrice, attestation };
}
