/**
 * Recording gate benchmark: false rejects on every real voice recording at hand (Debian's
 * alsa-utils clips, espeak-ng speech and song in many voices, pitches and speeds, the
 * committed test recordings) and false accepts on a negative set (silence, noise, tones,
 * chirps, clicks, DC, a 1 Hz WAV, MP3 frame headers without audio). Generated audio goes
 * to .bench-gate/ (git-ignored). Needs espeak-ng, sox and ffmpeg. Prints a Markdown table.
 *
 *   npx hardhat run scripts/bench-gate.ts          (BENCH_OUT=bench/gate.md to save)
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_GATE_OPTIONS, gateRecording, loadClip, type GateVerdict } from "@hardhat-zkml/audio/node.js";
import { JUDGE_SAMPLE_RATE } from "@hardhat-zkml/audio/feature-spec.js";
import { readRecording } from "@hardhat-zkml/audio/node.js";
import { JUDGE_DURATION_SECONDS, JUDGE_OFFSET_SECONDS } from "@hardhat-zkml/audio/judged-window.js";
import { encodeWav16, mp3HeadersOnly } from "../test/helpers/synth-audio.js";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, ".bench-gate");
const lines: string[] = [];
const out = (l = "") => (console.log(l), lines.push(l));

interface Case {
  set: string;
  file: string;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ["ignore", "ignore", "ignore"] });
const sox = (args: string[]) => run("sox", ["-D", ...args]);

const SENTENCES: Record<string, string> = {
  en: "The judge listens to three seconds of this recording and scores the voice.",
  de: "Der Richter hört drei Sekunden dieser Aufnahme und bewertet die Stimme.",
  fr: "Le juge écoute trois secondes de cet enregistrement et note la voix.",
  es: "El juez escucha tres segundos de esta grabación y puntúa la voz.",
  it: "Il giudice ascolta tre secondi di questa registrazione e valuta la voce.",
};
const VOICES = [
  "en-us",
  "en",
  "en+f2",
  "en+f3",
  "en+f4",
  "en+m1",
  "en+m3",
  "en+m7",
  "en-us+croak",
  "de",
  "fr",
  "es",
  "it",
  "pt",
  "nl",
  "pl",
  "ru",
  "hi",
  "sw",
];
const PITCHES = [10, 50, 90];
const SPEEDS = [110, 175, 240];

async function voices(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const f of (await readdir("/usr/share/sounds/alsa")).filter((f) => f.endsWith(".wav") && f !== "Noise.wav").sort())
    cases.push({ set: "alsa-utils clips (48 kHz speech)", file: path.join("/usr/share/sounds/alsa", f) });
  const fixtures = path.join(root, "test", "fixtures", "audio");
  for (const f of (await readdir(fixtures)).sort())
    if (/^(speech|sung|stereo)/.test(f)) cases.push({ set: "test/fixtures/audio recordings", file: path.join(fixtures, f) });
  for (const voice of VOICES) {
    const text = SENTENCES[voice.slice(0, 2)] ?? SENTENCES.en!;
    for (const pitch of PITCHES)
      for (const speed of SPEEDS) {
        const file = path.join(dir, `espeak-${voice.replace(/\W/g, "_")}-p${pitch}-s${speed}.wav`);
        run("espeak-ng", ["-v", voice, "-p", String(pitch), "-s", String(speed), "-w", file, text]);
        cases.push({ set: "espeak-ng speech (19 voices x 3 pitches x 3 speeds)", file });
      }
  }
  for (const pitch of PITCHES) {
    const file = path.join(dir, `whisper-p${pitch}.wav`);
    run("espeak-ng", ["-v", "en-us+whisper", "-p", String(pitch), "-w", file, SENTENCES.en!]);
    cases.push({ set: "espeak-ng whisper", file });
  }
  const song = "Laa laa laa, laaa. Doo bee doo, laa.";
  for (const [voice, pitch] of [
    ["en+f3", 80],
    ["en+m3", 30],
    ["en+f4", 99],
    ["it", 60],
  ] as const) {
    const file = path.join(dir, `espeak-sung-${voice.replace(/\W/g, "_")}.wav`);
    run("espeak-ng", ["-v", voice, "-s", "70", "-p", String(pitch), "-w", file, song]);
    cases.push({ set: "espeak-ng song (slow, sustained vowels)", file });
  }
  // The same speech as a phone or browser would deliver it: quieter, in room noise, compressed.
  const base = path.join(dir, "espeak-en_us-p50-s175.wav");
  const aug = (name: string, args: string[]) => {
    const file = path.join(dir, `aug-${name}`);
    sox([base, file, ...args]);
    cases.push({ set: "espeak-ng speech, augmented (gain, noise, rates, codecs)", file });
  };
  aug("minus20db.wav", ["gain", "-20"]);
  aug("minus30db.wav", ["gain", "-30"]);
  aug("44100.wav", ["rate", "-v", "44100"]);
  aug("8000.wav", ["rate", "-v", "8000"]);
  const noisy = path.join(dir, "aug-room-noise.wav");
  sox(["-n", "-r", "22050", "-c", "1", path.join(dir, "room.wav"), "synth", "6", "brownnoise", "vol", "0.03"]);
  sox(["-m", base, path.join(dir, "room.wav"), noisy, "trim", "0", "4"]);
  cases.push({ set: "espeak-ng speech, augmented (gain, noise, rates, codecs)", file: noisy });
  for (const [ext, codec] of [
    ["mp3", ["-c:a", "libmp3lame", "-b:a", "32k"]],
    ["opus", ["-c:a", "libopus", "-b:a", "16k"]],
    ["m4a", ["-c:a", "aac", "-b:a", "32k"]],
  ] as const) {
    const file = path.join(dir, `aug-codec.${ext}`);
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", base, "-ar", "48000", ...codec, file]);
    cases.push({ set: "espeak-ng speech, augmented (gain, noise, rates, codecs)", file });
  }
  return cases;
}

async function negatives(): Promise<Case[]> {
  const cases: Case[] = [];
  const synth = (set: string, name: string, args: string[]) => {
    const file = path.join(dir, `neg-${name}.wav`);
    sox(["-n", "-r", "22050", "-b", "16", "-c", "1", file, "synth", "4", ...args]);
    cases.push({ set, file });
  };
  synth("digital silence", "silence", ["sine", "0", "vol", "0"]);
  synth("near silence (-79 dBFS noise, -63 dBFS hum)", "near-silence-noise", ["whitenoise", "vol", "0.0003"]);
  synth("near silence (-79 dBFS noise, -63 dBFS hum)", "near-silence-hum", ["sine", "50", "vol", "0.001"]);
  for (const [kind, vols] of [
    ["whitenoise", ["0.05", "0.3", "0.9"]],
    ["pinknoise", ["0.05", "0.3", "0.9"]],
    ["brownnoise", ["0.05", "0.3", "0.9"]],
  ] as const)
    for (const vol of vols) synth(`${kind.replace("noise", " noise")}`, `${kind}-${vol}`, [kind, "vol", vol]);
  for (const f of [100, 220, 440, 1000, 3000]) synth("sine tones", `tone-${f}`, ["sine", String(f), "vol", "0.5"]);
  synth("sine tones", "tone-440-loud", ["sine", "440", "vol", "0.97"]);
  synth("square and sawtooth waves (buzz)", "square-220", ["square", "220", "vol", "0.3"]);
  synth("square and sawtooth waves (buzz)", "saw-110", ["sawtooth", "110", "vol", "0.3"]);
  cases.push({ set: "alsa-utils Noise.wav (its noise sample)", file: "/usr/share/sounds/alsa/Noise.wav" });
  synth("two-tone chord", "chord", ["sine", "440", "sine", "660", "remix", "1,2"]);
  for (const sweep of ["100-2000", "300:3000", "2000-200", "200-800"]) synth("chirps", `chirp-${sweep}`, ["sine", sweep, "vol", "0.5"]);
  const write = async (set: string, name: string, rate: number, samples: Float32Array) => {
    const file = path.join(dir, `neg-${name}.wav`);
    await writeFile(file, encodeWav16(samples, rate));
    cases.push({ set, file });
  };
  const seconds = (s: number, rate = 22050) => new Float32Array(Math.round(s * rate));
  for (const perSecond of [2, 8, 30]) {
    const y = seconds(4);
    for (let i = 0; i < y.length; i += Math.round(22050 / perSecond)) y[i] = 0.9;
    await write("clicks", `clicks-${perSecond}`, 22050, y);
  }
  await write("DC (constant)", "dc-0.5", 22050, seconds(4).fill(0.5));
  await write("DC (constant)", "dc-0.01", 22050, seconds(4).fill(0.01));
  // 4.5 M random samples at 1 Hz: a 9 MB file the judge reads 3 samples of.
  const slow = new Float32Array(4_500_000);
  for (let i = 0; i < slow.length; i++) slow[i] = Math.sin(i * 12.9898) * 0.8;
  await write("1 Hz WAV (9 MB)", "1hz", 1, slow);
  const mp3 = path.join(dir, "neg-headers-only.mp3");
  await writeFile(mp3, mp3HeadersOnly(200));
  cases.push({ set: "MP3 frame headers, no audio", file: mp3 });
  cases.push({ set: "clipped speech (+24 dB)", file: path.join(root, "test", "fixtures", "audio", "clipped-22050-s24.wav") });
  const clipped = path.join(dir, "neg-clipped-long.wav");
  sox([path.join(dir, "espeak-en_us-p50-s175.wav"), clipped, "gain", "30"]);
  cases.push({ set: "clipped speech (+24 dB)", file: clipped });
  return cases;
}

/** Milliseconds the gate itself took per recording (after decoding), for the timing line. */
const gateMs: number[] = [];
/** Recordings whose verdict differs between the service's fast resampling and the CLI's best. */
const differ: string[] = [];

