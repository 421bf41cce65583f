import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { cleanZkArtifacts } from "@hardhat-zkml/core/pipeline/clean.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";

export default async function zkClean(args: { model?: string }, hre: HardhatRuntimeEnvironment): Promise<void> {
  const models = selectModels(hre.config.zk, args.model).map((m) => m.name);
  await cleanZkArtifacts(hre.config.zk, models);
  console.log(`removed zk build outputs and generated contracts of: ${models.join(", ")}`);
}
