import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import type { Manifest } from "../manifest.js";

/** JudgmentReward's InstanceLayout, read from the model's manifest (no magic numbers). */
export interface RewardLayout {
  count: bigint;
  recipientIndex: bigint;
  scoreIndex: bigint;
  scoreOne: bigint;
}

export function rewardLayout(model: ZkModelConfig, manifest: Manifest): RewardLayout {
  const bound = model.boundAddress;
  if (bound === undefined) throw new ZkError(`model "${model.name}" has no boundAddress; a reward needs the prover's address in the proof`);
  const slots = manifest.instances ?? [];
  const recipient = slots.find((s) => s.source === "output" && s.tensor === bound.output);
  const score = slots.find((s) => s.source === "output" && s.tensor !== bound.output);
  if (recipient === undefined || score === undefined) {
    throw new ZkError(`model "${model.name}": the reward needs public outputs for the address and the score; make outputs public`);
  }
  return {
    count: BigInt(slots.length),
    recipientIndex: BigInt(recipient.index),
    scoreIndex: BigInt(score.index),
    scoreOne: 1n << BigInt(score.scale),
  };
}

/** A score threshold (e.g. 0.8) in the proof's fixed point. */
export function thresholdFelt(threshold: number, layout: RewardLayout): bigint {
  return BigInt(Math.round(threshold * Number(layout.scoreOne)));
}
