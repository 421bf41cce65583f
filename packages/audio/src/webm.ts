import { ZkError } from "./errors.js";
import { opusDecoderFor, parseOpusHead } from "./opus-head.js";
import { joinChunks, sliceWindow, type FrameWindow, type PcmAudio } from "./pcm.js";

/**
 * A minimal WebM (Matroska) demuxer for what browsers record (MediaRecorder's
 * audio/webm;codecs=opus): the first Opus track's packets, in order, decoded by libopus
 * (opus-decoder, WASM). Elements are scanned linearly, descending into the few master
 * elements on the way to the blocks, so live recordings with unknown-size Segment and
 * Cluster elements work. No kept npm demuxer runs in browsers without Node shims.
 */

const SEGMENT = 0x18538067;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const TRACK_NUMBER = 0xd7;
const CODEC_ID = 0x86;
const CODEC_PRIVATE = 0x63a2;
const CLUSTER = 0x1f43b675;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const MASTERS = new Set([SEGMENT, TRACKS, TRACK_ENTRY, CLUSTER, BLOCK_GROUP]);

interface Vint {
  value: number;
  length: number;
  /** All value bits set: "unknown size". */
  unknown: boolean;
}

function readVint(b: Uint8Array, at: number, keepMarker: boolean): Vint | undefined {
  const first = b[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > b.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    allOnes &&= b[at + i] === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

interface OpusTrack {
  number: number;
  codec: string;
  head?: Uint8Array;
}

/** Opus packets of one Block/SimpleBlock (all four lacing modes). */
function blockFrames(b: Uint8Array): { track: number; frames: Uint8Array[] } | undefined {
  const track = readVint(b, 0, false);
  if (track === undefined || b.length < track.length + 3) return undefined;
  const flags = b[track.length + 2]!;
  let at = track.length + 3;
  const lacing = (flags >> 1) & 3;
  if (lacing === 0) return { track: track.value, frames: [b.subarray(at)] };
  const count = b[at++]! + 1;
  const sizes: number[] = [];
  if (lacing === 1) {
    // Xiph
    for (let i = 0; i < count - 1; i++) {
      let size = 0;
      let v: number;
      do {
        v = b[at++]!;
        size += v;
      } while (v === 255 && at < b.length);
      sizes.push(size);
    }
  } else if (lacing === 3) {
    // EBML: first size, then signed differences
    const first = readVint(b, at, false);
    if (first === undefined) return undefined;
    at += first.length;
    sizes.push(first.value);
    for (let i = 1; i < count - 1; i++) {
      const d = readVint(b, at, false);
      if (d === undefined) return undefined;
      at += d.length;
      sizes.push(sizes[i - 1]! + d.value - (2 ** (7 * d.length - 1) - 1));
    }
  } else {
    // fixed
    const each = (b.length - at) / count;
    for (let i = 0; i < count - 1; i++) sizes.push(each);
  }
  const frames: Uint8Array[] = [];
  for (const size of sizes) {
    frames.push(b.subarray(at, at + size));
    at += size;
  }
  frames.push(b.subarray(at));
  return { track: track.value, frames };
}

export class NotOpusWebm extends Error {}

/** Decodes the recording's first Opus track until `windowAt(48000)` is covered. */
export async function decodeWebmOpus(
  bytes: Uint8Array,
  windowAt: (sampleRate: number) => FrameWindow,
  what = "recording",
): Promise<PcmAudio> {
  const tracks: OpusTrack[] = [];
  let current: OpusTrack | undefined;
  let opus: OpusTrack | undefined;
  let decoder: Awaited<ReturnType<typeof opusDecoderFor>> | undefined;
  const parts: Float32Array[][] = [];
  let decoded = 0;
  const need = () => {
    const w = windowAt(48000);
    return w.start + w.count;
  };
  try {
    let at = 0;
    while (at < bytes.length && (decoder === undefined || decoded < need())) {
      const id = readVint(bytes, at, true);
      const size = id && readVint(bytes, at + id.length, false);
      if (id === undefined || size === undefined) break; // truncated or padding: stop here
      const body = at + id.length + size.length;
      if (MASTERS.has(id.value)) {
        if (id.value === TRACK_ENTRY) tracks.push((current = { number: 0, codec: "" }));
        at = body;
        continue;
      }
      if (size.unknown) throw new ZkError(`${what}: the WebM file is corrupt (element 0x${id.value.toString(16)} has no size)`);
      const data = bytes.subarray(body, Math.min(bytes.length, body + size.value));
      if (id.value === TRACK_NUMBER && current) current.number = data.reduce((n, x) => n * 256 + x, 0);
      else if (id.value === CODEC_ID && current) current.codec = new TextDecoder().decode(data);
      else if (id.value === CODEC_PRIVATE && current) current.head = data;
      else if ((id.value === SIMPLE_BLOCK || id.value === BLOCK) && data.length === size.value) {
        if (opus === undefined) {
          opus = tracks.find((t) => t.codec === "A_OPUS");
          if (opus === undefined) throw new NotOpusWebm(tracks.map((t) => t.codec).join(", ") || "no tracks");
          const head = opus.head && parseOpusHead(opus.head);
          if (head === undefined) throw new ZkError(`${what}: the WebM Opus track has no OpusHead; the file is corrupt`);
          decoder = await opusDecoderFor(head);
        }
        const block = blockFrames(data);
        if (block !== undefined && block.track === opus.number && decoder !== undefined) {
          const out = decoder.decodeFrames(block.frames);
          if (out.samplesDecoded > 0) {
            parts.push(out.channelData.map((c) => c.slice(0, out.samplesDecoded)));
            decoded += out.samplesDecoded;
          }
        }
      }
      at = body + size.value;
    }
  } catch (e) {
    if (e instanceof ZkError || e instanceof NotOpusWebm) throw e;
    throw new ZkError(`${what}: the WebM Opus stream could not be decoded (${(e as Error).message}); the file is corrupt or truncated`);
  } finally {
    decoder?.free();
  }
  if (opus === undefined && tracks.length > 0 && !tracks.some((t) => t.codec === "A_OPUS"))
    throw new NotOpusWebm(tracks.map((t) => t.codec).join(", "));
  if (decoded === 0) throw new ZkError(`${what}: no Opus audio could be decoded from this WebM file; it is empty, corrupt or truncated`);
  return { sampleRate: 48000, channels: sliceWindow(joinChunks(parts, decoded), windowAt(48000)), format: "WebM/Opus" };
}
