import { once } from "node:events";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { resolveServiceConfig, type ServiceArgs } from "../lib/service/options.js";
import { startWorker } from "../lib/service/worker.js";

/** `zk worker`: proves jobs from the Redis queue until SIGINT/SIGTERM. */
export default async function zkWorker(args: ServiceArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const config = resolveServiceConfig(hre.config.paths.root, hre.config.zk, args);
  const worker = await startWorker(config, (line) => console.log(line));
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  console.log("stopping: waiting for running jobs (signal again to stop at once)...");
  // A second signal ends the process without waiting (e.g. Redis is gone and the queue cannot close).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  await worker.close();
}
