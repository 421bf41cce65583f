import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { formatDoctor, runDoctor } from "@hardhat-zkml/core/doctor/checks.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";

export default async function zkDoctor(_args: Record<string, never>, hre: HardhatRuntimeEnvironment): Promise<void> {
  const checks = await runDoctor(hre.config.paths.root);
  console.log(formatDoctor(checks));
  const failed = checks.filter((c) => !c.ok).map((c) => c.name);
  if (failed.length > 0) throw new ZkError(`zk doctor: ${failed.join(", ")} not ready; run the fix printed beside each`);
}
