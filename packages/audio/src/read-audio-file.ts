// Node only: reads a recording from disk, only as much as the judge needs where the format allows.
import { open } from "node:fs/promises";
import { ZkError } from "./errors.js";
import { loadWindow } from "./pcm.js";
import { sniffFormat } from "./sniff.js";
import { parseWavHeader } from "./wav.js";

/** A WAV header (with any metadata chunks before the samples) fits in this. */
const HEADER_BYTES = 1 << 20;
/** Compressed formats: a prefix this long holds minutes of audio, far more than 3.5 s. */
const COMPRESSED_PREFIX_BYTES = 16 << 20;

export interface RecordingBytes {
  bytes: Uint8Array;
  fileBytes: number;
}

/**
 * The bytes extractFeatures needs from `file`: a WAV's header and the frames up to
 * offset + duration; for other formats the whole file, or its first 16 MiB when longer
 * (a streamed decoder stops after the seconds it needs).
 */
export async function readRecording(file: string, offsetSeconds: number, durationSeconds: number): Promise<RecordingBytes> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    throw new ZkError(`audio file ${file} not found or not readable`);
  }
  try {
    const { size } = await handle.stat();
    const read = async (n: number) => {
      const buf = new Uint8Array(Math.min(n, size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    };
    const head = await read(HEADER_BYTES);
    if (sniffFormat(head) === "wav") {
      const info = parseWavHeader(head, file);
      const w = loadWindow(info.sampleRate, offsetSeconds, durationSeconds);
      return { bytes: await read(info.dataOffset + (w.start + w.count) * info.blockAlign), fileBytes: size };
    }
    return { bytes: size <= HEADER_BYTES ? head : await read(COMPRESSED_PREFIX_BYTES), fileBytes: size };
  } finally {
    await handle.close();
  }
}
