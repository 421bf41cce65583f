import type { Spectrogram } from "./melspectrogram.js";

/**
 * librosa.power_to_db(S, ref=np.max, amin, top_db): 10 log10(max(amin, S) / max(amin, max S)),
 * floored at top_db below the peak. Silence (all zeros) gives 0 dB everywhere, as in librosa.
 */
export function powerToDb(s: Spectrogram, amin = 1e-10, topDb: number | null = 80): Spectrogram {
  let ref = 0;
  for (const v of s.data) if (v > ref) ref = v;
  const refDb = 10 * Math.log10(Math.max(amin, ref));
  const data = new Float64Array(s.data.length);
  let peak = -Infinity;
  for (let i = 0; i < data.length; i++) {
    data[i] = 10 * Math.log10(Math.max(amin, s.data[i]!)) - refDb;
    if (data[i]! > peak) peak = data[i]!;
  }
  if (topDb !== null) {
    const floor = peak - topDb;
    for (let i = 0; i < data.length; i++) if (data[i]! < floor) data[i] = floor;
  }
  return { data, rows: s.rows, frames: s.frames };
}
