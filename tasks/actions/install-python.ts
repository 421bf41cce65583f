import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { installPython } from "@hardhat-zkml/core/ezkl/install-python.js";

interface Args {
  python: string;
  venv?: string;
}

/** The venv that holds zk.python (`<venv>/bin/python`), or .venv. */
function defaultVenv(hre: HardhatRuntimeEnvironment): string {
  const configured = hre.config.zk.python;
  const bin = path.dirname(configured);
  return path.basename(bin) === "bin" ? path.dirname(bin) : path.join(hre.config.paths.root, ".venv");
}

export default async function zkInstallPython(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const venv = args.venv !== undefined ? path.resolve(args.venv) : defaultVenv(hre);
  const python = await installPython({ venv, basePython: args.python, log: (line) => console.log(line) });
  console.log(`ready: ${python}`);
  if (python !== hre.config.zk.python && process.env.ZK_PYTHON !== python) {
    console.log(`set zk.python: "${path.relative(hre.config.paths.root, python)}" in hardhat.config.ts to use it`);
  }
}
