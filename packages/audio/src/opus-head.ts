import { OpusDecoder } from "opus-decoder";

/** An OpusHead packet (RFC 7845 section 5.1): what libopus needs to decode the stream. */
export interface OpusHead {
  channels: number;
  preSkip: number;
  streamCount?: number;
  coupledStreamCount?: number;
  channelMappingTable?: number[];
}

export function parseOpusHead(head: Uint8Array): OpusHead | undefined {
  if (head.length < 19 || String.fromCharCode(...head.subarray(0, 8)) !== "OpusHead") return undefined;
  const channels = head[9]!;
  const preSkip = head[10]! | (head[11]! << 8);
  const family = head[18]!;
  if (family === 0 || head.length < 21 + channels) return { channels, preSkip };
  return {
    channels,
    preSkip,
    streamCount: head[19]!,
    coupledStreamCount: head[20]!,
    channelMappingTable: Array.from(head.subarray(21, 21 + channels)),
  };
}

/** A libopus decoder (opus-decoder, WASM) at 48 kHz that drops the pre-skip samples. */
export async function opusDecoderFor(head: OpusHead): Promise<OpusDecoder> {
  const decoder = new OpusDecoder(head);
  await decoder.ready;
  return decoder;
}
