import { readFile } from "node:fs/promises";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZkError } from "../lib/errors.js";
import { attesterCalldata } from "../lib/prover/attester-calldata.js";
import { engineCalldata } from "../lib/prover/engine-ops.js";

interface Args { proof: string; vk: string; attester: boolean; verifier: string }

export default async function zkCalldata(args: Args, _hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.proof === "") throw new ZkError("--proof is required");
  const proofJson = await readFile(path.resolve(args.proof)).catch(() => {
    throw new ZkError(`proof file ${args.proof} not found`);
  });
  const forVerifier = "0x" + Buffer.from(engineCalldata(proofJson, args.vk !== "" ? args.vk : undefined)).toString("hex");
  if (!args.attester) {
    console.log(forVerifier);
    return;
  }
  if (args.verifier === "") throw new ZkError("--attester needs --verifier <address of the verifier the attester calls>");
  console.log(attesterCalldata(args.verifier, forVerifier));
}
