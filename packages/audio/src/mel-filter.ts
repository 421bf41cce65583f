/**
 * librosa.filters.mel with its defaults: Slaney mel scale (linear below 1 kHz,
 * logarithmic above), fmin 0, fmax sr/2, Slaney area normalisation, float32 weights.
 */

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMelSlaney(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHzSlaney(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** numpy.linspace(start, stop, n): start + i * step, the last point exactly `stop`. */
function linspace(start: number, stop: number, n: number): number[] {
  const step = (stop - start) / (n - 1);
  const out = Array.from({ length: n }, (_, i) => i * step + start);
  if (n > 1) out[n - 1] = stop;
  return out;
}

/** Filter bank as nMels rows of (nFft / 2 + 1) weights, row-major. */
export function slaneyMelFilterBank(sampleRate: number, nFft: number, nMels: number, fmin = 0, fmax = sampleRate / 2): Float32Array {
  const bins = Math.floor(nFft / 2) + 1;
  const binHz = 1 / (nFft * (1 / sampleRate)); // numpy.fft.rfftfreq
  const melF = linspace(hzToMelSlaney(fmin), hzToMelSlaney(fmax), nMels + 2).map(melToHzSlaney);
  const weights = new Float32Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const lowDiff = melF[m + 1]! - melF[m]!;
    const highDiff = melF[m + 2]! - melF[m + 1]!;
    const enorm = 2 / (melF[m + 2]! - melF[m]!);
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      const lower = -(melF[m]! - f) / lowDiff;
      const upper = (melF[m + 2]! - f) / highDiff;
      const w = Math.fround(Math.max(0, Math.min(lower, upper)));
      weights[m * bins + k] = w * enorm;
    }
  }
  return weights;
}
