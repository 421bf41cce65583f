import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { formatModelInfo, modelInfo } from "@hardhat-zkml/core/pipeline/model-info.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";
import { contractMeasure } from "./context.js";

export default async function zkInfo(args: { model?: string }, hre: HardhatRuntimeEnvironment): Promise<void> {
  const measure = await contractMeasure(hre);
  for (const model of selectModels(hre.config.zk, args.model)) {
    console.log(formatModelInfo(await modelInfo(model, hre.config.zk.artifactsDir, measure)));
  }
}