/** The service's verdict (fast resampling), checked against the CLI's (the judge's best-quality window). */
async function verdictOf(file: string): Promise<GateVerdict | Error> {
  try {
    const { bytes } = await readRecording(file, JUDGE_OFFSET_SECONDS, JUDGE_DURATION_SECONDS);
    const what = path.basename(file);
    const window = (quality: "best" | "fast") =>
      loadClip(bytes, JUDGE_SAMPLE_RATE, JUDGE_OFFSET_SECONDS, JUDGE_DURATION_SECONDS, what, undefined, quality);
    const fast = await window("fast");
    const start = performance.now();
    const verdict = gateRecording(fast);
    gateMs.push(performance.now() - start);
    const best = gateRecording(await window("best"));
    const codes = (v: GateVerdict) => v.reasons.map((r) => r.code).join(",");
    if (codes(best) !== codes(verdict)) differ.push(`${what} (fast: ${codes(verdict) || "ok"}, best: ${codes(best) || "ok"})`);
    return verdict;
  } catch (e) {
    return e as Error;
  }
}

interface Row {
  set: string;
  n: number;
  wrong: string[];
  codes: Map<string, number>;
  voiced: number[];
}

async function evaluate(cases: Case[], expectVoice: boolean): Promise<Row[]> {
  const rows = new Map<string, Row>();
  for (const c of cases) {
    const row: Row = rows.get(c.set) ?? { set: c.set, n: 0, wrong: [], codes: new Map(), voiced: [] };
    rows.set(c.set, row);
    row.n++;
    const v = await verdictOf(c.file);
    const name = path.basename(c.file);
    if (v instanceof Error) {
      // A file the decoder refuses is never attested, so it counts as refused.
      row.codes.set("undecodable", (row.codes.get("undecodable") ?? 0) + 1);
      if (expectVoice) row.wrong.push(`${name} (${v.message})`);
      continue;
    }
    row.voiced.push(v.measures.voicedSeconds);
    for (const r of v.reasons) row.codes.set(r.code, (row.codes.get(r.code) ?? 0) + 1);
    if (v.ok !== expectVoice) row.wrong.push(v.ok ? name : `${name} (${v.reasons.map((r) => r.code).join(", ")})`);
    if (process.env.BENCH_VERBOSE === "1") console.error(name, v.ok, JSON.stringify(v.measures), v.reasons.map((r) => r.code).join(","));
  }
  return [...rows.values()];
}

