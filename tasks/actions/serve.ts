import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { resolveServiceConfig, type ServiceArgs } from "@hardhat-zkml/server/options.js";
import { closeOnSignal } from "@hardhat-zkml/server/shutdown.js";
import { startService } from "@hardhat-zkml/server/service.js";
import type { RewardSource } from "@hardhat-zkml/server/reward-terms.js";
import { chainRelayer } from "../lib/relayer.js";
import { chainRewardSource } from "../lib/reward-source.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { contractMeasure } from "./context.js";

/** `zk serve`: the proving API until SIGINT/SIGTERM, then a graceful stop (running jobs finish). */
export default async function zkServe(args: ServiceArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const config = resolveServiceConfig(hre.config.paths.root, hre.config.zk, args);
  let reward: RewardSource | undefined;
  if (config.reward !== undefined) {
    const model = config.http.defaultModel;
    if (model === undefined) throw new ZkError("--reward needs a judge model to prove for; none of zk.models binds an address");
    reward = await chainRewardSource(await hre.network.getOrCreate(), config.reward, model);
  }
  const relayer =
    config.relayerKey === undefined ? undefined : await chainRelayer(await hre.network.getOrCreate(), hre.artifacts, config.relayerKey);
  const service = await startService(config, {
    reward,
    relayer,
    measure: await contractMeasure(hre),
    extractFeatures: (audio, inputShape) => extractFeatures(audio, inputShape),
    log: (line) => console.log(line),
  });
  await closeOnSignal(() => service.close());
}
