import FFT from "fft.js";
import { periodicHann } from "./window.js";

/**
 * Power spectrogram |STFT|^2 as librosa.stft computes it with center=True and its
 * current default pad_mode "constant": the signal is padded with nFft/2 zeros on each
 * side, framed every `hop` samples with a periodic Hann window.
 * Returns frames x (nFft/2 + 1) powers, frame-major, and the frame count.
 */
export function powerSpectrogram(y: Float32Array, nFft: number, hop: number): { power: Float64Array; frames: number; bins: number } {
  const half = Math.floor(nFft / 2);
  const bins = half + 1;
  const frames = 1 + Math.floor((y.length + 2 * half - nFft) / hop);
  const window = periodicHann(nFft);
  const fft = new FFT(nFft);
  const frame = new Float64Array(nFft);
  const spectrum = fft.createComplexArray() as number[];
  const power = new Float64Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const start = t * hop - half; // index into y of the frame's first sample
    for (let i = 0; i < nFft; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < y.length ? y[j]! * window[i]! : 0;
    }
    fft.realTransform(spectrum, frame as unknown as number[]);
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      power[t * bins + k] = re * re + im * im;
    }
  }
  return { power, frames, bins };
}
