import { formatEther, type Provider } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { ModuleParameters } from "@nomicfoundation/ignition-core";
import type { ArtifactManager } from "hardhat/types/artifacts";
import { judgeRewardModule, verifierModule } from "./judge-reward-module.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { sha256 } from "@hardhat-zkml/core/hash.js";
import type { Manifest } from "@hardhat-zkml/core/manifest.js";
import { deployedVerifierRoles, verifierNames } from "@hardhat-zkml/core/contract-names.js";
import { rewardParameters, type RewardDeal } from "@hardhat-zkml/core/reward/parameters.js";
import { assertDeployedCode, deploymentDir, deploymentIdFor, ignitionError, prepareJournal } from "./ignition-journal.js";
import { assertFits, assertSrsAllowed, type ContractFootprint } from "./preflight.js";
import { assertVerifierCurrent } from "./verifier-freshness.js";

/** The reward's deal (@hardhat-zkml/core/reward/parameters.js) and where it may be deployed. */
export interface DeployRewardOptions extends RewardDeal, DeployTarget {}

export interface SentTransaction {
  hash: string;
  to: string | null;
  contractAddress: string | null;
  gasUsed: bigint;
}

export interface DeployedReward extends DeployedVerifier {
  reward: string;
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

/** Where and how a model's contracts may be deployed (the reward's deal aside). */
export interface DeployTarget {
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

export interface DeployedVerifier {
  verifier: string;
  verifyingKey?: string;
  deploymentId: string;
  footprints: ContractFootprint[];
  transactions: SentTransaction[];
}

/**
 * Deploys one of the plugin's Ignition modules for a model, after refusing a dev SRS on a
 * live network, a stale verifier, and contracts over the size or gas limits; checks that
 * every deployed address holds code.
 */
async function deployModelModule(
  connection: NetworkConnection<string>,
  artifacts: ArtifactManager,
  model: ZkModelConfig,
  manifest: Manifest,
  opts: DeployTarget,
  deployment: {
    module: ReturnType<typeof judgeRewardModule> | ReturnType<typeof verifierModule>;
    parameters: ModuleParameters;
    /** Names the deployment id: the model for a reward, "<model>-verifier" for a verifier alone. */
    label: string;
    /** Contracts besides the verifier whose bytecode is part of the deployment (the reward). */
    otherContracts: string[];
  },
): Promise<DeployedVerifier & { addresses: Record<string, string | undefined> }> {
  const { ethers, ignition, networkName } = connection;
  const { module, parameters } = deployment;
  assertSrsAllowed(model.name, manifest, networkName, opts.local, opts.allowInsecureSrs);
  await assertVerifierCurrent(model, manifest, artifacts);

  const names = verifierNames(model.name);
  const contracts = deployedVerifierRoles(model.verifier).map((role) => names[role]);
  const footprints: ContractFootprint[] = [];
  const bytecodeHashes: Record<string, string> = {};
  for (const contract of deployment.otherContracts) bytecodeHashes[contract] = sha256((await artifacts.readArtifact(contract)).bytecode);
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
  const { chainId } = await ethers.provider.getNetwork();
  const deploymentId =
    opts.deploymentId ??
    deploymentIdFor(deployment.label, chainId, {
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
  const record = deployed as Record<string, { getAddress(): Promise<string> } | undefined>;
  const address = async (name: string) => (record[name] ? await record[name]!.getAddress() : undefined);
  const addresses = { reward: await address("reward"), verifier: await address("verifier"), verifyingKey: await address("verifyingKey") };
  await assertDeployedCode(ethers.provider, addresses, dir);
  return {
    addresses,
    verifier: addresses.verifier!,
    verifyingKey: addresses.verifyingKey,
    deploymentId,
    footprints,
    transactions: await transactionsSince(ethers.provider, deployer!.address, start),
  };
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
  // The reward's parameters first: a model without boundAddress is refused before anything is sent.
  const parameters = rewardParameters(model, manifest, opts);
  const { addresses, ...deployed } = await deployModelModule(connection, artifacts, model, manifest, opts, {
    module: judgeRewardModule(model.name, model.verifier),
    parameters,
    label: model.name,
    otherContracts: ["JudgmentReward"],
  });
  return { reward: addresses.reward!, ...deployed };
}

/**
 * Deploys only a model's verifier (and, for a reusable verifier, its VK artifact) through
 * the Ignition module `verifierModule`: any model, with or without boundAddress.
 */
export async function deployVerifier(
  connection: NetworkConnection<string>,
  artifacts: ArtifactManager,
  model: ZkModelConfig,
  manifest: Manifest,
  opts: DeployTarget,
): Promise<DeployedVerifier> {
  const { addresses: _addresses, ...deployed } = await deployModelModule(connection, artifacts, model, manifest, opts, {
    module: verifierModule(model.name, model.verifier),
    parameters: {},
    label: `${model.name}-verifier`,
    otherContracts: [],
  });
  return deployed;
}

export function formatDeployment(d: DeployedVerifier & { reward?: string }): string {
  return [
    ...(d.reward !== undefined ? [`JudgmentReward ${d.reward}`] : []),
    `verifier       ${d.verifier}${d.verifyingKey ? `\nverifying key  ${d.verifyingKey}` : ""}`,
    ...d.footprints.map((f) => `  ${f.contract}: ${f.bytecodeSize} bytes, deploy gas ${f.deployGas}`),
    `deployment     ${d.deploymentId}`,
    d.transactions.length > 0 ? "transactions:" : "transactions: none (this deployment was already complete; --reset deploys afresh)",
    ...d.transactions.map((t) => `  ${t.hash} ${t.contractAddress ? `create ${t.contractAddress}` : `call ${t.to}`} gas ${t.gasUsed}`),
  ].join("\n");
}

export const ethString = (wei: bigint) => `${formatEther(wei)} ETH`;
