import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

/**
 * Compiles the generated verifier and attester contracts with the project's Hardhat build,
 * then refreshes the artifact index (Hardhat caches artifact names) so they resolve by name at once.
 */
export async function compileGenerated(hre: HardhatRuntimeEnvironment, quiet = true): Promise<void> {
  // Contracts only: a project's Solidity tests may import verifiers not generated yet.
  await hre.tasks.getTask("build").run({ quiet, noTests: true });
  await hre.artifacts.clearCache();
}
