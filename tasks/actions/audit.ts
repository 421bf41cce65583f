import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { auditContracts, describeCodeAudit, rebuildVerifier } from "@hardhat-zkml/core/audit/audit-verifier.js";
import { readRewardConfig, rewardMismatches } from "@hardhat-zkml/core/audit/reward-config.js";
import { parseAddress } from "@hardhat-zkml/core/chain-errors.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { selectModel } from "@hardhat-zkml/core/select-models.js";
import { projectCompilers } from "../lib/solidity-compilers.js";
import { buildContext } from "./context.js";

interface Args {
  model?: string;
  address?: string;
  vk?: string;
  reward?: string;
}

export default async function zkAudit(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const model = selectModel(hre.config.zk, args.model);
  if (args.address === undefined) throw new ZkError("--address <deployed verifier address> is required");
  const address = parseAddress(args.address, "--address");
  const vk = args.vk !== undefined ? parseAddress(args.vk, "--vk") : undefined;
  if (vk !== undefined && model.verifier !== "reusable")
    throw new ZkError(`--vk is for reusable verifiers; model "${model.name}" has a verifier of its own (drop --vk)`);
  const reward = args.reward !== undefined ? parseAddress(args.reward, "--reward") : undefined;
  const { ethers } = await hre.network.getOrCreate();
  const provider = ethers.provider;

  const rebuilt = await rebuildVerifier(model, buildContext(hre, { quiet: true }));
  const targets = [{ role: model.verifier === "single" ? "verifier" : "reusableVerifier", address, code: await provider.getCode(address) }];
  if (vk !== undefined) targets.push({ role: "vka", address: vk, code: await provider.getCode(vk) });
  const sourceName = rebuilt.contracts.find((c) => c.role === targets[0]!.role)!.sourceName;
  // The VK artifact's code is what its constructor returns: run it on the node, deploying nothing.
  const runConstructor = (data: string) => provider.call({ data });
  const audits = await auditContracts(rebuilt, targets, projectCompilers(hre, sourceName), runConstructor);
  for (const a of audits) console.log(describeCodeAudit(a));
  let verified = audits.every((a) => a.comparison.same);

  if (reward !== undefined) {
    if ((await provider.getCode(reward)) === "0x") {
      console.log(`reward ${reward}: no contract code at this address`);
      verified = false;
    } else {
      const onChain = await readRewardConfig(provider, reward).catch(() => {
        throw new ZkError(`--reward ${reward}: not a JudgmentReward (its getters do not answer); check the address and --network`);
      });
      const expected = { verifier: address, verifyingKey: model.verifier === "single" ? ZeroAddress : vk };
      const mismatches = rewardMismatches(model, rebuilt.manifest, onChain, expected);
      if (mismatches.length === 0) console.log(`reward ${reward}: verifier, instance layout and commitment location match the manifest`);
      for (const m of mismatches) console.log(`reward ${reward}: ${m}`);
      verified &&= mismatches.length === 0;
    }
  }

  if (verified) {
    console.log(`verifies model ${model.name} (keys ${rebuilt.vk}, SRS ${rebuilt.srs})`);
  } else {
    console.log(`does NOT verify model ${model.name} (keys ${rebuilt.vk}, SRS ${rebuilt.srs})`);
    process.exitCode = 1;
  }
}
