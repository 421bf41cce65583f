import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "../lib/artifacts.js";
import { deployJudgeReward, formatDeployment } from "../lib/deploy/deploy-reward.js";
import { assertSrsAllowed, isLocalNetwork } from "../lib/deploy/preflight.js";
import { ZkError } from "../lib/errors.js";
import { readManifest } from "../lib/manifest.js";
import { parseDealOptions } from "../lib/reward/options.js";
import { selectModels } from "../lib/select-models.js";

interface Args {
  model: string; threshold: string; reward: string; fund: string; noDomainBinding: boolean; allowInsecureSrs: boolean;
  attester: string; roundCap: string; minRoundSeconds: string; scoreRange: string;
}

export default async function zkDeploy(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.model === "") throw new ZkError("--model is required");
  const [model] = selectModels(hre.config.zk, args.model);
  const manifest = await readManifest(modelArtifacts(hre.config.zk.artifactsDir, model!.name).manifest);
  if (manifest?.contracts === undefined) {
    throw new ZkError(`model "${model!.name}" has no verifier yet; run \`npx hardhat zk verifier --model ${model!.name}\``);
  }
  const networkName = hre.globalOptions.network ?? "default";
  const local = isLocalNetwork(networkName, hre.config.networks[networkName]);
  // Checked before connecting, so a live network is never touched with a dev-SRS verifier.
  assertSrsAllowed(model!.name, manifest, networkName, local, args.allowInsecureSrs);
  const deal = parseDealOptions(args);

  const connection = await hre.network.getOrCreate();
  console.log(`[${model!.name}] deploying verifier and JudgmentReward to ${connection.networkName}...`);
  const deployed = await deployJudgeReward(connection, hre.artifacts, model!, manifest, {
    ...deal, rewardEth: args.reward, fundEth: args.fund, allowInsecureSrs: args.allowInsecureSrs, local,
  });
  console.log(formatDeployment(deployed));
}
