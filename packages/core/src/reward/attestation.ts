import { readFile } from "node:fs/promises";
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";
import { ZkError } from "../errors.js";

/** What the attester signs for one claim (EIP-712, domain "JudgmentReward" version "1"). */
export interface Attestation {
  /** The input commitment of the recording (see reward/commitment.ts). */
  commitment: string;
  recipient: string;
  round: bigint;
  /** Unix seconds after which the contract refuses the signature. */
  deadline: bigint;
}

export interface SignedAttestation extends Attestation {
  signature: string;
}

export const ATTESTATION_TYPES: Record<string, TypedDataField[]> = {
  Attestation: [
    { name: "commitment", type: "bytes32" },
    { name: "recipient", type: "address" },
    { name: "round", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The reward contract's EIP-712 domain: this chain and this contract only. */
export function attestationDomain(chainId: bigint, rewardContract: string): TypedDataDomain {
  return { name: "JudgmentReward", version: "1", chainId, verifyingContract: rewardContract };
}

/**
 * The attester's signature over (commitment, recipient, round, deadline) for one reward
 * contract on one chain. `attester` is the attester's key (an ethers Signer); for an
 * ERC-1271 attester contract, the key its isValidSignature accepts.
 */
export async function signAttestation(
  attester: Signer,
  chainId: bigint,
  rewardContract: string,
  attestation: Attestation,
): Promise<SignedAttestation> {
  const signature = await attester.signTypedData(attestationDomain(chainId, rewardContract), ATTESTATION_TYPES, {
    commitment: attestation.commitment,
    recipient: attestation.recipient,
    round: attestation.round,
    deadline: attestation.deadline,
  });
  return { ...attestation, signature };
}

/** A signed attestation from a JSON file ({commitment, recipient, round, deadline, signature}). */
export async function readAttestationFile(file: string): Promise<SignedAttestation> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  } catch {
    throw new ZkError(`--attestation ${file} is missing or not JSON; write {commitment, recipient, round, deadline, signature}`);
  }
  const fields = ["commitment", "recipient", "round", "deadline", "signature"];
  const missing = fields.filter((k) => typeof raw[k] !== "string" && typeof raw[k] !== "number");
  if (missing.length > 0) throw new ZkError(`--attestation ${file} lacks ${missing.join(", ")}`);
  return {
    commitment: String(raw.commitment),
    recipient: String(raw.recipient),
    round: BigInt(raw.round as string),
    deadline: BigInt(raw.deadline as string),
    signature: String(raw.signature),
  };
}
