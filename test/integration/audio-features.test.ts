import { expect } from "chai";
import { open, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { analyseRecording, extractFeatures, type AudioFeatures } from "@hardhat-zkml/audio/node.js";
import { readRecording } from "@hardhat-zkml/audio/node.js";
import { recordingInput } from "@hardhat-zkml/core/prover/recording-input.js";
import { spectrogramInputOf, BOUND_INPUT_PLACEHOLDER } from "@hardhat-zkml/core/prover/judge-input.js";
import { clamped, loadEngine } from "@hardhat-zkml/core/engine.js";
import { feltToUint256 } from "@hardhat-zkml/core/felt.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { buildModel, ctx } from "../helpers/fixtures.js";
import { AT_22050, AUDIO_FIXTURES, dbDifference, DECODED_BY_FFMPEG_IN_LIBROSA, judgeScorer, RESAMPLED } from "../helpers/audio-parity.js";
import { librosaFeatures, type LibrosaResult } from "../helpers/librosa-reference.js";
import { captureLog } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";
import { pcm16WavHeader } from "../helpers/wav.js";

const FIXTURES = path.join(ctx.root, "test", "fixtures", "audio");
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ALL = AUDIO_FIXTURES;
const JUDGES = ["voiceJudge", "voiceJudgeSmall"] as const;

function dbDiff(ours: AudioFeatures, ref: LibrosaResult): { max: number; mean: number } {
  const d = dbDifference(ours, ref);
  expect(d, "spectrogram shape as librosa's").not.to.equal(null);
  return d!;
}

async function expectZkError(p: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await p;
  } catch (e) {
    expectDeliberate(e);
    const message = (e as Error).message;
    expect(message).to.match(pattern);
    expect(message, "one line").not.to.include("\n");
    return message;
  }
  throw new Error(`expected a ZkError matching ${pattern}`);
}

