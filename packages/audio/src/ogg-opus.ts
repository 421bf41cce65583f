import { ZkError } from "./errors.js";
import { opusDecoderFor, parseOpusHead } from "./opus-head.js";
import { joinChunks, sliceWindow, type FrameWindow, type PcmAudio } from "./pcm.js";

/**
 * Ogg/Opus (Firefox's MediaRecorder, `opusenc`): Ogg pages are split into packets
 * (RFC 3533), the first logical stream's Opus packets decoded by libopus until the
 * window is covered, the end trimmed to the last page's granule position as
 * libsndfile/libopusfile do (RFC 7845).
 */
export async function decodeOggOpus(
  bytes: Uint8Array,
  windowAt: (sampleRate: number) => FrameWindow,
  what = "recording",
): Promise<PcmAudio> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = windowAt(48000);
  const need = w.start + w.count;
  let serial: number | undefined;
  let decoder: Awaited<ReturnType<typeof opusDecoderFor>> | undefined;
  let preSkip = 0;
  let packetIndex = 0;
  let pending: Uint8Array[] = []; // a packet continued across pages
  let lastGranule = -1;
  const parts: Float32Array[][] = [];
  let decoded = 0;
  try {
    let at = 0;
    while (at + 27 <= bytes.length && decoded < need) {
      if (view.getUint32(at, false) !== 0x4f676753) break; // "OggS"; garbage or a cut page ends the stream
      const segments = bytes[at + 26]!;
      const body = at + 27 + segments;
      const sizes = bytes.subarray(at + 27, body);
      const pageBytes = sizes.reduce((n, s) => n + s, 0);
      if (body + pageBytes > bytes.length) break; // truncated page
      const pageSerial = view.getUint32(at + 14, true);
      serial ??= pageSerial;
      if (pageSerial === serial) {
        const granule = Number(view.getBigInt64(at + 6, true));
        let p = body;
        for (const size of sizes) {
          pending.push(bytes.subarray(p, p + size));
          p += size;
          if (size === 255) continue; // the packet goes on
          const packet = pending.length === 1 ? pending[0]! : concat(pending);
          pending = [];
          if (packetIndex === 0) {
            const head = parseOpusHead(packet);
            if (head === undefined) throw new ZkError(`${what}: the Ogg stream does not start with an OpusHead; the file is corrupt`);
            preSkip = head.preSkip;
            decoder = await opusDecoderFor(head);
          } else if (packetIndex > 1 && decoder !== undefined) {
            // packet 1 is OpusTags
            const out = decoder.decodeFrame(packet);
            if (out.samplesDecoded > 0) {
              parts.push(out.channelData.map((c) => c.slice(0, out.samplesDecoded)));
              decoded += out.samplesDecoded;
            }
          }
          packetIndex++;
        }
        if (granule >= 0) lastGranule = granule;
      }
      at = body + pageBytes;
    }
  } catch (e) {
    if (e instanceof ZkError) throw e;
    throw new ZkError(`${what}: the Ogg/Opus stream could not be decoded (${(e as Error).message}); the file is corrupt or truncated`);
  } finally {
    decoder?.free();
  }
  if (decoded === 0) throw new ZkError(`${what}: no Ogg/Opus audio could be decoded; the file is empty, corrupt or truncated`);
  // Whole stream read: its last granule position says where the audio ends (drops the encoder's padding).
  const total = decoded < need && lastGranule >= preSkip ? Math.min(decoded, lastGranule - preSkip) : decoded;
  return { sampleRate: 48000, channels: sliceWindow(joinChunks(parts, total), w), format: "Ogg/Opus" };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
