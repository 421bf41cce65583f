import { rm } from "node:fs/promises";
import path from "node:path";
import type { ZkConfig } from "../config-types.js";
import { generatedContractNames } from "../contract-names.js";

/** Deletes the build outputs and generated contracts of the given models. */
export async function cleanZkArtifacts(config: ZkConfig, models: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const model of models) {
    const names = generatedContractNames(model);
    const targets = [path.join(config.artifactsDir, model), ...names.map((n) => path.join(config.generatedContractsDir, `${n}.sol`))];
    for (const target of targets) {
      await rm(target, { recursive: true, force: true });
      removed.push(target);
    }
  }
  return removed;
}
