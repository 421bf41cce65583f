import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { resolveServiceConfig, type ServiceArgs } from "@hardhat-zkml/server/options.js";
import { closeOnSignal } from "@hardhat-zkml/server/shutdown.js";
import { startWorker } from "@hardhat-zkml/server/worker.js";

/** `zk worker`: proves jobs from the Redis queue until SIGINT/SIGTERM. */
export default async function zkWorker(args: ServiceArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const config = resolveServiceConfig(hre.config.paths.root, hre.config.zk, args);
  const worker = await startWorker(config, (line) => console.log(line));
  await closeOnSignal(() => worker.close());
}
