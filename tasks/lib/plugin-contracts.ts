import type { SolidityConfig } from "hardhat/types/config";
import { PACKAGE_NAME, PACKAGE_ROOT } from "./plugin-paths.js";

/** The hand-written contracts a project deploys with the plugin (they import the interfaces). */
export const PLUGIN_CONTRACTS = ["contracts/JudgmentReward.sol", "contracts/AttestedScoreRegistry.sol"] as const;

/**
 * Adds the plugin's own contracts to a user project's build (`solidity.npmFilesToBuild`),
 * so `JudgmentReward` has an artifact there. The plugin's own repository compiles them
 * as ordinary sources instead.
 */
export function withPluginContracts(solidity: SolidityConfig, projectRoot: string): SolidityConfig {
  if (projectRoot === PACKAGE_ROOT) return solidity;
  const wanted = PLUGIN_CONTRACTS.map((file) => `${PACKAGE_NAME}/${file}`);
  const npmFilesToBuild = [...solidity.npmFilesToBuild, ...wanted.filter((f) => !solidity.npmFilesToBuild.includes(f))];
  return { ...solidity, npmFilesToBuild };
}
