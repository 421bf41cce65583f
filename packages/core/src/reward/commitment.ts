import { keccak256 } from "ethers";
import { ZkError } from "../errors.js";
import { kzgCommitFelts, quantise } from "../input-commitment.js";
import type { ModelProver } from "../prover/model-prover.js";
import { feltToUint256 } from "../felt.js";
import { loadEngine, clamped } from "../engine.js";
import { featureInput, type RewardCommitment } from "./layout.js";

/**
 * The commitment JudgmentReward.commitmentOf reads from a proof of `features`, computed
 * off-chain from the features alone (what an attester signs before any proof exists):
 * polycommit, keccak256 of the engine's kzgCommit points; hashed, the Poseidon hash.
 */
export function featureCommitment(prover: ModelProver, location: RewardCommitment, features: number[]): string {
  const scale = prover.files.manifest.circuit?.inputScales[featureInput(prover.model, prover.files.manifest)];
  if (scale === undefined)
    throw new ZkError(
      `model "${prover.model.name}": the manifest has no input scales; run \`npx hardhat zk setup --model ${prover.model.name}\``,
    );
  const felts = quantise(features, scale);
  if (location.source === 1) {
    const hash = JSON.parse(new TextDecoder().decode(loadEngine().poseidonHash(clamped(JSON.stringify(felts))))) as string[];
    return "0x" + feltToUint256(hash[0]!).toString(16).padStart(64, "0");
  }
  const points = kzgCommitFelts(prover.files, felts);
  if (BigInt(points.length) !== location.length) {
    throw new ZkError(
      `model "${prover.model.name}": kzgCommit gave ${points.length} bytes but the reward reads ${location.length}; rebuild the model and redeploy`,
    );
  }
  return keccak256(points);
}

/** The commitment a proof carries (as the contract reads it). */
export function proofCommitment(location: RewardCommitment, proof: string, instances: bigint[]): string {
  if (location.source === 1) return "0x" + instances[Number(location.at)]!.toString(16).padStart(64, "0");
  const bytes = Buffer.from(proof.replace(/^0x/, ""), "hex");
  return keccak256(bytes.subarray(Number(location.at), Number(location.at + location.length)));
}