const fmtCodes = (codes: Map<string, number>) =>
  [...codes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([c, k]) => `${c} ${k}`)
    .join(", ") || "-";
const range = (xs: number[]) =>
  xs.length === 0
    ? "-"
    : `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)} s (median ${xs.sort((a, b) => a - b)[xs.length >> 1]!.toFixed(2)})`;

async function main() {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pos = await evaluate(await voices(), true);
  const neg = await evaluate(await negatives(), false);
  const espeakVersion = execFileSync("espeak-ng", ["--version"]).toString().trim().split(/\s+/).slice(0, 2).join(" ");
  out("# Recording gate benchmark");
  out();
  out(
    `\`scripts/bench-gate.ts\` with the default thresholds (packages/audio/src/gate.ts, docs/audio.md "The recording gate"); the judged window is ${JUDGE_OFFSET_SECONDS} s to ${JUDGE_OFFSET_SECONDS + JUDGE_DURATION_SECONDS} s. ${espeakVersion}, sox and ffmpeg from Debian.`,
  );
  out();
  out(
    "Thresholds: " +
      Object.entries(DEFAULT_GATE_OPTIONS)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") +
      ".",
  );
  out();
  out("## Real voices: false rejects (goal 0)");
  out();
  out("| set | recordings | rejected | voiced time in the window | reasons seen |");
  out("| --- | --- | --- | --- | --- |");
  for (const r of pos) out(`| ${r.set} | ${r.n} | ${r.wrong.length} | ${range(r.voiced)} | ${fmtCodes(r.codes)} |`);
  const posTotal = pos.reduce((a, r) => a + r.n, 0);
  const posWrong = pos.flatMap((r) => r.wrong);
  out(`| **all voices** | ${posTotal} | **${posWrong.length}** | | |`);
  if (posWrong.length > 0) out(`\nRejected: ${posWrong.join("; ")}`);
  out();
  out("## Negative set: false accepts (goal 0)");
  out();
  out("| set | files | accepted | reasons given (a file may have several) |");
  out("| --- | --- | --- | --- |");
  for (const r of neg) out(`| ${r.set} | ${r.n} | ${r.wrong.length} | ${fmtCodes(r.codes)} |`);
  const negTotal = neg.reduce((a, r) => a + r.n, 0);
  const negWrong = neg.flatMap((r) => r.wrong);
  out(`| **all negatives** | ${negTotal} | **${negWrong.length}** | |`);
  if (negWrong.length > 0) out(`\nAccepted: ${negWrong.join("; ")}`);
  const sorted = [...gateMs].sort((a, b) => a - b);
  out();
  out(
    `Gate time per recording (after decoding, one core of a shared 2-core machine): median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms over ${sorted.length} recordings.`,
  );
  out();
  out(
    `The verdicts above decode as the service does (libsamplerate's fastest sinc to 22,050 Hz); with the best converter (what \`zk prove --audio\` gates, the judge's own window) ${differ.length === 0 ? "every verdict and reason is the same" : `these differ: ${differ.join("; ")}`}.`,
  );
  if (process.env.BENCH_OUT) await writeFile(path.resolve(root, process.env.BENCH_OUT), lines.join("\n") + "\n");
}

await main();
