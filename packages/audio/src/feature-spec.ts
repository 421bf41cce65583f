import { ZkError } from "./errors.js";
import { JUDGE_DURATION_SECONDS, JUDGE_OFFSET_SECONDS } from "./judged-window.js";

/**
 * What the judge hears and how it is turned into a log-mel spectrogram: seed 000's
 * `librosa.load(path, duration=3, offset=0.5)` then `melspectrogram` + `power_to_db`.
 */
export interface FeatureSpec {
  /** librosa.load's default target rate. */
  sampleRate: number;
  offsetSeconds: number;
  durationSeconds: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  /** Frames the model takes (the spectrogram is zero-padded or truncated to this). */
  frames: number;
  /** power_to_db: amin and top_db (librosa's defaults). */
  amin: number;
  topDb: number;
}

export const JUDGE_SAMPLE_RATE = 22050;
export { JUDGE_OFFSET_SECONDS, JUDGE_DURATION_SECONDS } from "./judged-window.js";
/** librosa's melspectrogram default window. */
export const DEFAULT_N_FFT = 2048;

/** Samples librosa.load keeps at the target rate: int(duration * sr), 66,150 for 3 s. */
export function clipSamples(spec: Pick<FeatureSpec, "sampleRate" | "durationSeconds">): number {
  return Math.trunc(spec.durationSeconds * spec.sampleRate);
}

/**
 * The feature spec for a model input of shape [..1, nMels, frames]. The hop is the
 * largest that still gives `frames` centred frames over the 3 s clip,
 * floor(66150 / (frames - 1)): 512 (librosa's default) for the tutorial judge's 130
 * frames, 3481 for the small judge's 20. The FFT window is librosa's 2048, or the next
 * power of two at least the hop when the hop is longer, so no sample is skipped.
 */
export function featureSpecFor(inputShape: readonly (number | null)[]): FeatureSpec {
  const dims = inputShape.map((d) => (d === null || d === 0 ? 1 : d));
  if (dims.length < 2 || dims.slice(0, -2).some((d) => d !== 1)) {
    throw new ZkError(`a spectrogram input must have shape [1, mel bands, frames] (got [${inputShape.join(", ")}])`);
  }
  const nMels = dims[dims.length - 2]!;
  const frames = dims[dims.length - 1]!;
  if (!Number.isInteger(nMels) || !Number.isInteger(frames) || nMels < 1 || frames < 2) {
    throw new ZkError(`a spectrogram input needs at least 1 mel band and 2 frames (got [${inputShape.join(", ")}])`);
  }
  const samples = clipSamples({ sampleRate: JUDGE_SAMPLE_RATE, durationSeconds: JUDGE_DURATION_SECONDS });
  const hopLength = Math.floor(samples / (frames - 1));
  if (hopLength < 1) throw new ZkError(`a spectrogram input of ${frames} frames is more than 3 s of audio can give`);
  let nFft = DEFAULT_N_FFT;
  while (nFft < hopLength) nFft *= 2;
  if (nMels > nFft / 2 + 1)
    throw new ZkError(`${nMels} mel bands need an FFT of at least ${2 * (nMels - 1)} points (this input's is ${nFft})`);
  return {
    sampleRate: JUDGE_SAMPLE_RATE,
    offsetSeconds: JUDGE_OFFSET_SECONDS,
    durationSeconds: JUDGE_DURATION_SECONDS,
    nFft,
    hopLength,
    nMels,
    frames,
    amin: 1e-10,
    topDb: 80,
  };
}
