import { concat, dataLength, toBeHex, zeroPadBytes, zeroPadValue, type BytesLike } from "ethers";

const word = (value: bigint | number) => zeroPadValue(toBeHex(value), 32);
const padded = (bytes: BytesLike) => zeroPadBytes(bytes, Math.ceil(dataLength(bytes) / 32) * 32);

/**
 * Calldata for `selector(...before, bytes proof, uint256[] instances, ...after)` that Solidity
 * decodes as (`decodedProof`, `instances`) but that is not the canonical ABI encoding: a first
 * copy, `proofAtCanonicalPlace`, sits where a canonical encoding puts the proof's bytes (the
 * fixed offsets a generated Halo2 verifier reads), and the proof's offset skips it to point at a
 * second copy, `decodedProof`, after the instances (the copy the verifier hashes).
 */
export function twoCopyCalldata(
  selector: string,
  before: bigint[],
  proofAtCanonicalPlace: BytesLike,
  instances: bigint[],
  after: bigint[] = [],
  decodedProof: BytesLike = proofAtCanonicalPlace,
): string {
  const headLength = 32 * (before.length + 2 + after.length);
  const first = padded(proofAtCanonicalPlace);
  const instancesOffset = headLength + 32 + dataLength(first);
  const proofOffset = instancesOffset + 32 * (1 + instances.length);
  return concat([
    selector,
    ...before.map(word),
    word(proofOffset),
    word(instancesOffset),
    ...after.map(word),
    word(dataLength(proofAtCanonicalPlace)),
    first,
    word(instances.length),
    ...instances.map(word),
    word(dataLength(decodedProof)),
    padded(decodedProof),
  ]);
}
