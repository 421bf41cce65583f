import { expect } from "chai";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { analyseRecording } from "@hardhat-zkml/audio/node.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { onnxJudgeScores } from "../../scripts/lib/judge-scores.js";
import { judgeScorer } from "../helpers/audio-parity.js";
import { ctx } from "../helpers/fixtures.js";
import { pcm16WavHeader } from "../helpers/wav.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SR = 22050;
const FIXTURES = path.join(ctx.root, "test", "fixtures", "audio");
/** Human speech the judges never trained on: the committed recordings long enough to judge (>= 1 s after the 0.5 s offset). */
const VOICE_FIXTURES = [
  "speech-22050-s16.wav",
  "speech-16000-s16.wav",
  "speech-44100.mp3",
  "speech-48000.opus",
  "speech-48000.webm",
  "speech-44100.m4a",
  "sung-22050-u8.wav",
];
/** Debian's alsa-utils clips (a person saying the speaker's name; scripts/setup.sh installs alsa-utils). */
const ALSA = "/usr/share/sounds/alsa";
const ALSA_VOICES = ["Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left", "Rear_Right", "Side_Left", "Side_Right"];

/** A mono 16-bit PCM WAV of `samples` in [-1, 1] at 22,050 Hz. */
function wav(samples: Float64Array): Uint8Array {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(32767 / 32768, v)) * 32768), i * 2));
  const header = pcm16WavHeader(SR, 1, data.length);
  return new Uint8Array(Buffer.concat([header, data]));
}

/** 4 s of a signal, t in seconds; `noise()` is a seeded uniform source in [-1, 1]. */
function synth(f: (t: number, noise: () => number) => number, seed = 1): Uint8Array {
  let s = seed >>> 0;
  const noise = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1;
  const y = new Float64Array(4 * SR);
  for (let i = 0; i < y.length; i++) y[i] = f(i / SR, noise);
  return wav(y);
}

function negatives(): Record<string, Uint8Array> {
  let brown = 0;
  let pink = [0, 0, 0];
  return {
    "digital silence": synth(() => 0),
    "near-silence (1 LSB dither)": synth((_, n) => Math.round(n()) / 32768),
    "white noise": synth((_, n) => 0.3 * n()),
    "pink noise": synth((_, n) => {
      const w = n(); // Paul Kellet's economy pink filter
      pink = [0.99765 * pink[0]! + w * 0.099046, 0.963 * pink[1]! + w * 0.2965164, 0.57 * pink[2]! + w * 1.0526913];
      return 0.1 * (pink[0]! + pink[1]! + pink[2]! + w * 0.1848);
    }),
    "brown noise": synth((_, n) => (brown = 0.998 * brown + 0.02 * n())),
    "440 Hz tone": synth((t) => 0.5 * Math.sin(2 * Math.PI * 440 * t)),
    "chirp 200-4000 Hz": synth((t) => 0.5 * Math.sin(2 * Math.PI * (200 * t + ((3800 / 4) * t * t) / 2))),
    "clicks at 4 Hz": synth((t) => ((t * SR) % (SR / 4) < 5 ? 0.8 : 0)),
    DC: synth(() => 0.25),
  };
}

const INPUT_SHAPES = { voiceJudgeSmall: [1, 1, 16, 20], voiceJudge: [1, 1, 128, 130] };
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe("voice judges: classes in order (TypeScript features)", function () {
  const voices = new Map<string, Uint8Array>();
  const negs = negatives();

  before(async function () {
    for (const file of VOICE_FIXTURES) voices.set(file, await readFile(path.join(FIXTURES, file)));
    for (const clip of ALSA_VOICES) {
      const file = path.join(ALSA, `${clip}.wav`);
      expect(existsSync(file), `${file} (apt-get install alsa-utils; scripts/setup.sh does)`).to.equal(true);
      voices.set(`alsa ${clip}`, await readFile(file));
    }
  });

  const judges = [
    {
      name: "voiceJudgeSmall" as const,
      how: "the circuit's own quantized score (witness)",
      async scorer(): Promise<(inputs: number[][]) => Promise<number[]>> {
        const model = hre.config.zk.models.voiceJudgeSmall!;
        await setupCircuit(model, ctx);
        const s = await judgeScorer(ctx.root, ctx.artifactsDir, model, ALICE);
        return async (inputs) => inputs.map((x) => Number(s.score(x)) / 2 ** s.scoreScale);
      },
    },
    {
      name: "voiceJudge" as const,
      how: "its ONNX model in onnxruntime",
      async scorer(): Promise<(inputs: number[][]) => Promise<number[]>> {
        const onnx = path.resolve(ctx.root, hre.config.zk.models.voiceJudge!.onnx);
        return (inputs) => onnxJudgeScores(ctx.root, onnx, inputs);
      },
    },
  ];

  for (const judge of judges) {
    describe(`${judge.name}, scored by ${judge.how}`, function () {
      let voiceScores: Map<string, number>;
      let negativeScores: Map<string, number>;

      before(async function () {
        const shape = INPUT_SHAPES[judge.name];
        const score = await judge.scorer();
        const features = async (m: Map<string, Uint8Array>) =>
          Promise.all([...m].map(async ([what, bytes]) => (await analyseRecording(bytes, shape, { what })).input));
        const negMap = new Map(Object.entries(negs));
        const v = await score(await features(voices));
        const n = await score(await features(negMap));
        voiceScores = new Map([...voices.keys()].map((k, i) => [k, v[i]!]));
        negativeScores = new Map([...negMap.keys()].map((k, i) => [k, n[i]!]));
        const fmt = (m: Map<string, number>) => [...m].map(([k, s]) => `${k} ${s.toFixed(3)}`).join(", ");
        console.log(`      ${judge.name} voices: ${fmt(voiceScores)}\n      ${judge.name} negatives: ${fmt(negativeScores)}`);
      });

      it("real voice recordings score above 0.5 on average; silence, noise, tones, chirps, clicks and DC each below 0.5", function () {
        expect(mean([...voiceScores.values()]), "mean voice score").to.be.greaterThan(0.5);
        for (const [what, s] of negativeScores) expect(s, what).to.be.lessThan(0.5);
      });

      it("every real voice recording scores above digital silence, white noise and a pure tone", function () {
        const worstVoice = Math.min(...voiceScores.values());
        for (const what of ["digital silence", "white noise", "440 Hz tone"]) {
          expect(worstVoice, `lowest voice vs ${what}`).to.be.greaterThan(negativeScores.get(what)!);
        }
      });
    });
  }
});
