import { AbiCoder, keccak256 } from "ethers";
import { FIELD_MODULUS } from "../felt.js";

/**
 * The key a prover proves in domain-bound mode: keccak256(abi.encode(chainId, reward
 * contract, recipient)) mod r, exactly as JudgmentReward.domainKey computes it.
 */
export function domainKey(chainId: bigint, rewardContract: string, recipient: string): bigint {
  const encoded = AbiCoder.defaultAbiCoder().encode(["uint256", "address", "address"], [chainId, rewardContract, recipient]);
  return BigInt(keccak256(encoded)) % FIELD_MODULUS;
}
