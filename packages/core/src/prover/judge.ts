import { isBoundOutput, scoreSlot } from "../bound-address.js";
import { ZkError } from "../errors.js";
import { noBoundAddress } from "../reward/layout.js";
import { scoreOutput } from "../reward/score.js";
import type { ModelInputs, ModelProver, ProofResult } from "./model-prover.js";

/** A model judgment as a reward contract reads it from the public instances. */
export interface Judgment {
  /** The address the proof pays, whoever submits it. */
  recipient: string;
  /** The score as a float (e.g. 0.93). */
  score: number;
  /** The score's raw field element (fixed point at `scoreScale` bits). */
  scoreFelt: bigint;
  scoreScale: number;
  /** Indices of the recipient and the score in the instances array. */
  recipientIndex: number;
  scoreIndex: number;
}

export interface ProvedJudgment extends ProofResult {
  judgment: Judgment;
}

/** One flattened input, or one per model input besides the key. */
function asInputs(features: number[] | ModelInputs): ModelInputs {
  return features.length > 0 && Array.isArray(features[0]) ? (features as ModelInputs) : [features as number[]];
}

/**
 * Typed API for judge models, (key, x) -> [key, score]: the prover's address goes in,
 * the same address and a score come out as public instances.
 */
export class JudgeProver {
  constructor(readonly prover: ModelProver) {
    if (prover.model.boundAddress === undefined) {
      throw new ZkError(noBoundAddress(prover.model.name));
    }
  }

  /**
   * Proves the judgment for `proverAddress` of `features`: the one input besides the key
   * (e.g. the spectrogram, flattened), or every input besides the key for wider models.
   */
  async proveJudgment(proverAddress: string, features: number[] | ModelInputs): Promise<ProvedJudgment> {
    const result = await this.prover.prove(asInputs(features), proverAddress);
    return { ...result, judgment: this.judgmentOf(result) };
  }

  /**
   * Proves with a domain-bound key instead of the bare address (see reward/domain-key.ts):
   * the proof then pays `recipient` only on the chain and contract the key was made for.
   */
  async proveDomainJudgment(recipient: string, key: bigint, features: number[] | ModelInputs): Promise<ProvedJudgment> {
    const result = await this.prover.prove(asInputs(features), key);
    return { ...result, judgment: this.judgmentOf(result, recipient) };
  }

  judgmentOf(result: ProofResult, recipient?: string): Judgment {
    const bound = this.prover.model.boundAddress!;
    const recipientSlot = result.instances.find((s) => isBoundOutput(s, bound))!;
    const score = scoreSlot(result.instances, scoreOutput(this.prover.model, this.prover.files.manifest.io));
    if (score === undefined) throw new ZkError(`model "${this.prover.model.name}" has no public score output`);
    return {
      recipient: recipient ?? result.boundAddress!,
      score: score.value!, // a score slot is never the bound one, so it has a value
      scoreFelt: score.felt,
      scoreScale: score.scale,
      recipientIndex: recipientSlot.index,
      scoreIndex: score.index,
    };
  }
}
