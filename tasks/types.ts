/**
 * Types a project can augment so `zk.model(name)` knows its model names and input
 * shapes (`npx hardhat zk setup` writes such a file to types/hardhat-zkml/models.d.ts):
 *
 *   declare module "hardhat-zkml/types" {
 *     interface ZkModelRegistry { voiceJudgeSmall: { inputs: [number[]] } }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ZkModelRegistry {}

/** A model name from the registry, or any string when the project has not generated it. */
export type ZkModelName = keyof ZkModelRegistry extends never ? string : Extract<keyof ZkModelRegistry, string>;

/** A model's inputs (per input, its values flattened), without the bound address. */
export type ZkModelInputs<N extends string> = N extends keyof ZkModelRegistry
  ? ZkModelRegistry[N] extends { inputs: infer I }
    ? I
    : number[][]
  : number[][];

export type { ZkModel, ProveOptions, DeployedVerifier } from "./lib/api/zk-model.js";
export type { ZkHelper } from "./lib/api/zk-helper.js";
export type { ProofResult, DecodedInstance } from "@hardhat-zkml/core/prover/model-prover.js";
export type { ZkConfig, ZkModelConfig, ZkModelUserConfig, ZkUserConfig } from "@hardhat-zkml/core/config-types.js";
