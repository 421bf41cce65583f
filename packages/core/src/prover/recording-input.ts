// Node only: a recording file -> a model's ezkl input, with the input shape from the model's manifest.
import path from "node:path";
import { modelArtifacts } from "../artifacts.js";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { readManifest, type Manifest } from "../manifest.js";
import { JUDGE_DURATION_SECONDS, JUDGE_OFFSET_SECONDS } from "@hardhat-zkml/audio/feature-spec.js";
import { gateRecording, gateRefusal, type GateOptions } from "@hardhat-zkml/audio/gate.js";
import { analyseRecording, type AudioFeatures } from "@hardhat-zkml/audio/node.js";
import { audioInputData, spectrogramInputOf } from "./judge-input.js";
import { readRecording } from "@hardhat-zkml/audio/node.js";

export interface RecordingInput {
  /** The judge's spectrogram input, flattened. */
  features: number[];
  /** ezkl input_data: the features, and a placeholder at the bound-address input. */
  inputData: (number | string)[][];
  analysis: AudioFeatures;
}

/** Reads `file` (only what the judge hears) and builds `model`'s input from it. */
export async function recordingInput(artifactsDir: string, model: ZkModelConfig, file: string): Promise<RecordingInput> {
  const manifest = await readManifest(modelArtifacts(artifactsDir, model.name).manifest);
  if (manifest?.io === undefined)
    throw new ZkError(
      `model "${model.name}" has no build yet (its input shape comes from it); run \`npx hardhat zk setup --model ${model.name}\``,
    );
  return recordingInputFor(model, manifest.io, file);
}

/**
 * As recordingInput, with the model's input shapes already read from its manifest. With
 * `gate` (thresholds; false or undefined: no gate) a recording without a voice in the
 * judged window is refused before anything is proved.
 */
export async function recordingInputFor(
  model: ZkModelConfig,
  io: NonNullable<Manifest["io"]>,
  file: string,
  gate?: Partial<GateOptions> | false,
): Promise<RecordingInput> {
  const target = spectrogramInputOf(model, io);
  const { bytes } = await readRecording(path.resolve(file), JUDGE_OFFSET_SECONDS, JUDGE_DURATION_SECONDS);
  const analysis = await analyseRecording(bytes, target.shape, { what: path.basename(file) });
  if (gate !== undefined && gate !== false) {
    const verdict = gateRecording(analysis.clip, gate);
    if (!verdict.ok)
      throw new ZkError(
        `${path.basename(file)}: ${gateRefusal(verdict)} (the recording gate; thresholds in zk.models.${model.name}.gate, or --skip-gate)`,
      );
  }
  return { features: analysis.input, inputData: audioInputData(model, io, analysis.input), analysis };
}
