import { AbiCoder, type Provider } from "ethers";
import { describeChainError } from "../chain-errors.js";

export interface OnChainVerdict {
  valid: boolean;
  /** Why it is not valid (absent when valid). */
  reason?: string;
}

/**
 * Calls a deployed Halo2 verifier with `calldata` (verifyProof, either form) and reads
 * its answer: valid only if there is code at the address, the call succeeds and it
 * returns an ABI-encoded `true`. No code, a revert or `false` are INVALID with a reason.
 */
export async function verifyOnChain(provider: Provider, verifier: string, calldata: string): Promise<OnChainVerdict> {
  if ((await provider.getCode(verifier)) === "0x") {
    const { chainId } = await provider.getNetwork();
    return { valid: false, reason: `no contract at ${verifier} on chain ${chainId}; check --verifier and --network` };
  }
  let returned: string;
  try {
    returned = await provider.call({ to: verifier, data: calldata });
  } catch (e) {
    return { valid: false, reason: `verifyProof ${describeChainError(e)} (the verifier rejects the proof)` };
  }
  if (returned.length !== 66) {
    return {
      valid: false,
      reason: `the contract returned ${(returned.length - 2) / 2} bytes, not a bool; is ${verifier} a verifier for this model?`,
    };
  }
  const value = BigInt(returned);
  if (value > 1n)
    return { valid: false, reason: `the contract returned ${returned}, not a bool; is ${verifier} a verifier for this model?` };
  const [ok] = AbiCoder.defaultAbiCoder().decode(["bool"], returned) as unknown as [boolean];
  return ok ? { valid: true } : { valid: false, reason: "verifyProof returned false" };
}
