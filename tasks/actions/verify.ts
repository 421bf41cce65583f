import { readFile } from "node:fs/promises";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZkError } from "../lib/errors.js";
import { engineCalldata } from "../lib/prover/engine-ops.js";
import { ModelProver } from "../lib/prover/model-prover.js";
import { selectModels } from "../lib/select-models.js";

interface Args { model: string; proof: string; verifier: string; vk: string }

export default async function zkVerify(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.model === "" || args.proof === "") throw new ZkError("--model and --proof are required");
  const [model] = selectModels(hre.config.zk, args.model);
  const proofJson = await readFile(path.resolve(args.proof)).catch(() => {
    throw new ZkError(`proof file ${args.proof} not found`);
  });
  const prover = await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model!);
  try {
    const offChain = prover.verify(proofJson);
    console.log(`off-chain (WASM): ${offChain ? "valid" : "INVALID"}`);
    let onChain = true;
    if (args.verifier !== "") {
      const { ethers } = await hre.network.getOrCreate();
      const data = "0x" + Buffer.from(engineCalldata(proofJson, args.vk !== "" ? args.vk : undefined)).toString("hex");
      try {
        await ethers.provider.call({ to: args.verifier, data });
        console.log(`on-chain (${args.verifier}): valid`);
      } catch {
        onChain = false;
        console.log(`on-chain (${args.verifier}): INVALID (verifyProof reverted)`);
      }
    }
    if (!offChain || !onChain) process.exitCode = 1;
  } finally {
    await prover.close();
  }
}
