import path from "node:path";
import { writeUtf8File } from "@nomicfoundation/hardhat-utils/fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { recordingInput } from "@hardhat-zkml/core/prover/recording-input.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { selectModel } from "@hardhat-zkml/core/select-models.js";

interface Args {
  model?: string;
  audio?: string;
  out?: string;
}

export default async function zkFeatures(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const model = selectModel(hre.config.zk, args.model);
  if (args.audio === undefined) throw new ZkError("--audio <recording> is required (WAV, MP3, Ogg/Opus, WebM)");
  const { inputData, analysis } = await recordingInput(hre.config.zk.artifactsDir, model, args.audio);
  const out = args.out !== undefined ? path.resolve(args.out) : args.audio.replace(/\.[^./\\]*$/, "") + ".input.json";
  await writeUtf8File(out, JSON.stringify({ input_data: inputData }) + "\n");
  const s = analysis.spec;
  console.log(
    `[${model.name}] ${analysis.format} -> ${s.nMels}x${s.frames} log-mel (${analysis.db.frames} frames from ${(analysis.samples / s.sampleRate).toFixed(2)} s at ${s.sampleRate} Hz; n_fft ${s.nFft}, hop ${s.hopLength})`,
  );
  console.log(
    `input written to ${path.relative(process.cwd(), out)}; prove it with \`npx hardhat zk prove --model ${model.name} --input ${path.relative(process.cwd(), out)}\``,
  );
}
