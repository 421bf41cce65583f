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
