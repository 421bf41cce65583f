import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { validateZkUserConfig } from "../../tasks/config/validate.js";
import { gateRecording, gateRefusal, screenRecording, type GateVerdict } from "@hardhat-zkml/audio/node.js";
import { buildModel } from "../helpers/fixtures.js";
import { encodeWav16, mp3HeadersOnly, synthesize, uniformNoise } from "../helpers/synth-audio.js";
import { expectDeliberate } from "../helpers/errors.js";

const FIXTURES = path.join(hre.config.paths.root, "test", "fixtures", "audio");
const RATE = 22050;

const synth = synthesize;
const noise = uniformNoise;

const screen = (bytes: Uint8Array) => screenRecording(bytes, {}, { what: "test" });
const codes = (v: GateVerdict) => v.reasons.map((r) => r.code);

describe("recording gate", function () {
  for (const file of [
    "speech-22050-s16.wav",
    "speech-16000-s16.wav",
    "speech-44100.mp3",
    "speech-48000.opus",
    "sung-22050-u8.wav",
    "stereo-48000-live.webm",
  ]) {
    it(`lets the real recording ${file} through`, async function () {
      const v = await screen(new Uint8Array(await readFile(path.join(FIXTURES, file))));
      expect(v.reasons).to.deep.equal([]);
      expect(v.ok).to.equal(true);
      expect(v.measures.voicedSeconds).to.be.greaterThan(0.15);
    });
  }

  it("refuses the silent fixture as too quiet, in words a singer understands", async function () {
    const v = await screen(new Uint8Array(await readFile(path.join(FIXTURES, "silence-22050-s16.wav"))));
    expect(v.ok).to.equal(false);
    expect(codes(v)).to.deep.equal(["silent"]);
    expect(v.reasons[0]!.message).to.match(/^too quiet: the recording is silent in the 3 seconds judged \(0\.5 s to 3\.5 s\)/);
    expect(v.measures.levelDbfs).to.equal(-Infinity);
  });

  it("refuses the clipped fixture as too loud", async function () {
    const v = await screen(new Uint8Array(await readFile(path.join(FIXTURES, "clipped-22050-s24.wav"))));
    expect(codes(v)).to.include("clipped");
    expect(v.measures.clippedShare).to.be.greaterThan(0.01);
  });

  it("refuses white noise as noise with no voice", async function () {
    const rand = noise();
    const v = await screen(
      encodeWav16(
        synth(() => 0.3 * rand()),
        RATE,
      ),
    );
    expect(v.ok).to.equal(false);
    expect(codes(v)).to.include.members(["noise", "too-little-voice"]);
    // One line for an error: the first reason in full, the others by name.
    expect(gateRefusal(v)).to.match(
      /^only noise: the 3 seconds judged .*; record in a quieter place and sing \(also: [^()]*too little voice\)$/,
    );
  });

  it("refuses brown noise (random walk) as having too little voice", async function () {
    const rand = noise(7);
    let walk = 0;
    const v = await screen(
      encodeWav16(
        synth(() => (walk = 0.995 * walk + 0.02 * rand())),
        RATE,
      ),
    );
    expect(v.ok).to.equal(false);
    expect(codes(v)).to.include("too-little-voice");
    expect(v.measures.voicedSeconds).to.be.lessThan(0.15);
  });

  it("refuses a 440 Hz sine and a chirp as a single tone", async function () {
    const tone = await screen(
      encodeWav16(
        synth((t) => 0.5 * Math.sin(2 * Math.PI * 440 * t)),
        RATE,
      ),
    );
    expect(codes(tone)).to.include.members(["tone", "steady"]);
    const chirp = await screen(
      encodeWav16(
        synth((t) => 0.5 * Math.sin(2 * Math.PI * (200 * t + 100 * t * t))),
        RATE,
      ),
    );
    expect(codes(chirp)).to.include("tone");
  });

  it("refuses a steady sawtooth buzz (harmonic, but never changing) as a steady machine sound", async function () {
    const v = await screen(
      encodeWav16(
        synth((t) => 0.3 * (2 * ((110 * t) % 1) - 1)),
        RATE,
      ),
    );
    expect(codes(v)).to.deep.equal(["steady"]);
  });

  it("refuses a constant (DC) signal and clicks", async function () {
    const dc = await screen(
      encodeWav16(
        synth(() => 0.5),
        RATE,
      ),
    );
    expect(codes(dc)).to.include("dc-offset");
    const clicks = await screen(
      encodeWav16(
        synth((_, i) => (i % 2756 === 0 ? 0.9 : 0)),
        RATE,
      ),
    );
    expect(clicks.ok).to.equal(false);
    expect(codes(clicks)).to.include("noise");
  });

  it("refuses a WAV sampled at 1 Hz without judging what resampling made of it", async function () {
    const slow = new Float32Array(100).map((_, i) => Math.sin(i));
    const v = await screen(encodeWav16(slow, 1));
    expect(codes(v)).to.deep.equal(["low-sample-rate"]);
  });

  it("refuses MP3 frame headers with no audio in them as silence", async function () {
    expect(codes(await screen(mp3HeadersOnly()))).to.deep.equal(["silent"]);
  });

  it("takes its thresholds from the options: a lower level floor lets near-silence through that check", function () {
    const rand = noise(3);
    const quiet = { y: synth(() => 0.0003 * rand(), 3), sampleRate: RATE, sourceRate: RATE };
    expect(codes(gateRecording(quiet))).to.deep.equal(["silent"]);
    expect(codes(gateRecording(quiet, { minLevelDbfs: -90 }))).to.not.include("silent");
  });
});

