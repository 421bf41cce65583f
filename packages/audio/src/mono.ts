/** librosa.to_mono: the mean of the channels, in float32. */
export function toMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const c of channels) sum = Math.fround(sum + c[i]!);
    out[i] = sum / channels.length;
  }
  return out;
}
