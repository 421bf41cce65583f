import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import {
  deployJudgeReward,
  deployVerifier,
  formatDeployment,
  type DeployedReward,
  type DeployedVerifier,
} from "../lib/deploy/deploy-reward.js";
import { ethAmount } from "../lib/deploy/eth-amount.js";
import { assertSrsAllowed, isLocalNetwork } from "../lib/deploy/preflight.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { parseAddress } from "@hardhat-zkml/core/chain-errors.js";
import { parseDealOptions } from "@hardhat-zkml/core/reward/options.js";
import { selectModel } from "@hardhat-zkml/core/select-models.js";

interface Args {
  model?: string;
  threshold: number;
  reward: number;
  fund: number;
  noDomainBinding: boolean;
  allowInsecureSrs: boolean;
  reset: boolean;
  verifierOnly: boolean;
  attester?: string;
  roundCap?: string;
  minRoundSeconds: number;
  scoreRange: string;
}

export default async function zkDeploy(args: Args, hre: HardhatRuntimeEnvironment): Promise<DeployedReward | DeployedVerifier> {
  const model = selectModel(hre.config.zk, args.model);
  const manifest = await readManifest(modelArtifacts(hre.config.zk.artifactsDir, model.name).manifest);
  if (manifest?.contracts === undefined) {
    throw new ZkError(`model "${model.name}" has no verifier yet; run \`npx hardhat zk verifier --model ${model.name}\``);
  }
  const networkName = hre.globalOptions.network ?? "default";
  const local = await isLocalNetwork(networkName, hre.config.networks[networkName]);
  // Checked before connecting, so a live network is never touched with a dev-SRS verifier.
  assertSrsAllowed(model.name, manifest, networkName, local, args.allowInsecureSrs);
  const target = {
    allowInsecureSrs: args.allowInsecureSrs,
    local,
    ignitionDir: hre.config.paths.ignition,
    reset: args.reset,
    log: (line: string) => console.log(line),
  };
  if (args.verifierOnly) {
    const connection = await hre.network.getOrCreate();
    console.log(`[${model.name}] deploying the verifier to ${connection.networkName}...`);
    const deployed = await deployVerifier(connection, hre.artifacts, model, manifest, target);
    console.log(formatDeployment(deployed));
    return deployed;
  }
  const deal = parseDealOptions({ ...args, attester: args.attester !== undefined ? parseAddress(args.attester, "--attester") : undefined });
  const rewardEth = ethAmount(args.reward, "--reward");
  const fundEth = ethAmount(args.fund, "--fund");

  const connection = await hre.network.getOrCreate();
  console.log(`[${model.name}] deploying verifier and JudgmentReward to ${connection.networkName}...`);
  const deployed = await deployJudgeReward(connection, hre.artifacts, model, manifest, { ...deal, rewardEth, fundEth, ...target });
  console.log(formatDeployment(deployed));
  return deployed;
}
