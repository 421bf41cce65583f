import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

/**
 * Compiles the generated verifier and attester contracts with the project's Hardhat build,
 * then refreshes the artifact index (Hardhat caches artifact names) so they resolve by name at once.
 */
export async function compileGenerated(hre: HardhatRuntimeEnvironment, quiet = true): Promise<void> {
  await hre.tasks.getTask("build").run({ quiet });
  await hre.artifacts.clearCache();
}
