import { analyseRecording, screenRecording, type AudioFeatures, type GateVerdict } from "@hardhat-zkml/audio";
import type { FallbackDecoder } from "@hardhat-zkml/audio/decode.js";

/**
 * What the judge hears, computed here with the same code the server runs: the gate's
 * verdict on the judged window, and the log-mel features of it. WAV, MP3, Ogg/Opus and
 * WebM/Opus decode in the audio package itself (so the features equal the server's);
 * anything else (Safari's MP4/AAC, FLAC) is decoded by the browser.
 */
export interface Analysis {
  verdict: GateVerdict;
  features: AudioFeatures;
}

/** The recording gate's verdict (the server's own check, with its fast resampler): decides whether the recording is sent. */
export function screen(bytes: Uint8Array, what: string): Promise<GateVerdict> {
  return screenRecording(bytes, {}, { what, fallback: browserDecoder });
}

/** The judge's features and dB spectrogram of the judged window (librosa's resampler quality, as the server computes them). */
export function judgedFeatures(bytes: Uint8Array, inputShape: number[], what: string): Promise<AudioFeatures> {
  return analyseRecording(bytes, inputShape, { what, fallback: browserDecoder });
}

/** The browser's own decoder (AudioContext.decodeAudioData), at the recording's first rate the browser reports, cut to the window. */
export const browserDecoder: FallbackDecoder = async (bytes, format, offsetSeconds, durationSeconds, what) => {
  const context = new OfflineAudioContext(1, 1, 48000);
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(bytes.slice().buffer);
  } catch {
    throw new Error(`${what} is ${format}, which this browser cannot decode; record here or choose a WAV, MP3 or Opus file`);
  }
  const start = Math.trunc(offsetSeconds * buffer.sampleRate);
  const count = Math.trunc(durationSeconds * buffer.sampleRate);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice(start, start + count));
  return { sampleRate: buffer.sampleRate, channels, format: `${format} (decoded by the browser)` };
};
