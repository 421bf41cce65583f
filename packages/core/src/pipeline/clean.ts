import { rm } from "node:fs/promises";
import path from "node:path";
import type { ZkConfig } from "../config-types.js";
import { verifierNames } from "./generate-verifier.js";
import { attesterName } from "./generate-attester.js";

/** Deletes the build outputs and generated contracts of the given models. */
export async function cleanZkArtifacts(config: ZkConfig, models: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const model of models) {
    const names = [...Object.values(verifierNames(model)), attesterName(model)];
    const targets = [path.join(config.artifactsDir, model), ...names.map((n) => path.join(config.generatedContractsDir, `${n}.sol`))];
    for (const target of targets) {
      await rm(target, { recursive: true, force: true });
      removed.push(target);
    }
  }
  return removed;
}
