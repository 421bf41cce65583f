import { BrowserProvider, Contract, toBeHex, type Eip1193Provider } from "ethers";
import type { RewardInfo } from "./api.js";

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export function hasWallet(): boolean {
  return typeof window.ethereum?.request === "function";
}

export interface ClaimCall {
  /** The function's signature, e.g. "claim(address,bytes,uint256[],uint256)". */
  function: string;
  args: (string | string[])[];
}

/** Sends a claim call (a server result's, or one for a proof made on this device) from the person's own wallet (they pay the gas); resolves with the mined tx hash. */
export async function claimWithWallet(claim: ClaimCall | undefined, reward: RewardInfo): Promise<string> {
  if (window.ethereum === undefined) throw new Error("no wallet found in this browser");
  if (claim === undefined) throw new Error("there is no claim to send (the model is not a judge)");
  const provider = new BrowserProvider(window.ethereum);
  const network = await provider.getNetwork();
  if (network.chainId !== BigInt(reward.chainId)) {
    await provider.send("wallet_switchEthereumChain", [{ chainId: toBeHex(BigInt(reward.chainId)) }]);
  }
  const signer = await provider.getSigner();
  const name = claim.function.slice(0, claim.function.indexOf("("));
  const contract = new Contract(reward.address, [`function ${claim.function}`], signer);
  const tx = await contract.getFunction(name)(...claim.args);
  const receipt = await tx.wait();
  return receipt.hash as string;
}
