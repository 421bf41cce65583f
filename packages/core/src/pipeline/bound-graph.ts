import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ZkModelConfig } from "../config-types.js";
import { runEzkl } from "../ezkl/python.js";
import { uint256ToFelt } from "../felt.js";
import { elementCount } from "../shapes.js";
import type { OnnxIo } from "./validate-inputs.js";

/** The copy of a `boundAddress: true` model the circuit is built from: key in, key out, first. */
export interface BoundGraphFiles {
  onnx: string;
  calibrationData: string;
}

/**
 * The key the calibration data carries: any 160-bit value sizes the circuit alike (the key
 * only passes through), so one fixed address stands in for every prover.
 */
export const CALIBRATION_KEY = uint256ToFelt(0x70997970c51812dc3a010c7d01b50e0d17dc79c8n);

export function boundGraphFiles(modelDir: string): BoundGraphFiles {
  const dir = path.join(modelDir, "bound-graph");
  return { onnx: path.join(dir, "model.onnx"), calibrationData: path.join(dir, "calibration.json") };
}

/** The model as the circuit is built from it: the copy's ONNX and calibration data. */
export function builtModel(model: ZkModelConfig, files: BoundGraphFiles): ZkModelConfig {
  return { ...model, onnx: files.onnx, calibrationData: files.calibrationData };
}

/**
 * Writes the copy of the user's graph with the key input and its Identity pass-through
 * output added (bridge.py bind_address), and the calibration data with the key filled in
 * for every sample. The user's files are only read.
 */
export async function writeBoundGraph(root: string, model: ZkModelConfig, io: OnnxIo, files: BoundGraphFiles): Promise<void> {
  await mkdir(path.dirname(files.onnx), { recursive: true });
  await runEzkl(root, "bind_address", { model: model.onnx, out: files.onnx });
  const data = JSON.parse(await readFile(model.calibrationData, "utf8")) as { input_data: unknown[][] };
  const samples = data.input_data[0]!.length / elementCount(io.inputs[0]!.shape);
  const inputData = [Array<string>(samples).fill(CALIBRATION_KEY), ...data.input_data];
  await writeFile(files.calibrationData, JSON.stringify({ ...data, input_data: inputData }));
}
