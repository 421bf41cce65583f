import { readFile } from "node:fs/promises";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import { runEzkl } from "../ezkl/python.js";
import { exists } from "../manifest.js";
import { elementCount } from "../shapes.js";

export interface TensorInfo {
  name: string;
  shape: (number | null)[];
}
export interface OnnxIo {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export { elementCount } from "../shapes.js";

/** Checks the ONNX file loads and returns its input/output shapes. */
export async function readOnnxIo(root: string, model: ZkModelConfig): Promise<OnnxIo> {
  if (!(await exists(model.onnx))) {
    throw new ZkError(`model "${model.name}": ONNX file ${model.onnx} not found; fix zk.models.${model.name}.onnx in hardhat.config.ts`);
  }
  try {
    return await runEzkl<OnnxIo>(root, "onnx_io", { model: model.onnx });
  } catch (e) {
    if (e instanceof ZkError && e.message.startsWith("ezkl onnx_io failed")) {
      throw new ZkError(
        `model "${model.name}": ${model.onnx} is ${e.message.replace(/^ezkl onnx_io failed: /, "")}; export it again (e.g. torch.onnx.export) or fix zk.models.${model.name}.onnx`,
      );
    }
    throw e;
  }
}

/** Checks an ezkl input JSON against the model's inputs: count and element counts. */
export function checkInputData(modelName: string, what: string, data: unknown, io: OnnxIo): void {
  const inputData = (data as { input_data?: unknown })?.input_data;
  if (!Array.isArray(inputData)) {
    throw new ZkError(`model "${modelName}": ${what} has no "input_data" array; write {"input_data": [[...values of input 1...], ...]}`);
  }
  if (inputData.length !== io.inputs.length) {
    throw new ZkError(
      `model "${modelName}": ${what} has ${inputData.length} input array(s) but the model takes ${io.inputs.length} (${io.inputs.map((i) => `${i.name}[${i.shape.join("x")}]`).join(", ")})`,
    );
  }
  io.inputs.forEach((input, i) => {
    const values = inputData[i];
    const want = elementCount(input.shape);
    if (!Array.isArray(values) || values.length === 0 || values.length % want !== 0) {
      const got = Array.isArray(values) ? values.length : typeof values;
      throw new ZkError(
        `model "${modelName}": ${what} input ${i} ("${input.name}") has ${got} values; shape ${input.shape.join("x")} needs ${want} per sample`,
      );
    }
  });
}

export async function readCalibrationData(model: ZkModelConfig, io: OnnxIo): Promise<void> {
  let text: string;
  try {
    text = await readFile(model.calibrationData, "utf8");
  } catch {
    throw new ZkError(
      `model "${model.name}": calibration data ${model.calibrationData} not found; fix zk.models.${model.name}.calibrationData`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ZkError(`model "${model.name}": calibration data ${model.calibrationData} is not valid JSON`);
  }
  checkInputData(model.name, `calibration data ${model.calibrationData}`, data, io);
}
