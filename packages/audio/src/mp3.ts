import { MPEGDecoder } from "mpg123-decoder";
import { ZkError } from "./errors.js";
import { sliceWindow, type FrameWindow, type PcmAudio } from "./pcm.js";

/** mpg123-decoder (mpg123 in WASM), fed the file chunk by chunk. */
interface ChunkDecoder {
  ready: Promise<void>;
  decode(chunk: Uint8Array): Decoded;
  free(): void;
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: unknown[];
}

const CHUNK_BYTES = 16 * 1024;

/**
 * Decodes until the window (computed at the stream's rate) is covered, then stops:
 * a two-hour file costs only its first seconds.
 */
async function decodeStreamed(
  decoder: ChunkDecoder,
  bytes: Uint8Array,
  windowAt: (sampleRate: number) => FrameWindow,
  format: string,
  what: string,
): Promise<PcmAudio> {
  await decoder.ready;
  const parts: Float32Array[][] = [];
  let decoded = 0;
  let sampleRate = 0;
  let errors = 0;
  const take = (out: Decoded): boolean => {
    errors += out.errors.length;
    if (out.samplesDecoded > 0) {
      sampleRate = out.sampleRate;
      parts.push(out.channelData.map((c) => c.slice(0, out.samplesDecoded)));
      decoded += out.samplesDecoded;
    }
    if (sampleRate === 0) return false;
    const w = windowAt(sampleRate);
    return decoded >= w.start + w.count;
  };
  try {
    let done = false;
    for (let at = 0; at < bytes.length && !done; at += CHUNK_BYTES) done = take(decoder.decode(bytes.subarray(at, at + CHUNK_BYTES)));
  } catch (e) {
    throw new ZkError(`${what}: the ${format} stream could not be decoded (${(e as Error).message}); the file is corrupt or truncated`);
  } finally {
    decoder.free();
  }
  if (decoded === 0) {
    throw new ZkError(
      `${what}: no ${format} audio could be decoded${errors > 0 ? ` (${errors} corrupt frame(s))` : ""}; the file is empty, corrupt or not ${format}`,
    );
  }
  const channelCount = Math.max(...parts.map((p) => p.length));
  const channels = Array.from({ length: channelCount }, (_, c) => {
    const all = new Float32Array(decoded);
    let off = 0;
    for (const p of parts) {
      const src = p[c] ?? p[0]!;
      all.set(src, off);
      off += src.length;
    }
    return all;
  });
  return { sampleRate, channels: sliceWindow(channels, windowAt(sampleRate)), format };
}

export function decodeMp3(bytes: Uint8Array, windowAt: (sampleRate: number) => FrameWindow, what = "recording"): Promise<PcmAudio> {
  return decodeStreamed(new MPEGDecoder() as unknown as ChunkDecoder, bytes, windowAt, "MP3", what);
}
