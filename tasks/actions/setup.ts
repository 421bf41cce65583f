import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { writeModelTypes } from "../lib/api/model-types.js";
import { setupCircuit, staleKeysNotice } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";
import { buildContext } from "./context.js";

interface Args {
  model?: string;
  force: boolean;
  quiet: boolean;
}

export default async function zkSetup(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const ctx = buildContext(hre, args);
  for (const model of selectModels(hre.config.zk, args.model)) {
    const result = await setupCircuit(model, ctx);
    const c = result.manifest.circuit!;
    console.log(
      `[${model.name}] ready: logrows ${c.logrows}, ${c.numRows} rows, ${result.manifest.instances?.length ?? 0} public instances` +
        (result.ran.length ? ` (rebuilt: ${result.ran.join(", ")})` : " (nothing to do)"),
    );
    if (result.keysReplaced) console.log(staleKeysNotice(model.name));
  }
  const typechain = (hre.config as { typechain?: { outDir?: string } }).typechain;
  await writeModelTypes(hre.config.zk, hre.config.paths.root, typechain?.outDir);
}
