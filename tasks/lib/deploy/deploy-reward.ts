import { formatEther, type Provider } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { ArtifactManager } from "hardhat/types/artifacts";
import { judgeRewardModule } from "./judge-reward-module.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { sha256 } from "@hardhat-zkml/core/hash.js";
import type { Manifest } from "@hardhat-zkml/core/manifest.js";
import { deployedVerifierRoles, verifierNames } from "@hardhat-zkml/core/contract-names.js";
import { rewardParameters, type RewardDeal } from "@hardhat-zkml/core/reward/parameters.js";
import { assertDeployedCode, deploymentDir, deploymentIdFor, ignitionError, prepareJournal } from "./ignition-journal.js";
import { assertFits, assertSrsAllowed, type ContractFootprint } from "./preflight.js";
import { assertVerifierCurrent } from "./verifier-freshness.js";

/** The reward's deal (@hardhat-zkml/core/reward/parameters.js) and where it may be deployed. */
export interface DeployRewardOptions extends RewardDeal {
  allowInsecureSrs: boolean;
  local: boolean;
  /** Ignition deployment id; default: derived from the model, its artifact hashes, the parameters and the chain. */
  deploymentId?: string;
  /** The project's ignition/ folder (hre.config.paths.ignition), where journals of non-simulated networks live. */
  ignitionDir?: string;
  /** Delete this deployment's journal first and deploy afresh. */
  reset?: boolean;
  log?: (line: string) => void;
}

export interface SentTransaction {
  hash: string;
  to: string | null;
  contractAddress: string | null;
  gasUsed: bigint;
}

export interface DeployedReward {
  reward: string;
  verifier: string;
  verifyingKey?: string;
  deploymentId: string;
  footprints: ContractFootprint[];
  transactions: SentTransaction[];
}

/** The transactions `from` sent in blocks (start, latest]: what a deployment cost. */
export async function transactionsSince(provider: Provider, from: string, startBlock: number): Promise<SentTransaction[]> {
  const out: SentTransaction[] = [];
  const latest = await provider.getBlockNumber();
  for (let n = startBlock + 1; n <= latest; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
      const receipt = (await provider.getTransactionReceipt(tx.hash))!;
      out.push({ hash: tx.hash, to: tx.to, contractAddress: receipt.contractAddress, gasUsed: receipt.gasUsed });
    }
  }
  return out;
}

/**
 * Deploys a model's verifier and a funded JudgmentReward through the Ignition module,
 * after refusing a dev SRS on a live network and checking size and gas limits.
 */
export async function deployJudgeReward(
  connection: NetworkConnection<string>,
  artifacts: ArtifactManager,
  model: ZkModelConfig,
  manifest: Manifest,
  opts: DeployRewardOptions,
): Promise<DeployedReward> {
  const { ethers, ignition, networkName } = connection;
  assertSrsAllowed(model.name, manifest, networkName, opts.local, opts.allowInsecureSrs);
  await assertVerifierCurrent(model, manifest, artifacts);

  const names = verifierNames(model.name);
  const contracts = deployedVerifierRoles(model.verifier).map((role) => names[role]);
  const footprints: ContractFootprint[] = [];
  const bytecodeHashes: Record<string, string> = { JudgmentReward: sha256((await artifacts.readArtifact("JudgmentReward")).bytecode) };
  for (const contract of contracts) {
    const artifact = await artifacts.readArtifact(contract);
    bytecodeHashes[contract] = sha256(artifact.bytecode);
    const footprint = {
      contract,
      bytecodeSize: (artifact.deployedBytecode.length - 2) / 2,
      deployGas: await ethers.provider.estimateGas({ data: artifact.bytecode }),
    };
    assertFits(model.name, footprint);
    footprints.push(footprint);
  }

  const [deployer] = await ethers.getSigners();
  const start = await ethers.provider.getBlockNumber();
  const module = judgeRewardModule(model.name, model.verifier);
  const parameters = rewardParameters(model, manifest, opts);
  const { chainId } = await ethers.provider.getNetwork();
  const deploymentId =
    opts.deploymentId ??
    deploymentIdFor(model.name, chainId, {
      artifacts: bytecodeHashes,
      parameters: JSON.parse(JSON.stringify(parameters, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
    });
  const simulated = connection.networkConfig.type === "edr-simulated";
  const dir = !simulated && opts.ignitionDir !== undefined ? deploymentDir(opts.ignitionDir, deploymentId) : undefined;
  if (dir !== undefined) await prepareJournal(ethers.provider, dir, { reset: opts.reset ?? false, local: opts.local, log: opts.log });
  let deployed;
  try {
    deployed = await ignition.deploy(module, { parameters: { [module.id]: parameters }, displayUi: false, deploymentId });
  } catch (e) {
    throw ignitionError(e, deploymentId);
  }
  const address = async (name: string) => (deployed[name] ? await deployed[name]!.getAddress() : undefined);
  const addresses = { reward: await address("reward"), verifier: await address("verifier"), verifyingKey: await address("verifyingKey") };
  await assertDeployedCode(ethers.provider, addresses, dir);
  return {
    reward: addresses.reward!,
    verifier: addresses.verifier!,
    verifyingKey: addresses.verifyingKey,
    deploymentId,
    footprints,
    transactions: await transactionsSince(ethers.provider, deployer!.address, start),
  };
}

export function formatDeployment(d: DeployedReward): string {
  return [
    `JudgmentReward ${d.reward}`,
    `verifier       ${d.verifier}${d.verifyingKey ? `\nverifying key  ${d.verifyingKey}` : ""}`,
    ...d.footprints.map((f) => `  ${f.contract}: ${f.bytecodeSize} bytes, deploy gas ${f.deployGas}`),
    `deployment     ${d.deploymentId}`,
    d.transactions.length > 0 ? "transactions:" : "transactions: none (this deployment was already complete; --reset deploys afresh)",
    ...d.transactions.map((t) => `  ${t.hash} ${t.contractAddress ? `create ${t.contractAddress}` : `call ${t.to}`} gas ${t.gasUsed}`),
  ].join("\n");
}

export const ethString = (wei: bigint) => `${formatEther(wei)} ETH`;
