import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { formatModelInfo, modelInfo, type ContractMetrics } from "../lib/pipeline/model-info.js";
import { selectModels } from "../lib/select-models.js";

export default async function zkInfo(args: { model?: string }, hre: HardhatRuntimeEnvironment): Promise<void> {
  const { ethers } = await hre.network.create();
  const measure = async (contract: string): Promise<ContractMetrics | undefined> => {
    if (!(await hre.artifacts.artifactExists(contract))) return undefined;
    const artifact = await hre.artifacts.readArtifact(contract);
    const deployGas = await ethers.provider.estimateGas({ data: artifact.bytecode });
    return { bytecodeSize: (artifact.deployedBytecode.length - 2) / 2, deployGas };
  };
  for (const model of selectModels(hre.config.zk, args.model)) {
    console.log(formatModelInfo(await modelInfo(model, hre.config.zk.artifactsDir, measure)));
  }
}
