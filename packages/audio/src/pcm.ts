/** Decoded audio: one Float32Array per channel, at the recording's own rate. */
export interface PcmAudio {
  sampleRate: number;
  channels: Float32Array[];
  /** Container/codec the samples came from (for messages and tests). */
  format: string;
}

/** The part of a recording librosa.load(offset, duration) reads, in frames at `sampleRate`. */
export interface FrameWindow {
  start: number;
  /** Frames wanted from `start` (fewer come back when the recording ends first). */
  count: number;
}

/**
 * librosa.load's window: soundfile seeks to int(offset * sr) and reads int(duration * sr)
 * frames (Python's int() truncates).
 */
export function loadWindow(sampleRate: number, offsetSeconds: number, durationSeconds: number): FrameWindow {
  return { start: Math.trunc(offsetSeconds * sampleRate), count: Math.trunc(durationSeconds * sampleRate) };
}

/** The frames of `window` out of fully decoded channels (shorter at the end of the recording). */
export function sliceWindow(channels: Float32Array[], window: FrameWindow): Float32Array[] {
  return channels.map((c) => c.subarray(Math.min(window.start, c.length), Math.min(window.start + window.count, c.length)));
}

/** Concatenates decoded chunks (one Float32Array per channel each) into `total` frames. */
export function joinChunks(parts: Float32Array[][], total: number): Float32Array[] {
  const channelCount = parts[0]?.length ?? 0;
  return Array.from({ length: channelCount }, (_, c) => {
    const all = new Float32Array(total);
    let off = 0;
    for (const p of parts) {
      const src = p[c]!.subarray(0, total - off);
      all.set(src, off);
      off += src.length;
    }
    return all;
  });
}
