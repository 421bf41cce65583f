import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { BuildContext } from "../lib/pipeline/context.js";

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

/** Compiles the generated contracts and refreshes the artifact index so they resolve by name at once. */
export async function compileGenerated(hre: HardhatRuntimeEnvironment, quiet: boolean): Promise<void> {
  await hre.tasks.getTask("build").run({ quiet });
  await hre.artifacts.clearCache();
}
