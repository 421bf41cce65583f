import type { BaseContract, BigNumberish, BytesLike, ContractTransactionResponse } from "ethers";

/**
 * The interface every ezkl Halo2 verifier shares, whatever a model's contract is named.
 * verifyProof reverts (with empty data) on any invalid proof; it never returns false.
 */
export interface Halo2VerifierContract extends BaseContract {
  verifyProof: {
    (proof: BytesLike, instances: BigNumberish[]): Promise<ContractTransactionResponse>;
    staticCall(proof: BytesLike, instances: BigNumberish[]): Promise<boolean>;
    estimateGas(proof: BytesLike, instances: BigNumberish[]): Promise<bigint>;
  };
}
