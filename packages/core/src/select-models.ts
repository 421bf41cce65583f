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

/** The one model a task needs (--model is required there). */
export function selectModel(config: ZkConfig, name: string | undefined): ZkModelConfig {
  if (name === undefined || name === "") {
    throw new ZkError(`--model is required; configured models: ${Object.keys(config.models).join(", ") || "(none)"}`);
  }
  return selectModels(config, name)[0]!;
}
