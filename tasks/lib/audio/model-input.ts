import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import type { Manifest } from "../manifest.js";
import type { FeatureSpec } from "./feature-spec.js";
import { fixFrames } from "./frames.js";
import type { Spectrogram } from "./melspectrogram.js";

/**
 * The judges take the log-mel spectrogram mapped from [-top_db, 0] dB to [0, 1]:
 * (dB + 80) / 80, the scale they were trained and calibrated on
 * (models/judge_corpus.py, judge_features). power_to_db already bounds dB to that range.
 */
export function judgeScale(db: number, topDb: number): number {
  return Math.min(1, Math.max(0, (db + topDb) / topDb));
}

/**
 * The judge's input tensor, flattened row-major (bands x frames): scaled, then
 * zero-padded or truncated to spec.frames as seed 000 does to its input tensor. A
 * padded column is 0 in the judge's scale, i.e. -80 dB (silence).
 */
export function judgeInputTensor(db: Spectrogram, spec: FeatureSpec): number[] {
  const scaled: Spectrogram = { ...db, data: db.data.map((v) => judgeScale(v, spec.topDb)) };
  return Array.from(fixFrames(scaled, spec.frames, 0).data);
}

/** Which model input takes the spectrogram: the one input besides the bound address. */
export interface SpectrogramInput {
  index: number;
  name: string;
  shape: (number | null)[];
}

export function spectrogramInputOf(model: ZkModelConfig, io: Manifest["io"]): SpectrogramInput {
  if (io === undefined)
    throw new ZkError(`model "${model.name}": its manifest has no input shapes; run \`npx hardhat zk setup --model ${model.name}\``);
  const candidates = io.inputs.map((input, index) => ({ ...input, index })).filter((x) => x.index !== model.boundAddress?.input);
  if (candidates.length !== 1) {
    throw new ZkError(
      `model "${model.name}" has ${candidates.length} inputs besides the bound address; audio features fill exactly one spectrogram input`,
    );
  }
  return candidates[0]!;
}

/** A zero field element: the placeholder `zk prove` replaces with the --prover address. */
export const BOUND_INPUT_PLACEHOLDER = "0".repeat(64);

/**
 * ezkl input_data for a judge: the features at the spectrogram input and, for models
 * that bind the prover's address, a placeholder at the bound input.
 */
export function audioInputData(model: ZkModelConfig, io: Manifest["io"], features: number[]): (number | string)[][] {
  const target = spectrogramInputOf(model, io);
  return io!.inputs.map((_, i) => (i === target.index ? features : [BOUND_INPUT_PLACEHOLDER]));
}
