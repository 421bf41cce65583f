import { readFile } from "node:fs/promises";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { proveAndClaim } from "../lib/deploy/claim-reward.js";
import { ethString } from "../lib/deploy/deploy-reward.js";
import { ZkError } from "../lib/errors.js";
import { JudgeProver } from "../lib/prover/judge.js";
import { backendOverride } from "../lib/prover/backends.js";
import { ModelProver } from "../lib/prover/model-prover.js";
import { inputFileFor, selectModels } from "../lib/select-models.js";

interface Args { model: string; reward: string; account: string; input: string; backend: string }

export default async function zkClaim(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.model === "" || args.reward === "") throw new ZkError("--model and --reward <JudgmentReward address> are required");
  const [model] = selectModels(hre.config.zk, args.model);
  const inputFile = inputFileFor(model!, args.input);
  const data = JSON.parse(await readFile(inputFile, "utf8").catch(() => {
    throw new ZkError(`input file ${inputFile} not found`);
  })) as { input_data: number[][] };
  const features = data.input_data.filter((_, i) => i !== model!.boundAddress?.input)[0]!;

  const connection = await hre.network.getOrCreate();
  const signers = await connection.ethers.getSigners();
  const index = Number(args.account);
  const claimant = signers[index];
  if (claimant === undefined) throw new ZkError(`--account ${args.account}: the network has ${signers.length} account(s)`);
  const judge = new JudgeProver(await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model!, backendOverride(args.backend)));
  try {
    console.log(`[${model!.name}] proving in WASM for ${claimant.address}...`);
    const outcome = await proveAndClaim(connection, judge, args.reward, claimant, features);
    const j = outcome.proved.judgment;
    console.log(`judgment: score ${j.score.toFixed(4)} (felt ${j.scoreFelt}, scale 2^${j.scoreScale}) for ${j.recipient}`);
    console.log(`claim tx ${outcome.txHash}, gas ${outcome.gasUsed}, paid ${ethString(outcome.paid)}`);
  } finally {
    await judge.prover.close();
  }
}
