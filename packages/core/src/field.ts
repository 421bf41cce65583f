/** BN254 field elements without the engine: what browsers and Node share (felt.ts adds the engine's conversions). */

/** The BN254 scalar field modulus r: every public instance is below it. */
export const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** A uint256 below r as ezkl's field-element JSON form (64 hex chars, little-endian). */
export function uint256ToFelt(value: bigint): string {
  if (value < 0n || value >= FIELD_MODULUS) {
    throw new RangeError(`${value} is not a field element (must be 0 <= x < r)`);
  }
  const be = value.toString(16).padStart(64, "0");
  return (be.match(/../g) ?? []).reverse().join("");
}
