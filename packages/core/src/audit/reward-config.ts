import { Contract, getAddress, type Provider } from "ethers";
import type { ZkModelConfig } from "../config-types.js";
import type { Manifest } from "../manifest.js";
import { rewardCommitment, rewardLayout } from "../reward/layout.js";

/** What a JudgmentReward was constructed with, as its public getters return it. */
export interface RewardConfig {
  verifier: string;
  verifyingKey: string;
  instanceCount: bigint;
  recipientIndex: bigint;
  scoreIndex: bigint;
  commitmentSource: bigint;
  commitmentAt: bigint;
  commitmentLength: bigint;
}

const GETTERS = [
  "function verifier() view returns (address)",
  "function verifyingKey() view returns (address)",
  "function instanceCount() view returns (uint256)",
  "function recipientIndex() view returns (uint256)",
  "function scoreIndex() view returns (uint256)",
  "function commitmentSource() view returns (uint8)",
  "function commitmentAt() view returns (uint256)",
  "function commitmentLength() view returns (uint256)",
];

/** Reads a JudgmentReward's constructor choices from the chain. */
export async function readRewardConfig(provider: Provider, address: string): Promise<RewardConfig> {
  const reward = new Contract(address, GETTERS, provider);
  const [verifier, verifyingKey, instanceCount, recipientIndex, scoreIndex, commitmentSource, commitmentAt, commitmentLength] =
    (await Promise.all(GETTERS.map((g) => reward.getFunction(/function (\w+)/.exec(g)![1]!).staticCall()))) as [
      string,
      string,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
  return { verifier, verifyingKey, instanceCount, recipientIndex, scoreIndex, commitmentSource, commitmentAt, commitmentLength };
}

/**
 * Where a reward disagrees with the model's manifest and the audited verifier: one line
 * per field (empty when it agrees). `verifyingKey` is the VK artifact a reusable verifier
 * needs (the zero address for a per-model verifier; undefined: not checked).
 */
export function rewardMismatches(
  model: ZkModelConfig,
  manifest: Manifest,
  onChain: RewardConfig,
  expected: { verifier: string; verifyingKey?: string },
): string[] {
  const layout = rewardLayout(model, manifest);
  const commitment = rewardCommitment(model, manifest);
  const mismatches: string[] = [];
  if (getAddress(onChain.verifier) !== getAddress(expected.verifier))
    mismatches.push(`verifier is ${getAddress(onChain.verifier)}, not the audited verifier ${getAddress(expected.verifier)}`);
  if (expected.verifyingKey !== undefined && getAddress(onChain.verifyingKey) !== getAddress(expected.verifyingKey))
    mismatches.push(`verifyingKey is ${getAddress(onChain.verifyingKey)}, expected ${getAddress(expected.verifyingKey)}`);
  const want: [string, bigint, bigint][] = [
    ["instanceCount", layout.count, onChain.instanceCount],
    ["recipientIndex", layout.recipientIndex, onChain.recipientIndex],
    ["scoreIndex", layout.scoreIndex, onChain.scoreIndex],
    ["commitmentSource", BigInt(commitment.source), onChain.commitmentSource],
    ["commitmentAt", commitment.at, onChain.commitmentAt],
    ["commitmentLength", commitment.length, onChain.commitmentLength],
  ];
  for (const [field, w, got] of want) if (w !== got) mismatches.push(`${field} is ${got}, the manifest says ${w}`);
  return mismatches;
}