describe("zk prove --audio and zk claim --audio: the recording gate", function () {
  const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const silence = path.join(FIXTURES, "silence-22050-s16.wav");
  const task = (name: string, args: Record<string, unknown>) => hre.tasks.getTask(["zk", name]).run(args);

  before(async function () {
    await buildModel("voiceJudgeSmall");
  });

  for (const [name, args] of [
    ["prove", { model: "voiceJudgeSmall", audio: silence, prover: ALICE }],
    ["claim", { model: "voiceJudgeSmall", audio: silence, reward: ALICE, account: 0 }],
  ] as const) {
    it(`zk ${name} refuses silence in one line naming the reason and the override, before proving`, async function () {
      let error: Error | undefined;
      await task(name, args).catch((e: Error) => (error = e));
      expectDeliberate(error);
      expect(error!.message.split("\n")).to.have.length(1);
      expect(error!.message).to.match(
        /silence-22050-s16\.wav: too quiet: the recording is silent in the 3 seconds judged .*\(the recording gate; thresholds in zk\.models\.voiceJudgeSmall\.gate, or --skip-gate\)$/,
      );
    });
  }
});

describe("zk.models.<name>.gate in the config", function () {
  it("takes threshold overrides or false, and names a misspelt threshold", function () {
    expect(validateZkUserConfig({ models: { a: { onnx: "m.onnx", gate: { minLevelDbfs: -60 } } } })).to.deep.equal([]);
    expect(validateZkUserConfig({ models: { a: { onnx: "m.onnx", gate: false } } })).to.deep.equal([]);
    const errors = validateZkUserConfig({ models: { a: { onnx: "m.onnx", gate: { minLevel: -60 } } } });
    expect(errors.map((e) => e.path.join("."))).to.deep.equal(["zk.models.a.gate"]);
    expect(errors[0]!.message).to.match(/must be false or an object of gate thresholds \(minLevelDbfs, /);
  });
});

describe("the gate module is runtime-neutral", function () {
  it("imports, through every module it reaches, no Node built-in, no Hardhat and not errors.ts (a page bundles it)", async function () {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(file, "utf8");
      for (const [, spec] of source.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
        if (spec!.startsWith(".")) await visit(path.resolve(path.dirname(file), spec!.replace(/\.js$/, ".ts")));
        else external.add(spec!);
      }
    };
    await visit(path.join(hre.config.paths.root, "packages", "audio", "src", "gate.ts"));
    expect([...external]).to.deep.equal(["fft.js"]);
    expect([...seen].map((f) => path.basename(f)).sort()).to.deep.equal(["gate.ts", "judged-window.ts", "window.ts"]);
  });
});
