import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { initProject, initReport, type InitResult } from "../lib/init/init-project.js";
import { PACKAGE_ROOT } from "../lib/plugin-paths.js";

interface Args {
  force: boolean;
}

export default async function zkInit(args: Args, hre: HardhatRuntimeEnvironment): Promise<InitResult> {
  const result = await initProject({
    root: hre.config.paths.root,
    configFile: hre.config.paths.config,
    packageRoot: PACKAGE_ROOT,
    outputs: { artifactsDir: hre.config.zk.artifactsDir, generatedContractsDir: hre.config.zk.generatedContractsDir },
    force: args.force,
  });
  console.log(initReport(result, hre.config.paths.config));
  return result;
}
