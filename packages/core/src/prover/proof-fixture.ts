import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ZkModelConfig } from "../config-types.js";
import type { Manifest } from "../manifest.js";
import { rewardCommitment, rewardLayout } from "../reward/layout.js";
import type { ProofResult } from "./model-prover.js";

/**
 * A proof as a Solidity test reads it (`vm.readFile` + `vm.parseJson*`): the verifyProof
 * arguments, the bound recipient, and for a judge the JudgmentReward constructor's layout and
 * commitment location, all from the model's manifest. Numbers that may exceed 2^53 are
 * 0x-prefixed hex strings (parseJsonUint / parseJsonUintArray read them); small ones are
 * JSON numbers.
 */
export interface ProofFixture {
  model: string;
  /** verifyProof's `bytes proof`. */
  proof: string;
  /** verifyProof's `uint256[] instances`, each 0x + 64 hex digits. */
  instances: string[];
  /** The address bound into the proof (models with boundAddress and a bare-address key). */
  recipient?: string;
  /** JudgmentReward's InstanceLayout for a probability score, [0, 1] in fixed point. */
  layout?: { count: number; recipientIndex: number; scoreIndex: number; scoreMin: number; scoreMax: number; scoreOne: number };
  /** JudgmentReward's CommitmentLocation: source 0 = proof bytes [at, at + length), 1 = instance `at`. */
  commitment?: { source: number; at: number; length: number };
  /** sha256 of the verifying key and SRS the proof was made with. */
  keys: { vk: string; srs: string };
}

const word = (v: bigint) => "0x" + v.toString(16).padStart(64, "0");

export function proofFixture(model: ZkModelConfig, manifest: Manifest, result: ProofResult): ProofFixture {
  const fixture: ProofFixture = {
    model: model.name,
    proof: result.args.proof,
    instances: result.args.instances.map(word),
    keys: {
      vk: Object.entries(manifest.steps.keys?.outputs ?? {}).find(([file]) => file.endsWith("vk.key"))?.[1] ?? "",
      srs: manifest.srs?.sha256 ?? "",
    },
  };
  if (result.boundAddress !== undefined) fixture.recipient = result.boundAddress;
  if (
    model.boundAddress !== undefined &&
    (manifest.instances ?? []).some((s) => s.source === "output" && s.tensor !== model.boundAddress!.output)
  ) {
    const layout = rewardLayout(model, manifest);
    const commitment = rewardCommitment(model, manifest);
    fixture.layout = {
      count: Number(layout.count),
      recipientIndex: Number(layout.recipientIndex),
      scoreIndex: Number(layout.scoreIndex),
      scoreMin: Number(layout.scoreMin),
      scoreMax: Number(layout.scoreMax),
      scoreOne: Number(layout.scoreOne),
    };
    fixture.commitment = { source: commitment.source, at: Number(commitment.at), length: Number(commitment.length) };
  }
  return fixture;
}

export async function writeProofFixture(file: string, fixture: ProofFixture): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(fixture, null, 2) + "\n");
}
