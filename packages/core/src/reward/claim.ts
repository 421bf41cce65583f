import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";
import { ZkError } from "../errors.js";
import { FIELD_MODULUS } from "../felt.js";
import type { JudgeProver, ProvedJudgment } from "../prover/judge.js";
import type { ModelInputs } from "../prover/model-prover.js";
import type { VerifierArgs } from "../prover/proof-json.js";
import { signAttestation, type SignedAttestation } from "./attestation.js";
import { featureCommitment } from "./commitment.js";
import { domainKey } from "./domain-key.js";
import type { RewardCommitment } from "./layout.js";

/** What a claimant reads from a deployed JudgmentReward before proving. */
export interface RewardTerms {
  address: string;
  chainId: bigint;
  round: bigint;
  attester: string | undefined;
  /** The Halo2 verifier the reward calls, and its VK artifact (reusable verifiers): never recipients. */
  verifier?: string;
  verifyingKey?: string;
  domainBound: boolean;
  threshold: bigint;
  rewardAmount: bigint;
  commitment: RewardCommitment;
}

// The reward's read functions, untyped so this module does not depend on generated types.
type Reward = BaseContract;
const call = async <T>(reward: Reward, name: string, ...args: unknown[]): Promise<T> =>
  (await reward.getFunction(name).staticCall(...args)) as T;

const nonZero = (address: string): string | undefined => (BigInt(address) === 0n ? undefined : address);

export async function readRewardTerms(reward: Reward): Promise<RewardTerms> {
  const address = await reward.getAddress();
  const provider = reward.runner?.provider;
  if (!provider) throw new ZkError("the reward contract has no provider; connect it to a network first");
  const attester = await call<string>(reward, "attester");
  return {
    address,
    chainId: (await provider.getNetwork()).chainId,
    round: await call<bigint>(reward, "round"),
    attester: BigInt(attester) === 0n ? undefined : attester,
    verifier: await call<string>(reward, "verifier"),
    verifyingKey: nonZero(await call<string>(reward, "verifyingKey")),
    domainBound: await call<boolean>(reward, "domainBound"),
    threshold: await call<bigint>(reward, "threshold"),
    rewardAmount: await call<bigint>(reward, "rewardAmount"),
    commitment: {
      source: Number(await call<bigint>(reward, "commitmentSource")) as 0 | 1,
      at: await call<bigint>(reward, "commitmentAt"),
      length: await call<bigint>(reward, "commitmentLength"),
    },
  };
}

/** A score felt as signed fixed point, as JudgmentReward.scoreOf reads it. */
export function signedScore(felt: bigint): bigint {
  return felt > FIELD_MODULUS / 2n ? felt - FIELD_MODULUS : felt;
}

/** The key to prove for `recipient`: the domain-bound key of this chain, contract and round, or the address. */
export function provenKey(terms: RewardTerms, recipient: string): string | bigint {
  return terms.domainBound ? domainKey(terms.chainId, terms.address, recipient, terms.round) : recipient;
}

/** Proves `features` for `recipient` in the form this reward pays. */
export async function proveForReward(
  judge: JudgeProver,
  terms: RewardTerms,
  recipient: string,
  features: number[] | ModelInputs,
): Promise<ProvedJudgment> {
  const key = provenKey(terms, recipient);
  return typeof key === "bigint" ? judge.proveDomainJudgment(recipient, key, features) : judge.proveJudgment(recipient, features);
}

/**
 * The attester's side: commits to the features it heard (kzgCommit, no proof needed) and
 * signs them for `recipient` in the reward's current round, valid for `ttlSeconds`.
 */
export async function attestFeatures(
  attester: Signer,
  judge: JudgeProver,
  terms: RewardTerms,
  recipient: string,
  features: number[],
  ttlSeconds = 3600,
): Promise<SignedAttestation> {
  const latest = await attester.provider?.getBlock("latest");
  const now = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000));
  return signAttestation(attester, terms.chainId, terms.address, {
    commitment: featureCommitment(judge.prover, terms.commitment, features),
    recipient,
    round: terms.round,
    deadline: now + BigInt(ttlSeconds),
  });
}

export interface ClaimOptions {
  /** Refuse to be paid less (default: the reward read with the terms). */
  minReward?: bigint;
  /** Required when the reward has an attester. */
  attestation?: SignedAttestation;
  gasLimit?: bigint;
}

/** JudgmentReward's two claim functions, by their full signatures. */
export const CLAIM_FUNCTIONS = {
  /** claim(recipient, proof, instances, minReward) */
  open: "claim(address,bytes,uint256[],uint256)",
  /** claimAttested(recipient, proof, instances, minReward, deadline, signature) */
  attested: "claimAttested(address,bytes,uint256[],uint256,uint256,bytes)",
} as const;

export interface ClaimCall {
  function: (typeof CLAIM_FUNCTIONS)[keyof typeof CLAIM_FUNCTIONS];
  args: (string | bigint | bigint[])[];
}

/** The claim transaction for a proof: claimAttested with the attester's signature, or claim without one. */
export function claimCall(
  recipient: string,
  verifierArgs: VerifierArgs,
  minReward: bigint,
  attestation?: Pick<SignedAttestation, "deadline" | "signature">,
): ClaimCall {
  const { proof, instances } = verifierArgs;
  return attestation === undefined
    ? { function: CLAIM_FUNCTIONS.open, args: [recipient, proof, instances, minReward] }
    : { function: CLAIM_FUNCTIONS.attested, args: [recipient, proof, instances, minReward, attestation.deadline, attestation.signature] };
}

/** Sends the claim in the reward's mode: claimAttested with the signature, or claim. */
export async function sendClaim(
  reward: Reward,
  terms: RewardTerms,
  proved: ProvedJudgment,
  opts: ClaimOptions = {},
): Promise<ContractTransactionResponse> {
  const minReward = opts.minReward ?? terms.rewardAmount;
  const overrides = opts.gasLimit !== undefined ? { gasLimit: opts.gasLimit } : {};
  if (terms.attester !== undefined && opts.attestation === undefined)
    throw new ZkError(`the reward at ${terms.address} pays only attested recordings; get the attester's signature (signAttestation) first`);
  const call = claimCall(proved.judgment.recipient, proved.args, minReward, terms.attester === undefined ? undefined : opts.attestation);
  return (await reward.getFunction(call.function)(...call.args, overrides)) as ContractTransactionResponse;
}
