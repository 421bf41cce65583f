import { feltToUint256 } from "../felt.js";

/** The fields of an ezkl proof JSON this project uses. */
export interface EzklProof {
  instances: string[][];
  proof: number[] | string;
  hex_proof: string;
  transcript_type: string;
  [key: string]: unknown;
}

export function parseProof(bytes: Uint8Array | string): EzklProof {
  const text = typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
  const proof = JSON.parse(text) as EzklProof;
  if (!Array.isArray(proof.instances) || typeof proof.hex_proof !== "string") {
    throw new Error("not an ezkl proof: missing instances or hex_proof");
  }
  return proof;
}

/** What Halo2Verifier.verifyProof(bytes, uint256[]) takes. */
export interface VerifierArgs {
  proof: string;
  instances: bigint[];
}

export function verifierArgs(proof: EzklProof): VerifierArgs {
  return { proof: proof.hex_proof, instances: proof.instances.flat().map(feltToUint256) };
}
