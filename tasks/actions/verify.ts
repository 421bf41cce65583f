import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseAddress } from "@hardhat-zkml/core/chain-errors.js";
import { engineCalldata } from "@hardhat-zkml/core/prover/engine-ops.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { readProofFile } from "@hardhat-zkml/core/prover/proof-json.js";
import { verifyOnChain } from "@hardhat-zkml/core/prover/verify-onchain.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { selectModel } from "@hardhat-zkml/core/select-models.js";

interface Args {
  model?: string;
  proof?: string;
  verifier?: string;
  vk?: string;
}

export default async function zkVerify(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const model = selectModel(hre.config.zk, args.model);
  if (args.proof === undefined) throw new ZkError("--proof <file.proof.json> is required");
  const verifier = args.verifier !== undefined ? parseAddress(args.verifier, "--verifier") : undefined;
  const vk = args.vk !== undefined ? parseAddress(args.vk, "--vk") : undefined;
  if (vk !== undefined && verifier === undefined) throw new ZkError("--vk needs --verifier <reusable verifier address>");
  const proofJson = await readProofFile(args.proof);
  const prover = await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model);
  try {
    const offChain = prover.verify(proofJson);
    console.log(`off-chain (WASM): ${offChain ? "valid" : "INVALID"}`);
    let onChain = true;
    if (verifier !== undefined) {
      const { ethers } = await hre.network.getOrCreate();
      const data = "0x" + Buffer.from(engineCalldata(proofJson, vk)).toString("hex");
      const verdict = await verifyOnChain(ethers.provider, verifier, data);
      onChain = verdict.valid;
      console.log(`on-chain (${verifier}): ${verdict.valid ? "valid" : `INVALID: ${verdict.reason}`}`);
    }
    if (!offChain || !onChain) process.exitCode = 1;
  } finally {
    await prover.close();
  }
}
