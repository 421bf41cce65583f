import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { ZkModelUserConfig } from "@hardhat-zkml/core/config-types.js";
import hardhatZkml from "../../tasks/index.js";
import { isolatedBuildPaths } from "../../tasks/lib/compile-generated.js";
import { SOLC_VERSION } from "@hardhat-zkml/core/versions.js";

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * An in-process Hardhat project whose sources, artifacts and zk outputs live in
 * .test-projects/<name>, so tests can build, clean and break things without touching
 * the workspace's own outputs.
 */
export async function tempProject(
  name: string,
  models: Record<string, ZkModelUserConfig>,
): Promise<{
  hre: HardhatRuntimeEnvironment;
  dir: string;
}> {
  const dir = path.join(ROOT, ".test-projects", name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "contracts"), { recursive: true });
  const rel = (p: string) => path.relative(ROOT, path.join(dir, p));
  const hre = await createHardhatRuntimeEnvironment(
    {
      plugins: [hardhatToolboxMochaEthers, hardhatZkml],
      solidity: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "shanghai" },
      },
      ...isolatedBuildPaths(ROOT, dir),
      zk: { models, artifactsDir: rel("artifacts-zk"), generatedContractsDir: rel("contracts/generated") },
    },
    {},
    ROOT,
  );
  return { hre, dir };
}

/** Captures console.log output of fn (task actions print their results). */
export async function captureLog(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return lines.join("\n");
}
