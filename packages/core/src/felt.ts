import { clamped, loadEngine } from "./engine.js";

export { FIELD_MODULUS, uint256ToFelt } from "./field.js";

/**
 * A proof's instance as ezkl writes it (64 hex chars, little-endian, no 0x) as the
 * uint256 the Solidity verifier takes. Conversion by the engine's own felt helper.
 */
export function feltToUint256(felt: string): bigint {
  const bigEndian = loadEngine().feltToBigEndian(clamped(JSON.stringify(felt)));
  return BigInt(bigEndian);
}
