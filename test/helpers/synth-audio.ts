/** 16-bit mono PCM WAV bytes of `samples` (clamped to [-1, 1]) at `rate`. */
export function encodeWav16(samples: Float32Array, rate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), true);
  return bytes;
}

/** `frames` MPEG-1 Layer III frame headers (128 kbit/s, 44.1 kHz), each followed by a zeroed frame body: an "MP3" with no audio. */
export function mp3HeadersOnly(frames = 100): Uint8Array {
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const file = new Uint8Array(frame.length * frames);
  for (let i = 0; i < frames; i++) file.set(frame, i * frame.length);
  return file;
}

/** `seconds` of samples at `rate` from `f(t, i)`. */
export function synthesize(f: (t: number, i: number) => number, seconds = 4, rate = 22050): Float32Array {
  const y = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < y.length; i++) y[i] = f(i / rate, i);
  return y;
}

/** A deterministic uniform noise source in [-1, 1). */
export function uniformNoise(seed = 1): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
}
