import { Wallet } from "ethers";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { RewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import type { JobRewardTerms } from "./job-types.js";

/** Where the service reads its reward's terms (round, attester, mode) from: the chain. */
export interface RewardSource {
  /** The judge model whose proofs this reward pays. */
  model: string;
  /** The reward's terms as the chain has them now. */
  terms(): Promise<RewardTerms>;
  /** True if `address` holds contract code (an ERC-1271 attester). */
  hasCode(address: string): Promise<boolean>;
}

/** The terms a job carries (decimal strings, so they serialise into SQLite or Redis). */
export function jobTerms(terms: RewardTerms, ttlSeconds: number): JobRewardTerms {
  return {
    address: terms.address,
    chainId: terms.chainId.toString(),
    round: terms.round.toString(),
    domainBound: terms.domainBound,
    attester: terms.attester,
    commitment: { source: terms.commitment.source, at: terms.commitment.at.toString(), length: terms.commitment.length.toString() },
    ttlSeconds,
  };
}

/** Back to the reward library's form (threshold and amount are not needed to prove or attest). */
export function rewardTermsOf(job: JobRewardTerms): RewardTerms {
  return {
    address: job.address,
    chainId: BigInt(job.chainId),
    round: BigInt(job.round),
    attester: job.attester,
    domainBound: job.domainBound,
    threshold: 0n,
    rewardAmount: 0n,
    commitment: { source: job.commitment.source, at: BigInt(job.commitment.at), length: BigInt(job.commitment.length) },
  };
}

/** Reads the terms at most once per `maxAgeMs` (a round can end, so they are not read only once). */
export function cachedTerms(read: () => Promise<RewardTerms>, maxAgeMs = 5000): () => Promise<RewardTerms> {
  let last: { at: number; terms: Promise<RewardTerms> } | undefined;
  return () => {
    const now = Date.now();
    if (last === undefined || now - last.at > maxAgeMs) {
      const terms = read();
      last = { at: now, terms };
      terms.catch(() => (last = undefined));
    }
    return last.terms;
  };
}

/** The attester's key from ZK_ATTESTER_KEY, or undefined when unset. */
export function attesterWallet(privateKey: string | undefined): Wallet | undefined {
  if (privateKey === undefined || privateKey === "") return undefined;
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(privateKey))
    throw new ZkError("ZK_ATTESTER_KEY must be the attester's private key: 0x + 64 hex digits");
  return new Wallet(privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`);
}

/**
 * Checks at start-up that this process can attest for the reward: a reward with an
 * attester needs the key (where jobs run), and an EOA attester must be that key's address.
 */
export async function checkAttester(source: RewardSource, wallet: Wallet | undefined, runsJobs: boolean): Promise<RewardTerms> {
  const terms = await source.terms();
  if (terms.attester === undefined) return terms;
  if (wallet === undefined) {
    if (!runsJobs) return terms;
    throw new ZkError(
      `the reward at ${terms.address} pays only attested recordings: set ZK_ATTESTER_KEY to the private key of its attester ${terms.attester}`,
    );
  }
  if (wallet.address.toLowerCase() !== terms.attester.toLowerCase() && !(await source.hasCode(terms.attester))) {
    throw new ZkError(
      `ZK_ATTESTER_KEY is the key of ${wallet.address}, but the reward at ${terms.address} trusts attester ${terms.attester}; set the attester's key`,
    );
  }
  return terms;
}
