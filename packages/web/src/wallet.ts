import { BrowserProvider, Contract, toBeHex, type Eip1193Provider } from "ethers";
import type { JobResult, RewardInfo } from "./api.js";

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export function hasWallet(): boolean {
  return typeof window.ethereum?.request === "function";
}

/** Sends the result's claim call from the person's own wallet (they pay the gas); resolves with the mined tx hash. */
export async function claimWithWallet(result: JobResult, reward: RewardInfo): Promise<string> {
  if (window.ethereum === undefined) throw new Error("no wallet found in this browser");
  if (result.claim === undefined) throw new Error("the result has no claim call (the model is not a judge)");
  const provider = new BrowserProvider(window.ethereum);
  const network = await provider.getNetwork();
  if (network.chainId !== BigInt(reward.chainId)) {
    await provider.send("wallet_switchEthereumChain", [{ chainId: toBeHex(BigInt(reward.chainId)) }]);
  }
  const signer = await provider.getSigner();
  const name = result.claim.function.slice(0, result.claim.function.indexOf("("));
  const contract = new Contract(reward.address, [`function ${result.claim.function}`], signer);
  const tx = await contract.getFunction(name)(...result.claim.args);
  const receipt = await tx.wait();
  return receipt.hash as string;
}
