import { slaneyMelFilterBank } from "./mel-filter.js";
import { powerSpectrogram } from "./stft.js";

/** A spectrogram as rows (bands) x columns (frames), row-major like numpy's (n_mels, t). */
export interface Spectrogram {
  data: Float64Array;
  rows: number;
  frames: number;
}

/**
 * librosa.feature.melspectrogram(y=y, sr=sr, n_fft, hop_length, n_mels): power 2,
 * periodic Hann, centred zero-padded frames, Slaney mel bank with Slaney norm.
 */
export function melSpectrogram(y: Float32Array, sampleRate: number, nFft: number, hop: number, nMels: number): Spectrogram {
  const { power, frames, bins } = powerSpectrogram(y, nFft, hop);
  const bank = slaneyMelFilterBank(sampleRate, nFft, nMels);
  const data = new Float64Array(nMels * frames);
  for (let m = 0; m < nMels; m++) {
    const row = m * bins;
    // Only the filter's non-zero span contributes.
    let lo = 0;
    while (lo < bins && bank[row + lo] === 0) lo++;
    let hi = bins - 1;
    while (hi >= lo && bank[row + hi] === 0) hi--;
    for (let t = 0; t < frames; t++) {
      const col = t * bins;
      let sum = 0;
      for (let k = lo; k <= hi; k++) sum += bank[row + k]! * power[col + k]!;
      data[m * frames + t] = sum;
    }
  }
  return { data, rows: nMels, frames };
}
