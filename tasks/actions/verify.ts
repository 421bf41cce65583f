import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseAddress } from "../lib/chain-errors.js";
import { engineCalldata } from "../lib/prover/engine-ops.js";
import { ModelProver } from "../lib/prover/model-prover.js";
import { readProofFile } from "../lib/prover/proof-json.js";
import { verifyOnChain } from "../lib/prover/verify-onchain.js";
import { ZkError } from "../lib/errors.js";
import { selectModel } from "../lib/select-models.js";

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
