import path from "node:path";
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

/**
 * Hardhat config paths that compile only the contracts under `<dir>/contracts` and keep
 * every build output inside `dir`: for a runtime that checks generated verifiers apart
 * from the project's own sources (benchmarks, tests).
 */
export function isolatedBuildPaths(root: string, dir: string) {
  const rel = (name: string) => path.relative(root, path.join(dir, name));
  return {
    paths: {
      sources: { solidity: [rel("contracts")] },
      tests: { solidity: rel("solidity-tests") },
      artifacts: rel("artifacts"),
      cache: rel("cache"),
    },
    typechain: { outDir: rel("types") },
  };
}
