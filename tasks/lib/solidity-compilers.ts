import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { CompilerConfig } from "@hardhat-zkml/core/audit/compile-solidity.js";

/**
 * The compiler configurations the project's build profiles use for one source (its override,
 * else the profile's first compiler), default profile first: a deployed contract was built
 * with one of them (`hardhat build` uses "default", `ignition deploy` "production").
 */
export function projectCompilers(hre: HardhatRuntimeEnvironment, sourceName: string): CompilerConfig[] {
  const profiles = Object.entries(hre.config.solidity.profiles).sort(([a], [b]) => (a === "default" ? -1 : b === "default" ? 1 : 0));
  return profiles.flatMap(([profile, config]) => {
    const compiler = config.overrides[sourceName] ?? config.compilers[0];
    if (compiler === undefined) return [];
    // Hardhat's outputSelection changes no bytecode; the rebuild selects its own.
    const { outputSelection: _, ...settings } = compiler.settings as Record<string, unknown>;
    return [{ profile, version: compiler.version, settings }];
  });
}
