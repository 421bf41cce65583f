import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseAddress } from "@hardhat-zkml/core/chain-errors.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { attesterCalldata } from "@hardhat-zkml/core/prover/attester-calldata.js";
import { engineCalldata } from "@hardhat-zkml/core/prover/engine-ops.js";
import { readProofFile } from "@hardhat-zkml/core/prover/proof-json.js";

interface Args {
  proof?: string;
  vk?: string;
  attester: boolean;
  verifier?: string;
}

export default async function zkCalldata(args: Args, _hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.proof === undefined) throw new ZkError("--proof <file.proof.json> is required");
  const vk = args.vk !== undefined ? parseAddress(args.vk, "--vk") : undefined;
  const verifier = args.verifier !== undefined ? parseAddress(args.verifier, "--verifier") : undefined;
  if (args.attester && verifier === undefined)
    throw new ZkError("--attester needs --verifier <address of the verifier the attester calls>");
  const proofJson = await readProofFile(args.proof);
  const forVerifier = "0x" + Buffer.from(engineCalldata(proofJson, vk)).toString("hex");
  console.log(args.attester ? attesterCalldata(verifier!, forVerifier) : forVerifier);
}
