import type { Spectrogram } from "./melspectrogram.js";

/**
 * Seed 000's framing: zero-pad the time axis up to `frames` columns, or truncate to it
 * (np.pad(..., (0, frames - t)) / val[:, :, :frames]). `padValue` is what a missing
 * column holds in the caller's units.
 */
export function fixFrames(s: Spectrogram, frames: number, padValue = 0): Spectrogram {
  const data = new Float64Array(s.rows * frames).fill(padValue);
  const keep = Math.min(frames, s.frames);
  for (let r = 0; r < s.rows; r++) {
    for (let t = 0; t < keep; t++) data[r * frames + t] = s.data[r * s.frames + t]!;
  }
  return { data, rows: s.rows, frames };
}
