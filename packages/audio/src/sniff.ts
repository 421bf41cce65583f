import { isWav } from "./wav.js";

export type AudioFormat = "wav" | "mp3" | "ogg-opus" | "ogg-other" | "webm" | "mp4" | "flac" | "unknown";

function ascii(b: Uint8Array, at: number, n: number): string {
  return b.length >= at + n ? String.fromCharCode(...b.subarray(at, at + n)) : "";
}

/** The container/codec from the first bytes (never from a file name). */
export function sniffFormat(b: Uint8Array): AudioFormat {
  if (isWav(b)) return "wav";
  if (ascii(b, 0, 4) === "OggS") return b.length >= 36 && ascii(b, 28, 8) === "OpusHead" ? "ogg-opus" : "ogg-other";
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return "webm";
  if (ascii(b, 4, 4) === "ftyp") return "mp4";
  if (ascii(b, 0, 4) === "fLaC") return "flac";
  if (ascii(b, 0, 3) === "ID3") return "mp3";
  // An MPEG audio frame header: 11 sync bits, a valid version, layer and bitrate index.
  if (
    b.length >= 4 &&
    b[0] === 0xff &&
    (b[1]! & 0xe0) === 0xe0 &&
    (b[1]! & 0x18) !== 0x08 &&
    (b[1]! & 0x06) !== 0 &&
    (b[2]! & 0xf0) !== 0xf0
  )
    return "mp3";
  return "unknown";
}
