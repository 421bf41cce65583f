import path from "node:path";
import type { ZkConfig, ZkModelConfig, ZkModelUserConfig, ZkUserConfig } from "@hardhat-zkml/core/config-types.js";

export const DEFAULTS = {
  artifactsDir: "artifacts-zk",
  generatedContractsDir: "contracts/generated",
  input: "private",
  output: "public",
  param: "fixed",
  calibrationTarget: "resources",
  maxLogrows: 17,
  verifier: "single",
  python: ".venv/bin/python",
  proverBackend: "wasm",
  sizing: "auto",
} as const;

/** `boundAddress: true`: the build puts the key first among the inputs and the outputs of its copy. */
const ADDED_KEY = { input: 0, output: 0, added: true } as const;

export function resolveModel(name: string, user: ZkModelUserConfig, root: string): ZkModelConfig {
  const onnx = path.resolve(root, user.onnx);
  return {
    name,
    onnx,
    calibrationData: path.resolve(root, user.calibrationData ?? path.join(path.dirname(user.onnx), "input.json")),
    input: user.input ?? DEFAULTS.input,
    output: user.output ?? DEFAULTS.output,
    param: user.param ?? DEFAULTS.param,
    inputScale: user.inputScale,
    paramScale: user.paramScale,
    calibrationTarget: user.calibrationTarget ?? DEFAULTS.calibrationTarget,
    maxLogrows: user.maxLogrows ?? DEFAULTS.maxLogrows,
    srs: user.srs === undefined || user.srs === "dev" ? { kind: "dev" } : { kind: "ceremony", path: path.resolve(root, user.srs.path) },
    verifier: user.verifier ?? DEFAULTS.verifier,
    // The added key is a 160-bit address: it passes only without the input/output range check.
    ignoreRangeCheckInputsOutputs: user.ignoreRangeCheckInputsOutputs ?? user.boundAddress === true,
    decompBase: user.decompBase,
    decompLegs: user.decompLegs,
    sizing: user.sizing ?? DEFAULTS.sizing,
    maxError: user.maxError,
    attest: user.attest,
    boundAddress: user.boundAddress === true ? { ...ADDED_KEY } : user.boundAddress,
    score: user.score,
    prover: { ...user.prover, backend: user.prover?.backend ?? DEFAULTS.proverBackend },
    gate: user.gate,
  };
}

/** Resolves `zk` with defaults; every path becomes absolute against the project root. */
export function resolveZkConfig(user: ZkUserConfig | undefined, root: string): ZkConfig {
  const models: Record<string, ZkModelConfig> = {};
  for (const [name, model] of Object.entries(user?.models ?? {})) models[name] = resolveModel(name, model, root);
  return {
    models,
    artifactsDir: path.resolve(root, user?.artifactsDir ?? DEFAULTS.artifactsDir),
    generatedContractsDir: path.resolve(root, user?.generatedContractsDir ?? DEFAULTS.generatedContractsDir),
    python: path.resolve(root, user?.python ?? DEFAULTS.python),
  };
}
