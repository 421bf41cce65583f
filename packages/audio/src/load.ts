import { decodeClip, type FallbackDecoder } from "./decode.js";
import { toMono } from "./mono.js";
import { resample, type ResampleQuality } from "./resample.js";

export interface LoadedClip {
  /** Mono samples at `sampleRate` (at most duration * sampleRate of them). */
  y: Float32Array;
  sampleRate: number;
  sourceRate: number;
  sourceChannels: number;
  format: string;
}

/**
 * librosa.load(path, sr=sampleRate, offset=, duration=): the window is cut at the
 * recording's own rate, averaged to mono, then resampled (as librosa does, in that order).
 */
export async function loadClip(
  bytes: Uint8Array,
  sampleRate: number,
  offsetSeconds: number,
  durationSeconds: number,
  what = "recording",
  fallback?: FallbackDecoder,
  quality: ResampleQuality = "best",
): Promise<LoadedClip> {
  const pcm = await decodeClip(bytes, offsetSeconds, durationSeconds, what, fallback);
  const y = await resample(toMono(pcm.channels), pcm.sampleRate, sampleRate, quality);
  return { y, sampleRate, sourceRate: pcm.sampleRate, sourceChannels: pcm.channels.length, format: pcm.format };
}
