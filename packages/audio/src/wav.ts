import { ZkError } from "./errors.js";
import type { FrameWindow, PcmAudio } from "./pcm.js";

/** What a WAV header says; `dataOffset` and `dataBytes` locate the samples in the file. */
export interface WavInfo {
  sampleRate: number;
  channelCount: number;
  bitsPerSample: number;
  float: boolean;
  blockAlign: number;
  dataOffset: number;
  /** Bytes of sample data the header declares (a streamed WAV may declare 0 or 0xFFFFFFFF). */
  dataBytes: number;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && (fourcc(bytes, 0) === "RIFF" || fourcc(bytes, 0) === "RF64") && fourcc(bytes, 8) === "WAVE";
}

/**
 * Parses the RIFF chunks up to the data chunk. Needs only the header bytes, so a caller
 * can read a long file's header, then just the frames it wants.
 */
export function parseWavHeader(bytes: Uint8Array, what = "recording"): WavInfo {
  if (!isWav(bytes)) throw new ZkError(`${what} is not a WAV file (no RIFF/WAVE header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let fmt: Omit<WavInfo, "dataOffset" | "dataBytes"> | undefined;
  while (at + 8 <= bytes.length) {
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      if (body + 16 > bytes.length) break;
      let tag = view.getUint16(body, true);
      const channelCount = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) tag = view.getUint16(body + 24, true); // SubFormat GUID's first two bytes
      if (tag !== PCM && tag !== IEEE_FLOAT)
        throw new ZkError(`${what}: WAV encoding ${tag} is not supported; use PCM (8/16/24/32-bit) or 32/64-bit float`);
      const float = tag === IEEE_FLOAT;
      if (float ? bitsPerSample !== 32 && bitsPerSample !== 64 : ![8, 16, 24, 32].includes(bitsPerSample)) {
        throw new ZkError(
          `${what}: ${bitsPerSample}-bit ${float ? "float" : "PCM"} WAV is not supported; use PCM 8/16/24/32-bit or float 32/64-bit`,
        );
      }
      if (channelCount < 1 || sampleRate < 1 || blockAlign !== channelCount * (bitsPerSample / 8)) {
        throw new ZkError(`${what}: WAV header is corrupt (${channelCount} channels, ${sampleRate} Hz, block ${blockAlign} bytes)`);
      }
      fmt = { sampleRate, channelCount, bitsPerSample, float, blockAlign };
    } else if (id === "data") {
      if (fmt === undefined) throw new ZkError(`${what}: WAV data comes before its format chunk; the file is corrupt`);
      return { ...fmt, dataOffset: body, dataBytes: size };
    }
    at = body + size + (size % 2); // chunks are word-aligned
  }
  throw new ZkError(`${what}: WAV file is truncated (no ${fmt === undefined ? "format" : "data"} chunk); record or export it again`);
}

/** Frames of sample data present: what the header declares, cut to what the bytes hold. */
export function wavFrameCount(info: WavInfo, fileBytes: number): number {
  const present = Math.max(0, fileBytes - info.dataOffset);
  const declared = info.dataBytes === 0 || info.dataBytes === 0xffffffff ? present : Math.min(info.dataBytes, present);
  return Math.floor(declared / info.blockAlign);
}

/**
 * Decodes `window` of a WAV into float channels as libsndfile does for librosa:
 * integers scaled by 1/2^(bits-1) (8-bit is unsigned, centred on 128), floats as they are.
 * `bytes` holds the file from its start; only the window's frames are read.
 */
export function decodeWav(bytes: Uint8Array, window: FrameWindow, what = "recording"): PcmAudio {
  const info = parseWavHeader(bytes, what);
  const total = wavFrameCount(info, bytes.length);
  const start = Math.min(window.start, total);
  const count = Math.max(0, Math.min(window.count, total - start));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPer = info.bitsPerSample / 8;
  const channels = Array.from({ length: info.channelCount }, () => new Float32Array(count));
  for (let f = 0; f < count; f++) {
    const frameAt = info.dataOffset + (start + f) * info.blockAlign;
    for (let c = 0; c < info.channelCount; c++) {
      const p = frameAt + c * bytesPer;
      let v: number;
      if (info.float) v = bytesPer === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      else if (bytesPer === 1) v = (view.getUint8(p) - 128) / 128;
      else if (bytesPer === 2) v = view.getInt16(p, true) / 32768;
      else if (bytesPer === 3) v = (view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608;
      else v = view.getInt32(p, true) / 2147483648;
      channels[c]![f] = v;
    }
  }
  return {
    sampleRate: info.sampleRate,
    channels,
    format: `wav (${info.float ? "float" : "PCM"} ${info.bitsPerSample}-bit, ${info.channelCount} ch, ${info.sampleRate} Hz)`,
  };
}
