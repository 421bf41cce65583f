/**
 * The recording gate: is there a voice in the window the judge hears? Runs before a
 * recording is proved for a reward or attested, in the CLI, the service and (bundled) a
 * page. Runtime-neutral: no Node built-ins, no Hardhat (so no ZkError): it returns a
 * verdict, and each caller turns a refusal into its own error.
 */
import FFT from "fft.js";
import { JUDGE_DURATION_SECONDS, JUDGE_OFFSET_SECONDS } from "./judged-window.js";
import { periodicHann } from "./window.js";

/** Thresholds of the gate; every one is documented in README ("The recording gate"). */
export interface GateOptions {
  /** Level (RMS of the window without its DC offset, dB relative to full scale) below which it is silence. */
  minLevelDbfs: number;
  /** Largest share of the window's energy a constant (DC) offset may hold. */
  maxDcShare: number;
  /** Largest share of samples at full scale (|x| >= 0.98) before the window counts as clipped. */
  maxClippedShare: number;
  /** Least voiced time (frames with a pitch between minPitchHz and maxPitchHz), in seconds. */
  minVoicedSeconds: number;
  /** A frame is voiced when its periodicity (1 - YIN's aperiodicity) reaches this. */
  minPeriodicity: number;
  minPitchHz: number;
  maxPitchHz: number;
  /** Median spectral flatness of the audible frames above which the window is noise (white noise is about 0.56). */
  maxFlatness: number;
  /** Median share of a frame's power within one peak (±3 FFT bins) above which it is a tone or whistle. */
  maxPeakShare: number;
  /** Least spread (standard deviation, dB) of the audible frames' levels: a voice rises and falls, a machine tone or hum does not. */
  minLevelSpreadDb: number;
  /** Recordings sampled slower than this cannot carry a voice. */
  minSourceRate: number;
}

export const DEFAULT_GATE_OPTIONS: Readonly<GateOptions> = Object.freeze({
  minLevelDbfs: -55,
  maxDcShare: 0.5,
  maxClippedShare: 0.01,
  minVoicedSeconds: 0.15,
  minPeriodicity: 0.45,
  minPitchHz: 50,
  maxPitchHz: 1100,
  maxFlatness: 0.3,
  maxPeakShare: 0.9,
  minLevelSpreadDb: 2,
  minSourceRate: 8000,
});

export type GateReasonCode = "low-sample-rate" | "silent" | "dc-offset" | "clipped" | "noise" | "tone" | "steady" | "too-little-voice";

export interface GateReason {
  code: GateReasonCode;
  /** Plain words for the singer: what is wrong and what to do. */
  message: string;
}

/** What the gate measured on the judged window. */
export interface GateMeasures {
  /** Seconds of audio in the window (at most 3). */
  seconds: number;
  sourceRate: number;
  /** RMS of the window without its DC offset, dBFS (-Infinity for digital silence). */
  levelDbfs: number;
  dcShare: number;
  clippedShare: number;
  /** Seconds of frames with a voice-range pitch. */
  voicedSeconds: number;
  /** Median spectral flatness of the audible frames (0 tonal .. 1 white). */
  flatness: number;
  /** Median share of an audible frame's power in its strongest peak. */
  peakShare: number;
  /** Standard deviation of the audible frames' levels, dB. */
  levelSpreadDb: number;
}

export interface GateVerdict {
  ok: boolean;
  reasons: GateReason[];
  measures: GateMeasures;
}

/** The decoded window the judge hears (loadClip's result is one). */
export interface GateClip {
  /** Mono samples of the judged window at 22,050 Hz (the frame sizes and thresholds are tuned for that rate). */
  y: Float32Array;
  sampleRate: number;
  /** The recording's own sample rate. */
  sourceRate: number;
}

const FRAME = 1024;
const HOP = 512;
const FULL_SCALE = 0.98;
/** A frame is audible when it is within this many dB of the loudest frame (and above the level floor). */
const AUDIBLE_RANGE_DB = 35;
const PEAK_BINS = 3;
/** Voicing is decided on shorter frames (23 ms at 22,050 Hz, every 11.6 ms): a pitch barely moves within one. */
const PITCH_FRAME = 512;
const PITCH_HOP = 256;

const WINDOW_TEXT = `the ${JUDGE_DURATION_SECONDS} seconds judged (${JUDGE_OFFSET_SECONDS} s to ${JUDGE_OFFSET_SECONDS + JUDGE_DURATION_SECONDS} s)`;

function db(power: number): number {
  return 10 * Math.log10(power);
}

