import type { ContractTransactionReceipt, Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { assertContractAt, chainError, describeChainError, revertData } from "../chain-errors.js";
import { ZkError } from "../errors.js";
import type { JudgeProver, ProvedJudgment } from "../prover/judge.js";
import type { ModelInputs } from "../prover/model-prover.js";

export interface ClaimOutcome {
  proved: ProvedJudgment;
  txHash: string;
  gasUsed: bigint;
  paid: bigint;
}

/** What to do about each JudgmentReward refusal a claimant can meet. */
const CLAIM_HINTS: Record<string, string> = {
  AlreadyClaimed: "this address was paid in this round already; claim with another --account or wait for the next round",
  ProofAlreadyUsed: "this proof was used before; prove again",
  ScoreBelowThreshold: "the judgment scores below the reward's threshold; nothing to claim",
  InvalidProof: "the deployed verifier rejects the proof; if the keys were rebuilt, run `npx hardhat zk verifier` and redeploy",
  InsufficientFunds: "the reward contract has too little ETH; the owner must fund it",
  EnforcedPause: "claims are paused by the owner",
  DomainMismatch: "the proof is bound to another deployment or chain",
  WrongClaimMode: "the proof's key does not match the contract's claim mode",
};

export interface ClaimHooks {
  /** Wraps the proof (e.g. to show progress); default: runs it. */
  proving?: <T>(prove: () => Promise<T>) => Promise<T>;
}

/**
 * Proves a judgment of `features` for `claimant` in WASM and claims it on the reward
 * contract: with the address as key, or the domain-bound key if the contract wants it.
 * A missing contract or a reverted claim is a one-line ZkError with the decoded reason.
 */
export async function proveAndClaim(
  connection: NetworkConnection<string>, judge: JudgeProver, rewardAddress: string, claimant: Signer, features: number[] | ModelInputs,
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
  const domainBound = await onChain("reading domainBound()", () => reward.domainBound());
  const threshold = await onChain("reading threshold()", () => reward.threshold());
  const key = domainBound ? await onChain("reading domainKey()", () => reward.domainKey(recipient)) : undefined;
  const prove = () => (key !== undefined ? judge.proveDomainJudgment(recipient, key, features) : judge.proveJudgment(recipient, features));
  const proved = await (hooks.proving ?? ((p) => p()))(prove);
  if (proved.judgment.scoreFelt < threshold) {
    throw new ZkError(`score ${proved.judgment.score} is below the reward's threshold ${Number(threshold) / 2 ** proved.judgment.scoreScale}; nothing to claim`);
  }
  const before = await ethers.provider.getBalance(recipient);
  let receipt: ContractTransactionReceipt;
  try {
    const tx = domainBound
      ? await reward.claimFor(recipient, proved.args.proof, proved.args.instances)
      : await reward.claim(proved.args.proof, proved.args.instances);
    // Typed here, not by the workspace's typechain output, so the published build compiles alone.
    receipt = (await tx.wait()) as ContractTransactionReceipt;
  } catch (e) {
    const name = reward.interface.parseError(revertData(e) ?? "0x")?.name;
    const hint = name !== undefined && CLAIM_HINTS[name] !== undefined ? `; ${CLAIM_HINTS[name]}` : "";
    throw new ZkError(`claim on ${rewardAddress} for ${recipient} ${describeChainError(e, reward.interface)}${hint}`, e as Error);
  }
  const after = await ethers.provider.getBalance(recipient);
  return { proved, txHash: receipt.hash, gasUsed: receipt.gasUsed, paid: after - before + receipt.gasUsed * receipt.gasPrice };
}
