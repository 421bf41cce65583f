import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { generateVerifier } from "@hardhat-zkml/core/pipeline/generate-verifier.js";
import { setupCircuit, staleKeysNotice } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";
import { buildContext, compileGenerated } from "./context.js";

interface Args {
  model?: string;
  force: boolean;
  quiet: boolean;
  noCompile: boolean;
}

export default async function zkVerifier(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const ctx = buildContext(hre, args);
  for (const model of selectModels(hre.config.zk, args.model)) {
    const setup = await setupCircuit(model, ctx);
    if (setup.keysReplaced) console.log(staleKeysNotice(model.name));
    const contracts = await generateVerifier(model, ctx);
    for (const c of contracts)
      console.log(`[${model.name}] ${c.role}: ${c.contract} -> ${ctx.root ? c.file.replace(ctx.root + "/", "") : c.file}`);
  }
  // Compiling here makes the contracts and their typechain types available at once.
  if (!args.noCompile) await compileGenerated(hre, args.quiet);
}
