import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "../lib/artifacts.js";
import { deployJudgeReward, formatDeployment, type DeployedReward } from "../lib/deploy/deploy-reward.js";
import { assertSrsAllowed, isLocalNetwork } from "../lib/deploy/preflight.js";
import { ZkError } from "../lib/errors.js";
import { readManifest } from "../lib/manifest.js";
import { selectModels } from "../lib/select-models.js";

interface Args {
  model: string; threshold: string; reward: string; fund: string; domainBound: boolean; allowInsecureSrs: boolean;
}

export default async function zkDeploy(args: Args, hre: HardhatRuntimeEnvironment): Promise<DeployedReward> {
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
  const threshold = Number(args.threshold);
  if (!(threshold >= 0 && threshold <= 1)) throw new ZkError(`--threshold must be a score between 0 and 1 (got ${args.threshold})`);

  const connection = await hre.network.getOrCreate();
  console.log(`[${model!.name}] deploying verifier and JudgmentReward to ${connection.networkName}...`);
  const deployed = await deployJudgeReward(connection, hre.artifacts, model!, manifest, {
    threshold, rewardEth: args.reward, fundEth: args.fund, domainBound: args.domainBound,
    allowInsecureSrs: args.allowInsecureSrs, local,
  });
  console.log(formatDeployment(deployed));
  return deployed;
}
