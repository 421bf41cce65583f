import { clamped, loadEngine } from "./engine.js";

/** The BN254 scalar field modulus r: every public instance is below it. */
export const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * A proof's instance as ezkl writes it (64 hex chars, little-endian, no 0x) as the
 * uint256 the Solidity verifier takes. Conversion by the engine's own felt helper.
 */
export function feltToUint256(felt: string): bigint {
  const bigEndian = loadEngine().feltToBigEndian(clamped(JSON.stringify(felt)));
  return BigInt(bigEndian);
}

/** A uint256 below r as ezkl's field-element JSON form (64 hex chars, little-endian). */
export function uint256ToFelt(value: bigint): string {
  if (value < 0n || value >= FIELD_MODULUS) {
    throw new RangeError(`${value} is not a field element (must be 0 <= x < r)`);
  }
  const be = value.toString(16).padStart(64, "0");
  return Buffer.from(be, "hex").reverse().toString("hex");
}
