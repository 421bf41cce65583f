import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "../lib/artifacts.js";
import { parseAddress } from "../lib/chain-errors.js";
import { proveAndClaim, type ClaimOutcome } from "../lib/deploy/claim-reward.js";
import { ethString } from "../lib/deploy/deploy-reward.js";
import { ZkError } from "../lib/errors.js";
import { expectedProofMs, keysIdentity, recordProofTime } from "../lib/manifest.js";
import { JudgeProver } from "../lib/prover/judge.js";
import { backendOverride } from "../lib/prover/backends.js";
import { readModelInputs } from "../lib/prover/model-inputs.js";
import { ModelProver } from "../lib/prover/model-prover.js";
import { withProgress } from "../lib/progress.js";
import { readAttestationFile } from "../lib/reward/attestation.js";
import { selectModel } from "../lib/select-models.js";

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