function spread(values: number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * YIN's periodicity of frames (de Cheveigné & Kawahara 2002): 1 minus the lowest
 * cumulative-mean-normalised difference over the pitch lags. Voiced speech is about
 * 0.8-1, white noise about 0, brown noise below 0 (its difference grows with the lag).
 * The difference d(lag) = E(0) + E(lag) - 2 r(lag) takes the cross-correlation r from one FFT product.
 */
class Yin {
  readonly #fft: FFT;
  readonly #size: number;
  readonly #a: number[];
  readonly #b: number[];
  readonly #fa: number[];
  readonly #fb: number[];
  readonly #corr: number[];
  /** Running sums of x^2: the energy of any window in O(1). */
  readonly #energy: Float64Array;

  constructor(
    readonly x: Float32Array,
    readonly minLag: number,
    readonly maxLag: number,
  ) {
    let size = 2;
    while (size < PITCH_FRAME + maxLag) size *= 2;
    this.#size = size;
    this.#fft = new FFT(size);
    this.#a = new Array<number>(size).fill(0);
    this.#b = new Array<number>(size).fill(0);
    this.#fa = this.#fft.createComplexArray() as number[];
    this.#fb = this.#fft.createComplexArray() as number[];
    this.#corr = this.#fft.createComplexArray() as number[];
    this.#energy = new Float64Array(x.length + 1);
    for (let i = 0; i < x.length; i++) this.#energy[i + 1] = this.#energy[i]! + x[i]! * x[i]!;
  }

  /** Periodicity of the frame at `start`; needs start + PITCH_FRAME + maxLag <= x.length. */
  at(start: number): number {
    const { x, minLag, maxLag } = this;
    for (let i = 0; i < PITCH_FRAME; i++) this.#a[i] = x[start + i]!;
    for (let i = 0; i < PITCH_FRAME + maxLag; i++) this.#b[i] = x[start + i]!;
    this.#fft.realTransform(this.#fa, this.#a);
    this.#fft.realTransform(this.#fb, this.#b);
    this.#fft.completeSpectrum(this.#fa);
    this.#fft.completeSpectrum(this.#fb);
    const fa = this.#fa;
    const fb = this.#fb;
    for (let k = 0; k < 2 * this.#size; k += 2) {
      // conj(A) * B: its inverse is r(lag) = sum a[i] b[i + lag]
      const re = fa[k]! * fb[k]! + fa[k + 1]! * fb[k + 1]!;
      const im = fa[k]! * fb[k + 1]! - fa[k + 1]! * fb[k]!;
      fa[k] = re;
      fa[k + 1] = im;
    }
    this.#fft.inverseTransform(this.#corr, fa);
    const e = this.#energy;
    const e0 = e[start + PITCH_FRAME]! - e[start]!;
    let running = 0;
    let best = Infinity;
    for (let lag = 1; lag <= maxLag; lag++) {
      const eLag = e[start + lag + PITCH_FRAME]! - e[start + lag]!;
      const d = Math.max(0, e0 + eLag - 2 * this.#corr[2 * lag]!);
      running += d;
      if (lag >= minLag && running > 0) best = Math.min(best, (d * lag) / running);
    }
    return best === Infinity ? 0 : 1 - best;
  }
}

/** Decides whether the judged window holds a voice; never throws. */
export function gateRecording(clip: GateClip, overrides: Partial<GateOptions> = {}): GateVerdict {
  const o = { ...DEFAULT_GATE_OPTIONS, ...overrides };
  const { y, sampleRate } = clip;
  const n = y.length;
  let sum = 0;
  let sumSq = 0;
  let clipped = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    sum += v;
    sumSq += v * v;
    if (Math.abs(v) >= FULL_SCALE) clipped++;
  }
  const mean = n > 0 ? sum / n : 0;
  const meanSq = n > 0 ? sumSq / n : 0;
  const acPower = Math.max(0, meanSq - mean * mean);
  const levelDbfs = acPower > 0 ? db(acPower) : -Infinity;
  const dcShare = meanSq > 0 ? (mean * mean) / meanSq : 0;

  // Frames: level, periodicity (YIN), spectral flatness and the strongest peak's share.
  const minLag = Math.max(2, Math.floor(sampleRate / o.maxPitchHz));
  const maxLag = Math.ceil(sampleRate / o.minPitchHz);
  const fft = new FFT(FRAME);
  const window = periodicHann(FRAME);
  const frameBuf = new Array<number>(FRAME);
  const spectrum = fft.createComplexArray() as number[];
  const levels: number[] = [];
  const starts: number[] = [];
  for (let start = 0; start + FRAME <= n; start += HOP) {
    let e = 0;
    for (let i = 0; i < FRAME; i++) {
      const v = y[start + i]! - mean;
      e += v * v;
    }
    levels.push(e > 0 ? db(e / FRAME) : -Infinity);
    starts.push(start);
  }
  const loudest = Math.max(-Infinity, ...levels);
  const audibleFloor = Math.max(o.minLevelDbfs, loudest - AUDIBLE_RANGE_DB);
  let voiced = 0;
  const flatness: number[] = [];
  const audible: number[] = [];
  const peakShare: number[] = [];
  const centred = new Float32Array(n);
  for (let i = 0; i < n; i++) centred[i] = y[i]! - mean;
  // Pre-emphasis (as speech front ends do) whitens rumble and brown noise, whose slow drift otherwise looks periodic.
  const emphasised = new Float32Array(n);
  for (let i = 1; i < n; i++) emphasised[i] = centred[i]! - 0.97 * centred[i - 1]!;
  const yin = new Yin(emphasised, minLag, maxLag);
  for (let start = 0; start + PITCH_FRAME + maxLag <= n; start += PITCH_HOP) {
    let e = 0;
    for (let i = 0; i < PITCH_FRAME; i++) e += centred[start + i]! ** 2;
    if (e > 0 && db(e / PITCH_FRAME) >= audibleFloor && yin.at(start) >= o.minPeriodicity) voiced++;
  }
  // Low bins (below 50 Hz) carry hum and offsets, not voice: they are left out of the spectral measures.
  const firstBin = Math.max(1, Math.ceil((50 * FRAME) / sampleRate));
  for (let f = 0; f < starts.length; f++) {
    if (!(levels[f]! >= audibleFloor)) continue;
    audible.push(levels[f]!);
    const start = starts[f]!;
    for (let i = 0; i < FRAME; i++) frameBuf[i] = centred[start + i]! * window[i]!;
    fft.realTransform(spectrum, frameBuf);
    const bins = FRAME / 2;
    const power = new Float64Array(bins + 1);
    let total = 0;
    let logSum = 0;
    let peak = firstBin;
    for (let k = firstBin; k <= bins; k++) {
      const p = spectrum[2 * k]! ** 2 + spectrum[2 * k + 1]! ** 2 + 1e-20;
      power[k] = p;
      total += p;
      logSum += Math.log(p);
      if (p > power[peak]!) peak = k;
    }
    const count = bins - firstBin + 1;
    flatness.push(Math.exp(logSum / count) / (total / count));
    let around = 0;
    for (let k = Math.max(firstBin, peak - PEAK_BINS); k <= Math.min(bins, peak + PEAK_BINS); k++) around += power[k]!;
    peakShare.push(around / total);
  }

  const measures: GateMeasures = {
    seconds: n / sampleRate,
    sourceRate: clip.sourceRate,
    levelDbfs,
    dcShare,
    clippedShare: n > 0 ? clipped / n : 0,
    voicedSeconds: (voiced * PITCH_HOP) / sampleRate,
    flatness: median(flatness),
    peakShare: median(peakShare),
    levelSpreadDb: spread(audible),
  };
  return finish(measures, o);
}

function finish(m: GateMeasures, o: GateOptions): GateVerdict {
  const reasons = reasonsFor(m, o);
  return { ok: reasons.length === 0, reasons, measures: m };
}

function reasonsFor(m: GateMeasures, o: GateOptions): GateReason[] {
  const reasons: GateReason[] = [];
  const add = (code: GateReasonCode, message: string) => reasons.push({ code, message });
  if (m.sourceRate < o.minSourceRate) {
    add(
      "low-sample-rate",
      `sample rate too low: the recording is sampled at ${m.sourceRate} Hz, a voice needs at least ${o.minSourceRate} Hz; record again with your device's normal settings`,
    );
    return reasons; // what such a file sounds like after resampling says nothing more
  }
  if (m.dcShare > o.maxDcShare) {
    add(
      "dc-offset",
      `no sound, only a constant signal: ${Math.round(m.dcShare * 100)}% of ${WINDOW_TEXT} is a fixed offset; check the microphone and record again`,
    );
  }
  if (!(m.levelDbfs >= o.minLevelDbfs)) {
    add(
      "silent",
      `too quiet: the recording is silent in ${WINDOW_TEXT} (its level is ${fmtDb(m.levelDbfs)}, at least ${o.minLevelDbfs} dBFS is needed); sing closer to the microphone`,
    );
    return reasons; // nothing else can be judged in silence
  }
  if (m.clippedShare > o.maxClippedShare) {
    add(
      "clipped",
      `too loud: ${(m.clippedShare * 100).toFixed(1)}% of ${WINDOW_TEXT} is clipped at full scale; move back from the microphone or lower its gain`,
    );
  }
  if (m.flatness > o.maxFlatness) {
    add("noise", `only noise: ${WINDOW_TEXT} sound like hiss or static, not a voice; record in a quieter place and sing`);
  }
  if (m.peakShare > o.maxPeakShare) {
    add("tone", `a single tone, not a voice: ${WINDOW_TEXT} hold one pure pitch (a beep, whistle or test tone); sing or speak instead`);
  }
  if (m.levelSpreadDb < o.minLevelSpreadDb && m.seconds >= 1) {
    add(
      "steady",
      `a steady machine sound, not a voice: the loudness of ${WINDOW_TEXT} never changes (a hum, buzz, chord or noise); sing or speak instead`,
    );
  }
  if (m.voicedSeconds < o.minVoicedSeconds) {
    add(
      "too-little-voice",
      `too little voice: ${m.voicedSeconds.toFixed(2)} s of ${WINDOW_TEXT} are voiced, at least ${o.minVoicedSeconds} s are needed; sing from the start of the recording`,
    );
  }
  return reasons;
}

function fmtDb(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(1)} dBFS` : "digital silence";
}

/** One line for an error: the first reason in full, the others by name. */
export function gateRefusal(verdict: GateVerdict): string {
  const [first, ...others] = verdict.reasons;
  if (first === undefined) return "";
  return others.length === 0 ? first.message : `${first.message} (also: ${others.map((r) => r.message.split(":")[0]).join("; ")})`;
}
