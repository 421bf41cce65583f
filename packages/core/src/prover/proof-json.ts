import { ZkError } from "../errors.js";
import { feltToUint256 } from "../felt.js";
import { parseUserJson, readUserFile } from "../json-file.js";

/** The fields of an ezkl proof JSON this project uses. */
export interface EzklProof {
  instances: string[][];
  proof: number[] | string;
  hex_proof: string;
  transcript_type: string;
  [key: string]: unknown;
}

/** The proof bytes held in the `proof` field (bytes as numbers, or a hex string), or undefined if neither. */
function proofFieldBytes(proof: EzklProof["proof"]): Buffer | undefined {
  if (typeof proof === "string" && /^(0x)?([0-9a-fA-F]{2})*$/.test(proof)) return Buffer.from(proof.replace(/^0x/, ""), "hex");
  if (Array.isArray(proof) && proof.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Buffer.from(proof);
  return undefined;
}

/**
 * Parses and checks an ezkl proof JSON. The engine reads `proof`, people and the
 * Solidity calldata read `hex_proof`: the two must be the same bytes.
 */
export function parseProof(bytes: Uint8Array | string, source = "proof"): EzklProof {
  const proof = parseUserJson<EzklProof>(
    bytes,
    source,
    "proof file",
    'an ezkl proof JSON ({"instances": ..., "proof": ..., "hex_proof": ...})',
  );
  if (proof === null || typeof proof !== "object" || !Array.isArray(proof.instances) || typeof proof.hex_proof !== "string") {
    throw new ZkError(
      `${source} is not an ezkl proof (no "instances" array or "hex_proof"); pass the .proof.json that \`npx hardhat zk prove\` wrote`,
    );
  }
  if (!/^0x([0-9a-fA-F]{2})+$/.test(proof.hex_proof)) {
    throw new ZkError(`${source}: "hex_proof" is not 0x-prefixed hex bytes; regenerate it with \`npx hardhat zk prove\``);
  }
  const fromField = proofFieldBytes(proof.proof);
  if (fromField === undefined) {
    throw new ZkError(`${source}: "proof" is neither a byte array nor hex; regenerate it with \`npx hardhat zk prove\``);
  }
  if (!fromField.equals(Buffer.from(proof.hex_proof.slice(2), "hex"))) {
    throw new ZkError(
      `${source}: "hex_proof" and "proof" hold different bytes (the file was edited); regenerate it with \`npx hardhat zk prove\``,
    );
  }
  return proof;
}

/** A proof file as bytes, checked to be a consistent ezkl proof. */
export async function readProofFile(file: string): Promise<Uint8Array> {
  const bytes = await readUserFile(file, "proof file", "pass --proof <file.proof.json> written by `npx hardhat zk prove`");
  parseProof(bytes, file);
  return bytes;
}

/** What Halo2Verifier.verifyProof(bytes, uint256[]) takes. */
export interface VerifierArgs {
  proof: string;
  instances: bigint[];
}

export function verifierArgs(proof: EzklProof): VerifierArgs {
  return { proof: proof.hex_proof, instances: proof.instances.flat().map(feltToUint256) };
}
