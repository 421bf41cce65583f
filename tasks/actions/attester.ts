import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { generateAttester } from "@hardhat-zkml/core/pipeline/generate-attester.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";
import { buildContext, compileGenerated } from "./context.js";

interface Args {
  model?: string;
  force: boolean;
  quiet: boolean;
  noCompile: boolean;
}

export default async function zkAttester(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const ctx = buildContext(hre, args);
  const models = selectModels(hre.config.zk, args.model).filter((m) => args.model !== undefined || m.attest !== undefined);
  if (models.length === 0) console.log("no model has an on-chain data source (zk.models.<name>.attest)");
  for (const model of models) {
    await setupCircuit(model, ctx);
    const a = await generateAttester(model, ctx);
    console.log(
      `[${model.name}] attester: ${a.contract} -> ${a.file.replace(ctx.root + "/", "")} (bits ${a.params.bits.join(",")}, decimals ${a.params.decimals.join(",")})`,
    );
  }
  if (!args.noCompile && models.length > 0) await compileGenerated(hre, args.quiet);
}
