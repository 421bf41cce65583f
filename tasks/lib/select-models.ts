import path from "node:path";
import type { ZkConfig, ZkModelConfig } from "./config-types.js";
import { ZkError } from "./errors.js";

/** The model named by --model, or every configured model when none is given. */
export function selectModels(config: ZkConfig, name: string | undefined): ZkModelConfig[] {
  const known = Object.keys(config.models);
  if (name === undefined || name === "") {
    if (known.length === 0) throw new ZkError("no models configured; add one under zk.models in hardhat.config.ts");
    return Object.values(config.models);
  }
  const model = config.models[name];
  if (model === undefined) {
    throw new ZkError(`unknown model "${name}"; configured models: ${known.join(", ") || "(none)"}`);
  }
  return [model];
}

/** The input file a task proves when none is given: input.json beside the model's ONNX. */
export function inputFileFor(model: ZkModelConfig, given: string): string {
  return given !== "" ? path.resolve(given) : path.join(path.dirname(model.onnx), "input.json");
}
