import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { parseAddress } from "@hardhat-zkml/core/chain-errors.js";
import { proveAndClaim, type ClaimOutcome } from "../lib/deploy/claim-reward.js";
import { ethString } from "../lib/deploy/deploy-reward.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { expectedProofMs, keysIdentity, recordProofTime } from "@hardhat-zkml/core/manifest.js";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { backendOverride } from "@hardhat-zkml/core/prover/backends.js";
import { readModelInputs } from "@hardhat-zkml/core/prover/model-inputs.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { withProgress } from "@hardhat-zkml/core/progress.js";
import { readAttestationFile } from "@hardhat-zkml/core/reward/attestation.js";
import { selectModel } from "@hardhat-zkml/core/select-models.js";

interface Args {
  model?: string;
  reward?: string;
  account: number;
  input?: string;
  audio?: string;
  attesterAccount?: string;
  attestation?: string;
  backend?: string;
  skipGate?: boolean;
}

export default async function zkClaim(args: Args, hre: HardhatRuntimeEnvironment): Promise<ClaimOutcome> {
  const model = selectModel(hre.config.zk, args.model);
  if (args.reward === undefined) throw new ZkError("--reward <JudgmentReward address> is required (printed by `npx hardhat zk deploy`)");
  const rewardAddress = parseAddress(args.reward, "--reward");
  const attestation = args.attestation === undefined ? undefined : await readAttestationFile(args.attestation);
  const judge = new JudgeProver(
    await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model, backendOverride(args.backend)),
  );
  try {
    const manifest = judge.prover.files.manifest;
    const inputs = await readModelInputs(model, manifest.io, {
      file: args.input,
      audio: args.audio,
      gate: args.skipGate ? false : (model.gate ?? {}),
    });
    const connection = await hre.network.getOrCreate();
    const signers = await connection.ethers.getSigners();
    const account = (option: string, index: number) => {
      const signer = signers[index];
      if (!Number.isSafeInteger(index) || signer === undefined)
        throw new ZkError(`${option} ${index}: the network has ${signers.length} account(s) (0..${signers.length - 1})`);
      return signer;
    };
    const claimant = account("--account", args.account);
    const attester =
      args.attesterAccount === undefined
        ? undefined
        : account("--attester-account", /^\d+$/.test(args.attesterAccount) ? Number(args.attesterAccount) : NaN);
    const outcome = await proveAndClaim(connection, judge, rewardAddress, claimant, inputs, {
      attester,
      attestation,
      proving: (prove) =>
        withProgress(`[${model.name}] proving (${judge.prover.backend} backend) for ${claimant.address}`, expectedProofMs(manifest), prove),
    });
    await recordProofTime(modelArtifacts(hre.config.zk.artifactsDir, model.name).manifest, keysIdentity(manifest), outcome.proved.proveMs!);
    const j = outcome.proved.judgment;
    console.log(`judgment: score ${j.score.toFixed(4)} (felt ${j.scoreFelt}, scale 2^${j.scoreScale}) for ${j.recipient}`);
    if (outcome.attestation)
      console.log(
        `attested: commitment ${outcome.attestation.commitment}, round ${outcome.attestation.round}, deadline ${outcome.attestation.deadline}`,
      );
    console.log(`claim tx ${outcome.txHash}, gas ${outcome.gasUsed}, paid ${ethString(outcome.paid)}`);
    return outcome;
  } finally {
    await judge.prover.close();
  }
}
