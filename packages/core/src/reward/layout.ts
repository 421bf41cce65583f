import { isBoundOutput, scoreSlot } from "../bound-address.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { committedInput } from "../input-commitment.js";
import type { Manifest } from "../manifest.js";
import { scoreOutput } from "./score.js";

/** JudgmentReward's InstanceLayout, read from the model's manifest (no magic numbers). */
export interface RewardLayout {
  count: bigint;
  recipientIndex: bigint;
  scoreIndex: bigint;
  /** Bounds of a valid score, signed fixed point at the score's scale. */
  scoreMin: bigint;
  scoreMax: bigint;
  /** A score of 1.0 in fixed point (2^scale); not a contract field. */
  scoreOne: bigint;
}

/** JudgmentReward's CommitmentLocation: source 0 = proof bytes [at, at + length), 1 = instance `at`. */
export type RewardCommitment = {
  source: 0 | 1;
  at: bigint;
  length: bigint;
};

/** The score's range in units (1.0 = 2^scale): [0, 1] for a probability, [-b, b] for a logit. */
export type ScoreRange = { min: number; max: number };
export const PROBABILITY: ScoreRange = { min: 0, max: 1 };

/** A reward for a model without the prover's address in its proof: the two ways forward. */
export function noBoundAddress(model: string): string {
  return (
    `model "${model}" has no boundAddress; a reward needs the prover's address in the proof: set zk.models.${model}.boundAddress = true ` +
    `(the build adds it), or deploy only the verifier with \`npx hardhat zk deploy --model ${model} --verifier-only\``
  );
}

export function rewardLayout(model: ZkModelConfig, manifest: Manifest, range: ScoreRange = PROBABILITY): RewardLayout {
  const bound = model.boundAddress;
  if (bound === undefined) throw new ZkError(noBoundAddress(model.name));
  const slots = manifest.instances ?? [];
  const recipient = slots.find((s) => isBoundOutput(s, bound));
  const score = scoreSlot(slots, scoreOutput(model, manifest.io));
  if (recipient === undefined || score === undefined) {
    throw new ZkError(`model "${model.name}": the reward needs public outputs for the address and the score; make outputs public`);
  }
  if (!(range.min < range.max))
    throw new ZkError(`score range [${range.min}, ${range.max}] is empty; the minimum must be below the maximum`);
  const one = 1n << BigInt(score.scale);
  return {
    count: BigInt(slots.length),
    recipientIndex: BigInt(recipient.index),
    scoreIndex: BigInt(score.index),
    scoreMin: toFixed(range.min, one),
    scoreMax: toFixed(range.max, one),
    scoreOne: one,
  };
}

/**
 * Where the reward reads the commitment to the judged features (the model's input other
 * than the bound address), from the manifest's inputCommitment record.
 */
export function rewardCommitment(model: ZkModelConfig, manifest: Manifest): RewardCommitment {
  const features = featureInput(model, manifest);
  const entry = committedInput(model.name, manifest.inputCommitment, features);
  if (entry.visibility === "hashed") {
    const slot = (manifest.instances ?? []).find((s) => s.source === "inputHash" && s.tensor === features);
    if (slot === undefined)
      throw new ZkError(
        `model "${model.name}": the manifest has no instance for the hash of input ${features}; rerun \`npx hardhat zk setup --model ${model.name} --force\``,
      );
    return { source: 1, at: BigInt(slot.index), length: 0n };
  }
  return { source: 0, at: BigInt(entry.proofOffset!), length: BigInt(entry.proofLength!) };
}

/** The judged features: the model's input other than the bound address. */
export function featureInput(model: ZkModelConfig, manifest: Manifest): number {
  const inputs = manifest.io?.inputs.length ?? 0;
  const features = [...Array(inputs).keys()].find((i) => i !== model.boundAddress?.input);
  if (features === undefined) throw new ZkError(`model "${model.name}" has no input besides the bound address to commit to`);
  return features;
}

function toFixed(value: number, one: bigint): bigint {
  return BigInt(Math.round(value * Number(one)));
}

/** A score threshold (e.g. 0.8, or -1.5 for a logit) in the proof's signed fixed point. */
export function thresholdFelt(threshold: number, layout: RewardLayout): bigint {
  const value = toFixed(threshold, layout.scoreOne);
  if (!Number.isFinite(threshold) || value < layout.scoreMin || value > layout.scoreMax) {
    const one = Number(layout.scoreOne);
    throw new ZkError(
      `threshold ${threshold} is outside the score range; choose one within [${Number(layout.scoreMin) / one}, ${Number(layout.scoreMax) / one}]`,
    );
  }
  return value;
}