describe("audio features (librosa parity)", function () {
  const shapes = new Map<string, (number | null)[]>();
  const ours = new Map<string, AudioFeatures>(); // `${judge}/${file}`
  const soxr = new Map<string, LibrosaResult>();
  const sinc = new Map<string, LibrosaResult>();

  before(async function () {
    for (const judge of JUDGES) {
      const model = hre.config.zk.models[judge]!;
      await setupCircuit(model, ctx);
      const manifest = await readManifest(modelArtifacts(ctx.artifactsDir, judge).manifest);
      shapes.set(judge, spectrogramInputOf(model, manifest!.io).shape);
    }
    const jobs = JUDGES.flatMap((judge) => {
      const shape = shapes.get(judge)!;
      return (["soxr_hq", "sinc_best"] as const).map(async (res_type) => {
        const probe = await analyseRecording(await readFile(path.join(FIXTURES, ALL[0]!)), shape);
        const s = probe.spec;
        return {
          files: ALL.map((f) => path.join(FIXTURES, f)),
          n_fft: s.nFft,
          hop_length: s.hopLength,
          n_mels: s.nMels,
          frames: s.frames,
          res_type,
        };
      });
    });
    const results = await librosaFeatures(ctx.root, await Promise.all(jobs));
    JUDGES.forEach((judge, j) => {
      ALL.forEach((file, i) => {
        soxr.set(`${judge}/${file}`, results[2 * j]![i]!);
        sinc.set(`${judge}/${file}`, results[2 * j + 1]![i]!);
      });
    });
    for (const judge of JUDGES) {
      for (const file of ALL)
        ours.set(`${judge}/${file}`, await analyseRecording(await readFile(path.join(FIXTURES, file)), shapes.get(judge)!));
    }
    for (const r of [...soxr.values(), ...sinc.values()]) expect(r.error, "librosa failed on a fixture").to.equal(undefined);
  });

  it("derives the spectrogram parameters from each judge's input shape (librosa defaults for 1x128x130)", function () {
    const big = ours.get(`voiceJudge/${ALL[0]}`)!.spec;
    expect([big.nMels, big.frames, big.nFft, big.hopLength, big.sampleRate]).to.deep.equal([128, 130, 2048, 512, 22050]);
    const small = ours.get(`voiceJudgeSmall/${ALL[0]}`)!.spec;
    expect([small.nMels, small.frames, small.nFft, small.hopLength]).to.deep.equal([16, 20, 4096, 3481]);
  });

  it("matches librosa within 0.01 dB for every recording at 22,050 Hz (speech, sung, silence, clipped, stereo)", function () {
    for (const judge of JUDGES) {
      for (const file of AT_22050) {
        const key = `${judge}/${file}`;
        const { max } = dbDiff(ours.get(key)!, soxr.get(key)!);
        expect(max, `${key}: max |dB difference|`).to.be.at.most(0.01);
        expect(ours.get(key)!.samples).to.equal(soxr.get(key)!.samples);
      }
    }
  });

  it("matches librosa's res_type='sinc_best' (libsamplerate) within 0.01 dB for 16/44.1/48 kHz WAV, MP3, Ogg/Opus and AAC (ffmpeg)", function () {
    for (const judge of JUDGES) {
      for (const file of RESAMPLED.filter((f) => !DECODED_BY_FFMPEG_IN_LIBROSA.includes(f))) {
        const key = `${judge}/${file}`;
        const { max } = dbDiff(ours.get(key)!, sinc.get(key)!);
        expect(max, `${key}: max |dB difference| against sinc_best`).to.be.at.most(0.01);
      }
    }
  });

  it("builds the judge's input as seed 000 does: scaled, zero-padded or truncated to the model's frames", function () {
    for (const judge of JUDGES) {
      for (const file of ALL.filter((f) => !DECODED_BY_FFMPEG_IN_LIBROSA.includes(f))) {
        const key = `${judge}/${file}`;
        const a = ours.get(key)!.input;
        const b = sinc.get(key)!.input!;
        expect(a.length).to.equal(b.length);
        const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
        expect(worst, `${key}: input tensor`).to.be.at.most(0.01 / 80);
      }
    }
    // A 1.0 s stereo recording leaves 0.5 s: 22 frames of sound, the rest padding.
    const stereo = ours.get(`voiceJudge/stereo-22050-s16.wav`)!;
    expect(stereo.db.frames).to.equal(1 + Math.floor(11025 / 512));
    expect(stereo.input.filter((_, i) => i % 130 >= stereo.db.frames).every((v) => v === 0)).to.equal(true);
  });

  it("decodes WebM/Opus (also a live recording with unknown-size elements) with libopus, as the same stream in Ogg", async function () {
    const webm = ours.get("voiceJudge/speech-48000.webm")!;
    const ogg = ours.get("voiceJudge/speech-48000.opus")!;
    expect(webm.format).to.equal("WebM/Opus");
    expect(Math.max(...webm.db.data.map((v, i) => Math.abs(v - ogg.db.data[i]!)))).to.be.below(1e-9);
    const live = ours.get("voiceJudge/stereo-48000-live.webm")!;
    expect([live.format, live.sourceChannels, live.samples]).to.deep.equal(["WebM/Opus", 2, 66150]);
  });

  it("gives silence 0 dB everywhere, as librosa's power_to_db(ref=np.max) does (the judge's input is then all 1.0)", function () {
    const silent = ours.get(`voiceJudge/silence-22050-s16.wav`)!;
    expect(silent.db.data.every((v) => v === 0)).to.equal(true);
    expect(silent.input.every((v) => v === 1)).to.equal(true);
  });

  it("gives the same quantized judge score from TypeScript features as from librosa's default (soxr_hq) features, or one step off", async function () {
    const rows: string[] = [];
    for (const judge of JUDGES) {
      const model = hre.config.zk.models[judge]!;
      const scorer = await judgeScorer(ctx.root, ctx.artifactsDir, model, ALICE);
      const scale = scorer.inputScale;
      const witnessScore = (features: number[]) => scorer.score(features);
      for (const file of ALL) {
        const a = ours.get(`${judge}/${file}`)!.input;
        const b = soxr.get(`${judge}/${file}`)!.input!;
        const qa = a.map((v) => Math.round(v * 2 ** scale));
        const qb = b.map((v) => Math.round(v * 2 ** scale));
        const differing = qa.filter((v, i) => v !== qb[i]).length;
        const ts = witnessScore(a);
        // ezkl quantises each input as round(x * 2^scale): identical quantised inputs give an identical witness.
        const ref = differing === 0 && judge === "voiceJudge" ? ts : witnessScore(b);
        const step = ts > ref ? ts - ref : ref - ts;
        rows.push(`${judge} ${file}: score felt ${ts} (TypeScript) vs ${ref} (librosa soxr_hq), ${differing} quantised inputs differ`);
        expect(step <= 1n, `${judge} ${file}: ${ts} vs ${ref}`).to.equal(true);
      }
    }
    console.log("      " + rows.join("\n      "));
  });
});

