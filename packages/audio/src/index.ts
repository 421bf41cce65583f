/**
 * Audio features for the voice judges: seed 000's librosa pipeline in TypeScript.
 * Runtime-neutral (Node and browsers) except the ffmpeg fallback and file reading,
 * which live in ffmpeg.ts and read-audio-file.ts.
 */
import { ZkError } from "./errors.js";
import type { FallbackDecoder } from "./decode.js";
import { featureSpecFor, JUDGE_DURATION_SECONDS, JUDGE_OFFSET_SECONDS, JUDGE_SAMPLE_RATE, type FeatureSpec } from "./feature-spec.js";
import { gateRecording, type GateOptions, type GateVerdict } from "./gate.js";
import { loadClip, type LoadedClip } from "./load.js";
import { logMelSpectrogram } from "./log-mel.js";
import type { Spectrogram } from "./melspectrogram.js";
import { judgeInputTensor } from "./model-input.js";

export { featureSpecFor, type FeatureSpec } from "./feature-spec.js";
export { judgeScale, judgeInputTensor } from "./model-input.js";
export { logMelSpectrogram } from "./log-mel.js";
export { loadClip } from "./load.js";
export type { Spectrogram } from "./melspectrogram.js";

export interface ExtractOptions {
  /** Names the recording in error messages (e.g. its file name). */
  what?: string;
  /** Decoder for formats beyond WAV/MP3/Ogg-Opus (default in Node: ffmpeg). */
  fallback?: FallbackDecoder;
}

export interface AudioFeatures {
  spec: FeatureSpec;
  /** librosa's dB spectrogram (bands x frames, before padding/truncation). */
  db: Spectrogram;
  /** The judge's input, flattened row-major for the model's input shape. */
  input: number[];
  sourceRate: number;
  sourceChannels: number;
  format: string;
  /** Samples at 22,050 Hz the spectrogram was computed from. */
  samples: number;
  /** The decoded window itself (what the recording gate measures). */
  clip: LoadedClip;
}

/** Everything extractFeatures computes, for tests, benchmarks and diagnostics. */
export async function analyseRecording(
  audio: Uint8Array,
  inputShape: readonly (number | null)[],
  options: ExtractOptions = {},
): Promise<AudioFeatures> {
  const spec = featureSpecFor(inputShape);
  const what = options.what ?? "recording";
  const clip = await loadClip(audio, spec.sampleRate, spec.offsetSeconds, spec.durationSeconds, what, options.fallback);
  if (clip.y.length === 0) {
    throw new ZkError(
      `${what} has no audio after its first ${spec.offsetSeconds} s; the judge listens from ${spec.offsetSeconds} s to ${spec.offsetSeconds + spec.durationSeconds} s, so record at least a second`,
    );
  }
  const db = logMelSpectrogram(clip.y, spec);
  return {
    spec,
    db,
    input: judgeInputTensor(db, spec),
    sourceRate: clip.sourceRate,
    sourceChannels: clip.sourceChannels,
    format: clip.format,
    samples: clip.y.length,
    clip,
  };
}

/** Decodes a recording and returns the judge's feature tensor, flattened row-major, for `inputShape` (e.g. [1,128,130]). */
export async function extractFeatures(audio: Uint8Array, inputShape: readonly number[], options: ExtractOptions = {}): Promise<number[]> {
  return (await analyseRecording(audio, inputShape, options)).input;
}

export {
  gateRecording,
  gateRefusal,
  DEFAULT_GATE_OPTIONS,
  type GateOptions,
  type GateVerdict,
  type GateReason,
  type GateMeasures,
} from "./gate.js";

/**
 * Decodes the window the judge hears and runs the recording gate on it (see gate.ts). The
 * window is resampled with libsamplerate's fastest sinc converter (the gate needs no librosa
 * parity; bench/gate.md compares its verdicts with the best converter's).
 */
export async function screenRecording(
  audio: Uint8Array,
  gate: Partial<GateOptions> = {},
  options: ExtractOptions = {},
): Promise<GateVerdict> {
  const clip = await loadClip(
    audio,
    JUDGE_SAMPLE_RATE,
    JUDGE_OFFSET_SECONDS,
    JUDGE_DURATION_SECONDS,
    options.what,
    options.fallback,
    "fast",
  );
  return gateRecording(clip, gate);
}
