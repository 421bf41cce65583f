import type { Interface } from "ethers";
import { decodeErrorName, describeChainError, revertData } from "../chain-errors.js";

/** What to do about each JudgmentReward refusal a claimant can meet. */
export const CLAIM_HINTS: Record<string, string> = {
  CommitmentAlreadyPaid: "this recording's judgment was paid already (by any claimant); nothing to claim",
  ScoreBelowThreshold: "the judgment scores below the reward's threshold; nothing to claim",
  InvalidProof: "the deployed verifier rejects the proof; if the keys were rebuilt, run `npx hardhat zk verifier` and redeploy",
  VerifierOutOfGas: "the claim ran out of gas inside the verifier; send it with a higher gas limit",
  InsufficientFunds: "the reward contract has too little ETH; the owner must fund it",
  RoundCapReached: "this round's payout cap is used up; claim in the next round",
  RewardBelowMinimum: "the reward was lowered below what this claim accepts; claim again to accept the new amount",
  RecipientNotAllowed: "the zero address and precompiles cannot be paid; claim for another account",
  RecipientIsRewardContract: "the reward contract cannot pay itself; claim for another account",
  RecipientIsVerifier: "the reward's verifier cannot be paid; claim for another account",
  RecipientIsVerifyingKey: "the reward's verifying-key artifact cannot be paid; claim for another account",
  KeyMismatch: "the proof is bound to another deployment, chain, round or recipient; prove again for this reward",
  AttestationRequired: "this reward pays only attested recordings; pass --attester-account or --attestation",
  AttestationExpired: "the attester's signature has expired; get a new one",
  InvalidAttestation: "the attester did not sign this recording, recipient and round",
  EnforcedPause: "claims are paused by the owner",
};

/**
 * Why a claim reverted, with what to do: the decoded JudgmentReward error and its hint. Every
 * refusal of the contract is a named error, so a revert without data is the claim running out
 * of gas outside the verifier (inside it, the contract reports VerifierOutOfGas).
 */
export function describeClaimFailure(e: unknown, iface: Interface): string {
  const data = revertData(e);
  const reason = describeChainError(e, iface);
  if (data === "0x") return `${reason}; the claim ran out of gas; send it with a higher gas limit`;
  const name = data === undefined ? undefined : decodeErrorName(data, iface);
  return name !== undefined && CLAIM_HINTS[name] !== undefined ? `${reason}; ${CLAIM_HINTS[name]}` : reason;
}
