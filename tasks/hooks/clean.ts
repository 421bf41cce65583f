import type { CleanHooks } from "hardhat/types/hooks";
import { cleanZkArtifacts } from "@hardhat-zkml/core/pipeline/clean.js";

export default async (): Promise<Partial<CleanHooks>> => ({
  onClean: async (context) => {
    await cleanZkArtifacts(context.config.zk, Object.keys(context.config.zk.models));
  },
});
