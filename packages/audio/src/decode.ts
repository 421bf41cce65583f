import { ZkError } from "./errors.js";
import { decodeMp3 } from "./mp3.js";
import { decodeOggOpus } from "./ogg-opus.js";
import { loadWindow, type PcmAudio } from "./pcm.js";
import { sniffFormat, type AudioFormat } from "./sniff.js";
import { decodeWav } from "./wav.js";
import { decodeWebmOpus, NotOpusWebm } from "./webm.js";

/** Decodes formats the built-in decoders do not (ffmpeg in Node; see ffmpeg.ts). */
export type FallbackDecoder = (
  bytes: Uint8Array,
  format: AudioFormat,
  offsetSeconds: number,
  durationSeconds: number,
  what: string,
) => Promise<PcmAudio>;

/**
 * The part of a recording that librosa.load(offset=, duration=) reads, at the
 * recording's own rate and channels. WAV, MP3, Ogg/Opus and WebM/Opus decode in any
 * JavaScript runtime; anything else (WebM with other codecs, MP4/AAC, FLAC,
 * Ogg/Vorbis) goes to `fallback`, which `@hardhat-zkml/audio/node` sets to ffmpeg.
 */
export async function decodeClip(
  bytes: Uint8Array,
  offsetSeconds: number,
  durationSeconds: number,
  what = "recording",
  fallback?: FallbackDecoder,
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
    case "webm":
      try {
        return await decodeWebmOpus(bytes, windowAt, what);
      } catch (e) {
        if (!(e instanceof NotOpusWebm)) throw e;
        return decodeOther(bytes, format, offsetSeconds, durationSeconds, what, fallback);
      }
    case "unknown":
      throw new ZkError(
        `${what} is not a recording this tool can read (not WAV, MP3, Ogg/Opus, WebM, MP4 or FLAC); export it as WAV or MP3`,
      );
    default:
      return decodeOther(bytes, format, offsetSeconds, durationSeconds, what, fallback);
  }
}

async function decodeOther(
  bytes: Uint8Array,
  format: AudioFormat,
  offsetSeconds: number,
  durationSeconds: number,
  what: string,
  fallback?: FallbackDecoder,
): Promise<PcmAudio> {
  if (fallback === undefined)
    throw new ZkError(
      `${what} is ${format}${format === "webm" ? " without Opus audio" : ""}, which decodes only through ffmpeg in Node; convert it to WAV, MP3 or Opus`,
    );
  return fallback(bytes, format, offsetSeconds, durationSeconds, what);
}
