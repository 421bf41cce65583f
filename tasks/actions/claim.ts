import { readFile } from "node:fs/promises";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { proveAndClaim } from "../lib/deploy/claim-reward.js";
import { ethString } from "../lib/deploy/deploy-reward.js";
import { ZkError } from "../lib/errors.js";
import { JudgeProver } from "../lib/prover/judge.js";
import { ModelProver } from "../lib/prover/model-prover.js";
import { readAttestationFile } from "../lib/reward/attestation.js";
import { inputFileFor, selectModels } from "../lib/select-models.js";

interface Args { model: string; reward: string; account: string; input: string; attesterAccount: string; attestation: string }

export default async function zkClaim(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.model === "" || args.reward === "") throw new ZkError("--model and --reward <JudgmentReward address> are required");
  const [model] = selectModels(hre.config.zk, args.model);
  const inputFile = inputFileFor(model!, args.input);
  const data = JSON.parse(await readFile(inputFile, "utf8").catch(() => {
    throw new ZkError(`input file ${inputFile} not found`);
  })) as { input_data: number[][] };
  const features = data.input_data.filter((_, i) => i !== model!.boundAddress?.input)[0]!;
  const attestation = args.attestation === "" ? undefined : await readAttestationFile(args.attestation);

  const connection = await hre.network.getOrCreate();
  const signers = await connection.ethers.getSigners();
  const account = (option: string, value: string) => {
    const signer = signers[Number(value)];
    if (!/^\d+$/.test(value) || signer === undefined) throw new ZkError(`${option} ${value}: the network has ${signers.length} account(s)`);
    return signer;
  };
  const claimant = account("--account", args.account);
  const attester = args.attesterAccount === "" ? undefined : account("--attester-account", args.attesterAccount);
  const judge = new JudgeProver(await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model!));
  try {
    console.log(`[${model!.name}] proving in WASM for ${claimant.address}...`);
    const outcome = await proveAndClaim(connection, judge, args.reward, claimant, features, { attester, attestation });
    const j = outcome.proved.judgment;
    console.log(`judgment: score ${j.score.toFixed(4)} (felt ${j.scoreFelt}, scale 2^${j.scoreScale}) for ${j.recipient}`);
    if (outcome.attestation) console.log(`attested: commitment ${outcome.attestation.commitment}, round ${outcome.attestation.round}, deadline ${outcome.attestation.deadline}`);
    console.log(`claim tx ${outcome.txHash}, gas ${outcome.gasUsed}, paid ${ethString(outcome.paid)}`);
  } finally {
    await judge.prover.close();
  }
}
