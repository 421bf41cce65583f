import { Wallet } from "ethers";
import type { ArtifactManager } from "hardhat/types/artifacts";
import type { NetworkConnection } from "hardhat/types/network";
import type { ServiceHooks } from "@hardhat-zkml/server/service.js";

/** The relayer of `zk serve`: an account of ZK_RELAYER_KEY on the connected chain, and JudgmentReward's ABI to claim with. */
export async function chainRelayer(
  connection: NetworkConnection<string>,
  artifacts: ArtifactManager,
  privateKey: string,
): Promise<NonNullable<ServiceHooks["relayer"]>> {
  const key = privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`;
  return { signer: new Wallet(key, connection.ethers.provider), rewardAbi: (await artifacts.readArtifact("JudgmentReward")).abi };
}
