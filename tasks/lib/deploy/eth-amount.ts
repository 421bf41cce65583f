import { ZkError } from "@hardhat-zkml/core/errors.js";

/**
 * A non-negative ETH amount from a FLOAT task option as a decimal string for parseEther:
 * the shortest form that reads back as the same number, without exponent notation.
 */
export function ethAmount(value: number, flag: string): string {
  if (!Number.isFinite(value) || value < 0 || value >= 1e21)
    throw new ZkError(`${flag} must be an amount of ETH, 0 or more (got ${value})`);
  const shortest = String(value);
  if (!/e/i.test(shortest)) return shortest;
  return value.toFixed(18).replace(/0+$/, "").replace(/\.$/, "");
}
