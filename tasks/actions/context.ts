import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import type { ContractMetrics } from "@hardhat-zkml/core/pipeline/model-info.js";

/** The pipeline context for a task run: paths from the resolved config, log to stdout. */
export function buildContext(hre: HardhatRuntimeEnvironment, opts: { force?: boolean; quiet?: boolean } = {}): BuildContext {
  return {
    root: hre.config.paths.root,
    artifactsDir: hre.config.zk.artifactsDir,
    generatedContractsDir: hre.config.zk.generatedContractsDir,
    force: opts.force ?? false,
    log: opts.quiet ? () => {} : (line) => console.log(line),
  };
}

export { compileGenerated } from "../lib/compile-generated.js";

/** A generated contract's runtime size and deployment gas, on a fresh simulated chain. */
export async function contractMeasure(hre: HardhatRuntimeEnvironment): Promise<(contract: string) => Promise<ContractMetrics | undefined>> {
  const { ethers } = await hre.network.create();
  return async (contract) => {
    if (!(await hre.artifacts.artifactExists(contract))) return undefined;
    const artifact = await hre.artifacts.readArtifact(contract);
    const deployGas = await ethers.provider.estimateGas({ data: artifact.bytecode });
    return { bytecodeSize: (artifact.deployedBytecode.length - 2) / 2, deployGas };
  };
}
