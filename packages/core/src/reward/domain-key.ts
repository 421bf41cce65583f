import { AbiCoder, keccak256 } from "ethers";
import { FIELD_MODULUS } from "../field.js";

/**
 * The key a prover proves in domain-bound mode: keccak256(abi.encode(chainId, reward
 * contract, recipient, round)) mod r, exactly as JudgmentReward.domainKey computes it.
 * A proof made for one chain, contract or round is refused by every other.
 */
export function domainKey(chainId: bigint, rewardContract: string, recipient: string, round: bigint): bigint {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "address", "address", "uint256"],
    [chainId, rewardContract, recipient, round],
  );
  return BigInt(keccak256(encoded)) % FIELD_MODULUS;
}
