import { ZkError } from "../errors.js";
import { decodeMp3, decodeOggOpus } from "./compressed.js";
import { loadWindow, type PcmAudio } from "./pcm.js";
import { sniffFormat, type AudioFormat } from "./sniff.js";
import { decodeWav } from "./wav.js";

/** Decodes formats the built-in decoders do not (ffmpeg in Node; see ffmpeg.ts). */
export type FallbackDecoder = (bytes: Uint8Array, format: AudioFormat, offsetSeconds: number, durationSeconds: number, what: string) => Promise<PcmAudio>;

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

/**
 * The part of a recording that librosa.load(offset=, duration=) reads, at the
 * recording's own rate and channels. WAV, MP3 and Ogg/Opus decode in any JavaScript
 * runtime; anything else (WebM, MP4/AAC, FLAC, Ogg/Vorbis) goes to `fallback`, which
 * in Node defaults to ffmpeg when it is installed.
 */
export async function decodeClip(
  bytes: Uint8Array, offsetSeconds: number, durationSeconds: number, what = "recording", fallback?: FallbackDecoder,
): Promise<PcmAudio> {
  if (bytes.length === 0) throw new ZkError(`${what} is empty (0 bytes); record or export it again`);
  const format = sniffFormat(bytes);
  const windowAt = (sr: number) => loadWindow(sr, offsetSeconds, durationSeconds);
  switch (format) {
    case "wav": {
      const head = decodeWav(bytes, { start: 0, count: 0 }, what);
      return decodeWav(bytes, windowAt(head.sampleRate), what);
    }
    case "mp3":
      return decodeMp3(bytes, windowAt, what);
    case "ogg-opus":
      return decodeOggOpus(bytes, windowAt, what);
    case "unknown":
      throw new ZkError(`${what} is not a recording this tool can read (not WAV, MP3, Ogg/Opus, WebM, MP4 or FLAC); export it as WAV or MP3`);
    default: {
      let decode = fallback;
      if (decode === undefined && isNode()) decode = (await import("./ffmpeg.js")).ffmpegDecode;
      if (decode === undefined) throw new ZkError(`${what} is ${format}, which decodes only through ffmpeg in Node; convert it to WAV, MP3 or Ogg/Opus`);
      return decode(bytes, format, offsetSeconds, durationSeconds, what);
    }
  }
}