describe("audio features: bad input", function () {
  const shape = [1, 1, 128, 130];
  let speech: Uint8Array;
  let tmp: string;
  before(async function () {
    speech = await readFile(path.join(FIXTURES, "speech-22050-s16.wav"));
    tmp = await mkdtemp(path.join(tmpdir(), "zk-audio-test-"));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  it("rejects an empty file", async function () {
    await expectZkError(extractFeatures(new Uint8Array(0), shape), /is empty \(0 bytes\)/);
  });

  it("rejects a WAV truncated inside its header, and reads what a WAV truncated in its samples holds", async function () {
    await expectZkError(extractFeatures(speech.subarray(0, 30), shape), /WAV file is truncated/);
    // 2 s of the 3.6 s: librosa (libsndfile) reads the frames present, and so do we.
    const cut = speech.subarray(0, 44 + 2 * 22050 * 2);
    const f = await analyseRecording(cut, shape);
    expect(f.samples).to.equal(1.5 * 22050);
  });

  it("rejects a truncated MP3 with no whole frame, and decodes a cut one up to the cut", async function () {
    const mp3 = await readFile(path.join(FIXTURES, "speech-44100.mp3"));
    await expectZkError(extractFeatures(mp3.subarray(0, 200), shape), /no MP3 audio could be decoded/);
    const half = await analyseRecording(mp3.subarray(0, Math.floor(mp3.length / 2)), shape);
    expect(half.samples).to.be.greaterThan(0).and.below(66150);
  });

  it("rejects an Ogg/Opus file cut before its first audio packet, and decodes one cut later up to the cut", async function () {
    const opus = await readFile(path.join(FIXTURES, "speech-48000.opus"));
    await expectZkError(extractFeatures(opus.subarray(0, 120), shape), /no Ogg\/Opus audio could be decoded/);
    const half = await analyseRecording(opus.subarray(0, Math.floor(opus.length / 2)), shape);
    expect(half.samples).to.be.greaterThan(0).and.below(66150);
  });

  it("rejects an unknown format and a file that is not audio", async function () {
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    await expectZkError(extractFeatures(random, shape), /not a recording this tool can read/);
    const json = await readFile(path.join(ctx.root, "package.json"));
    await expectZkError(extractFeatures(json, shape), /not a recording this tool can read/);
  });

  it("rejects a WebM cut before its audio, and a corrupt MP4 through ffmpeg, with one line", async function () {
    const webm = await readFile(path.join(FIXTURES, "speech-48000.webm"));
    await expectZkError(extractFeatures(webm.subarray(0, 64), shape), /no Opus audio could be decoded from this WebM file/);
    const m4a = await readFile(path.join(FIXTURES, "speech-44100.m4a"));
    await expectZkError(extractFeatures(m4a.subarray(0, 64), shape), /ffmpeg could not decode this mp4 file/);
  });

  it("rejects a recording with 0 samples, or none after the 0.5 s offset (librosa would return one frame of 0 dB)", async function () {
    const header = new Uint8Array(speech.subarray(0, 44));
    new DataView(header.buffer).setUint32(40, 0, true); // data chunk of 0 bytes
    await expectZkError(extractFeatures(header, shape), /has no audio after its first 0.5 s/);
    await expectZkError(extractFeatures(speech.subarray(0, 44 + 0.3 * 22050 * 2), shape), /has no audio after its first 0.5 s/);
  });

  it("reads only the first 3.5 s of a two-hour WAV from disk", async function () {
    // A two-hour 44.1 kHz stereo WAV (1.27 GB, sparse: the speech, then zeros).
    const rate = 44100;
    const frames = 2 * 3600 * rate;
    const src = await analyseRecording(await readFile(path.join(FIXTURES, "speech-44100-s16.wav")), shape);
    const file = path.join(tmp, "two-hours.wav");
    const header = pcm16WavHeader(rate, 2, frames * 4);
    const mono = (await readFile(path.join(FIXTURES, "speech-44100-s16.wav"))).subarray(44);
    const stereo = Buffer.alloc(mono.length * 2);
    for (let i = 0; i < mono.length / 2; i++) {
      mono.copy(stereo, 4 * i, 2 * i, 2 * i + 2);
      mono.copy(stereo, 4 * i + 2, 2 * i, 2 * i + 2);
    }
    const fh = await open(file, "w");
    await fh.write(header, 0, 44, 0);
    await fh.write(stereo, 0, stereo.length, 44);
    await fh.truncate(44 + frames * 4);
    await fh.close();
    const started = Date.now();
    const { bytes, fileBytes } = await readRecording(file, 0.5, 3);
    expect(fileBytes).to.equal(44 + frames * 4);
    expect(bytes.length).to.equal(44 + Math.round(3.5 * rate) * 4);
    const f = await analyseRecording(bytes, shape);
    expect(f.samples).to.equal(66150);
    // Same sound in both channels: the first 0.7 s of it equal the mono file's features.
    const cols = src.db.frames - 2; // the last frames of the short file see its end
    for (let m = 0; m < 128; m++)
      for (let t = 0; t < cols; t++) {
        expect(Math.abs(f.input[m * 130 + t]! - src.input[m * 130 + t]!)).to.be.below(1e-6);
      }
    expect(Date.now() - started, "ms for a two-hour WAV").to.be.below(30_000);
  });

  it("decodes only the first seconds of a two-hour MP3 (read as a 16 MiB prefix)", async function () {
    const mp3 = await readFile(path.join(FIXTURES, "speech-44100.mp3"));
    const copies = Math.ceil((2 * 3600) / 3.6);
    const file = path.join(tmp, "two-hours.mp3");
    const fh = await open(file, "w");
    for (let i = 0; i < copies; i += 100) await fh.write(Buffer.concat(Array.from({ length: Math.min(100, copies - i) }, () => mp3)));
    await fh.close();
    const { bytes, fileBytes } = await readRecording(file, 0.5, 3);
    expect(fileBytes).to.equal(copies * mp3.length);
    expect(bytes.length).to.equal(16 << 20);
    const long = await analyseRecording(bytes, shape);
    const short = await analyseRecording(mp3, shape);
    expect(long.samples).to.equal(66150);
    expect(long.input).to.deep.equal(short.input);
  });
});

describe("audio features: tasks", function () {
  let tmp: string;
  before(async () => (tmp = await mkdtemp(path.join(tmpdir(), "zk-audio-task-"))));
  after(() => rm(tmp, { recursive: true, force: true }));

  it("zk features writes the judge's input JSON with a placeholder at the bound-address input", async function () {
    const out = path.join(tmp, "speech.input.json");
    const audio = path.join(FIXTURES, "stereo-22050-s16.wav");
    await captureLog(() => hre.tasks.getTask(["zk", "features"]).run({ model: "voiceJudge", audio, out }));
    const data = JSON.parse(await readFile(out, "utf8")) as { input_data: unknown[][] };
    expect(data.input_data[0]).to.deep.equal([BOUND_INPUT_PLACEHOLDER]);
    expect(data.input_data[1]).to.deep.equal(await extractFeatures(await readFile(audio), [1, 1, 128, 130]));
  });

  it("zk prove --audio proves the judgment of a recording for the --prover address", async function () {
    const out = path.join(tmp, "proofs");
    const audio = path.join(FIXTURES, "speech-48000.opus");
    const log = await captureLog(() => hre.tasks.getTask(["zk", "prove"]).run({ model: "voiceJudgeSmall", audio, prover: ALICE, out }));
    const model = hre.config.zk.models.voiceJudgeSmall!;
    const { features } = await recordingInput(ctx.artifactsDir, model, audio);
    const prover = await ModelProver.open(ctx.root, ctx.artifactsDir, model);
    try {
      const witness = JSON.parse(
        new TextDecoder().decode(loadEngine().genWitness(clamped(prover.files.compiled), clamped(prover.inputJson([features], ALICE)))),
      ) as { outputs: string[][] };
      const score = feltToUint256(witness.outputs[1]![0]!);
      expect(log).to.include(`bound address: ${ALICE}`);
      expect(log).to.include(`(felt ${score})`);
    } finally {
      await prover.close();
    }
  });

  it("zk claim --audio proves a recording's judgment for the account and is paid when the score passes", async function () {
    const audio = path.join(FIXTURES, "speech-48000.opus");
    const model = hre.config.zk.models.voiceJudgeSmall!;
    const { features } = await recordingInput(ctx.artifactsDir, model, audio);
    const scorer = await judgeScorer(ctx.root, ctx.artifactsDir, model, ALICE);
    const score = Number(scorer.score(features)) / 2 ** scorer.scoreScale;
    expect(score, "this recording passes the 0.5 threshold").to.be.at.least(0.5);
    await buildModel("voiceJudgeSmall"); // zk deploy needs the generated, compiled verifier
    const deployed = await captureLog(() => hre.tasks.getTask(["zk", "deploy"]).run({ model: "voiceJudgeSmall", fund: 1 }));
    const reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(deployed)![1]!;
    const claimed = await captureLog(() => hre.tasks.getTask(["zk", "claim"]).run({ model: "voiceJudgeSmall", reward, account: 2, audio }));
    expect(claimed).to.include(`judgment: score ${score.toFixed(4)}`);
    expect(claimed).to.match(/claim tx 0x[0-9a-f]{64}, gas \d+, paid 0\.01 ETH/);
  });

  it("zk prove refuses --audio together with --input", async function () {
    await expectZkError(
      hre.tasks.getTask(["zk", "prove"]).run({ model: "voiceJudgeSmall", input: "x.json", audio: "y.wav", prover: ALICE }),
      /give --input or --audio, not both/,
    );
  });
});
