/**
 * The audio pipeline in Node: the runtime-neutral root plus ffmpeg for the formats the
 * built-in decoders do not read (WebM with other codecs, MP4/AAC, FLAC, Ogg/Vorbis) and
 * reading the judged window of a file. Browsers import the package root instead.
 */
import { ffmpegDecode } from "./ffmpeg.js";
import {
  analyseRecording as analyseAnywhere,
  extractFeatures as extractAnywhere,
  screenRecording as screenAnywhere,
  type AudioFeatures,
  type ExtractOptions,
  type GateOptions,
  type GateVerdict,
} from "./index.js";

export * from "./index.js";
export { ffmpegDecode } from "./ffmpeg.js";
export { readRecording } from "./read-audio-file.js";

/** analyseRecording with ffmpeg as the fallback decoder unless `options.fallback` says otherwise. */
export function analyseRecording(
  audio: Uint8Array,
  inputShape: readonly (number | null)[],
  options: ExtractOptions = {},
): Promise<AudioFeatures> {
  return analyseAnywhere(audio, inputShape, { fallback: ffmpegDecode, ...options });
}

/** extractFeatures with ffmpeg as the fallback decoder unless `options.fallback` says otherwise. */
export function extractFeatures(audio: Uint8Array, inputShape: readonly number[], options: ExtractOptions = {}): Promise<number[]> {
  return extractAnywhere(audio, inputShape, { fallback: ffmpegDecode, ...options });
}

/** screenRecording (the recording gate) with ffmpeg as the fallback decoder unless `options.fallback` says otherwise. */
export function screenRecording(audio: Uint8Array, gate: Partial<GateOptions> = {}, options: ExtractOptions = {}): Promise<GateVerdict> {
  return screenAnywhere(audio, gate, { fallback: ffmpegDecode, ...options });
}
