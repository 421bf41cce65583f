import type { ContractTransactionReceipt, Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { assertContractAt, chainError } from "@hardhat-zkml/core/chain-errors.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { JudgeProver, ProvedJudgment } from "@hardhat-zkml/core/prover/judge.js";
import type { ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";
import type { SignedAttestation } from "@hardhat-zkml/core/reward/attestation.js";
import { attestFeatures, proveForReward, readRewardTerms, sendClaim, signedScore } from "@hardhat-zkml/core/reward/claim.js";
import { describeClaimFailure } from "@hardhat-zkml/core/reward/claim-failure.js";

export interface ClaimOutcome {
  proved: ProvedJudgment;
  txHash: string;
  gasUsed: bigint;
  paid: bigint;
  attestation?: SignedAttestation;
}

export interface ClaimHooks {
  /** Wraps the proof (e.g. to show progress); default: runs it. */
  proving?: <T>(prove: () => Promise<T>) => Promise<T>;
  /** For an attested reward: a local account standing in for the attesting service signs the features' commitment. */
  attester?: Signer;
  /** For an attested reward: an attestation signed beforehand. */
  attestation?: SignedAttestation;
}

/**
 * Proves a judgment of `features` for `claimant` in WASM and claims it on the reward
 * contract, in the contract's mode (domain-bound key or address; attested or open). For an
 * attested reward, `hooks.attester` signs the features' commitment, or `hooks.attestation`
 * is one signed beforehand. A missing contract or a reverted claim is a one-line ZkError
 * with the decoded reason.
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
  const onChain = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      throw chainError(e, what, { iface: reward.interface, fix: `is ${rewardAddress} a JudgmentReward?` });
    }
  };
  const recipient = await claimant.getAddress();
  const terms = await onChain("reading the reward's terms", () => readRewardTerms(reward));
  const inputs = features.length > 0 && Array.isArray(features[0]) ? (features as ModelInputs) : [features as number[]];
  if (terms.attester !== undefined && hooks.attestation === undefined && inputs.length !== 1) {
    throw new ZkError(
      `the reward at ${rewardAddress} pays only attested recordings, which needs a judge with one feature input; model "${judge.prover.model.name}" has ${inputs.length}`,
    );
  }
  const attestation =
    hooks.attestation ??
    (terms.attester !== undefined && hooks.attester !== undefined
      ? await attestFeatures(hooks.attester, judge, terms, recipient, inputs[0]!)
      : undefined);
  if (terms.attester !== undefined && attestation === undefined) {
    throw new ZkError(
      `the reward at ${rewardAddress} pays only attested recordings; pass the attester (--attester-account) or a signed attestation (--attestation)`,
    );
  }
  const proved = await (hooks.proving ?? ((p) => p()))(() => proveForReward(judge, terms, recipient, features));
  if (signedScore(proved.judgment.scoreFelt) < terms.threshold) {
    throw new ZkError(
      `score ${proved.judgment.score} is below the reward's threshold ${Number(terms.threshold) / 2 ** proved.judgment.scoreScale}; nothing to claim`,
    );
  }
  const before = await ethers.provider.getBalance(recipient);
  let receipt: ContractTransactionReceipt;
  try {
    const tx = await sendClaim(reward, terms, proved, { attestation });
    // Typed here, not by the workspace's typechain output, so the published build compiles alone.
    receipt = (await tx.wait()) as ContractTransactionReceipt;
  } catch (e) {
    throw new ZkError(`claim on ${rewardAddress} for ${recipient} ${describeClaimFailure(e, reward.interface)}`, e as Error);
  }
  const after = await ethers.provider.getBalance(recipient);
  return { proved, txHash: receipt.hash, gasUsed: receipt.gasUsed, paid: after - before + receipt.gasUsed * receipt.gasPrice, attestation };
}
