import hre from "hardhat";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { generateAttester } from "@hardhat-zkml/core/pipeline/generate-attester.js";
import { generateVerifier } from "@hardhat-zkml/core/pipeline/generate-verifier.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import type { ProverPool } from "@hardhat-zkml/core/prover/prover-pool.js";
import { compileGenerated } from "../../tasks/lib/compile-generated.js";

export const ctx: BuildContext = {
  root: hre.config.paths.root,
  artifactsDir: hre.config.zk.artifactsDir,
  generatedContractsDir: hre.config.zk.generatedContractsDir,
  log: () => {},
};

const built = new Map<string, Promise<void>>();

/**
 * Builds a model of the workspace config (circuit, verifier, attester if it has one)
 * through the same pipeline the tasks use, once per test run; incremental, so a
 * second run reuses artifacts-zk/.
 */
export function buildModel(name: string): Promise<void> {
  let done = built.get(name);
  if (done === undefined) {
    done = (async () => {
      const model = hre.config.zk.models[name]!;
      await setupCircuit(model, ctx);
      await generateVerifier(model, ctx);
      if (model.attest !== undefined) await generateAttester(model, ctx);
      await compileGenerated(hre);
    })();
    built.set(name, done);
  }
  return done;
}

export async function openProver(name: string, pool?: ProverPool): Promise<ModelProver> {
  await buildModel(name);
  return ModelProver.open(ctx.root, ctx.artifactsDir, hre.config.zk.models[name]!, pool);
}
