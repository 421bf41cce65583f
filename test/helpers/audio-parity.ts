import { readFile } from "node:fs/promises";
import path from "node:path";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import type { AudioFeatures } from "@hardhat-zkml/audio/node.js";
import { clamped, loadEngine } from "@hardhat-zkml/core/engine.js";
import { feltToUint256, uint256ToFelt } from "@hardhat-zkml/core/felt.js";
import type { EzklSettings } from "@hardhat-zkml/core/settings.js";
import type { LibrosaResult } from "./librosa-reference.js";

/** Recordings already at 22,050 Hz: no resampling. */
export const AT_22050 = [
  "speech-22050-s16.wav",
  "sung-22050-u8.wav",
  "silence-22050-s16.wav",
  "clipped-22050-s24.wav",
  "stereo-22050-s16.wav",
];
/** Recordings resampled to 22,050 Hz (and decoded by mpg123, libopus, the WebM demuxer, ffmpeg for AAC). */
export const RESAMPLED = [
  "speech-16000-s16.wav",
  "speech-44100-s16.wav",
  "sung-48000-f32.wav",
  "speech-44100.mp3",
  "speech-48000.opus",
  "speech-48000.webm",
  "stereo-48000-live.webm",
  "speech-44100.m4a",
  "speech-48000-short.opus",
];
export const AUDIO_FIXTURES = [...AT_22050, ...RESAMPLED];
/**
 * librosa reads WebM through audioread, i.e. ffmpeg's own Opus decoder; @hardhat-zkml/audio
 * decodes every Opus stream with libopus (as libsndfile does for Ogg/Opus), so WebM is
 * held to the judge-score target, not the 0.01 dB one.
 */
export const DECODED_BY_FFMPEG_IN_LIBROSA = ["speech-48000.webm", "stereo-48000-live.webm"];

export function fixturePath(root: string, file: string): string {
  return path.join(root, "test", "fixtures", "audio", file);
}

/** Max and mean |dB difference| between our spectrogram and librosa's (null if the shapes differ). */
export function dbDifference(ours: AudioFeatures, ref: LibrosaResult): { max: number; mean: number } | null {
  const rows = ref.db!.length;
  const frames = ref.db![0]!.length;
  if (ours.db.rows !== rows || ours.db.frames !== frames) return null;
  let max = 0;
  let sum = 0;
  for (let m = 0; m < rows; m++) {
    for (let t = 0; t < frames; t++) {
      const d = Math.abs(ours.db.data[m * frames + t]! - ref.db![m]![t]!);
      max = Math.max(max, d);
      sum += d;
    }
  }
  return { max, mean: sum / (rows * frames) };
}

/**
 * The judge's quantized score for a feature tensor, from the engine's witness
 * generation (the circuit's own arithmetic; no proof needed): score felt at the
 * output's fixed point, and the input scale the engine quantises inputs with.
 */
export async function judgeScorer(root: string, artifactsDir: string, model: ZkModelConfig, key: string) {
  const paths = modelArtifacts(artifactsDir, model.name);
  const compiled = clamped(await readFile(paths.compiled));
  const settings = JSON.parse(await readFile(paths.settings, "utf8")) as EzklSettings;
  const keyFelt = uint256ToFelt(BigInt(key));
  const bound = model.boundAddress!.input;
  return {
    inputScale: settings.run_args.input_scale,
    /** Fixed-point bits of the score output (output 1). */
    scoreScale: settings.model_output_scales[1]!,
    score(features: number[]): bigint {
      const inputs = bound === 0 ? [[keyFelt], features] : [features, [keyFelt]];
      const witness = loadEngine().genWitness(compiled, clamped(JSON.stringify({ input_data: inputs })));
      const w = JSON.parse(new TextDecoder().decode(witness)) as { outputs: string[][] };
      return feltToUint256(w.outputs[1]![0]!);
    },
  };
}
