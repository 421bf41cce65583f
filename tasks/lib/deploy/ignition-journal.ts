import path from "node:path";
import { readJsonFile, remove } from "@nomicfoundation/hardhat-utils/fs";
import type { Provider } from "ethers";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { sha256Json } from "@hardhat-zkml/core/hash.js";

/**
 * Ignition keeps a journal per deployment id under ignition/deployments/<id>. The id is
 * derived from what is deployed (model, artifact hashes, parameters, chain): a changed
 * threshold or rebuilt verifier is a new deployment, never a reconciliation error, and
 * the same command on the same chain resumes or reuses the same deployment.
 */
export function deploymentIdFor(model: string, chainId: bigint, deployed: { artifacts: unknown; parameters: unknown }): string {
  return `zk-${model}-${chainId}-${sha256Json(deployed).slice(0, 12)}`;
}

export function deploymentDir(ignitionDir: string, deploymentId: string): string {
  return path.join(ignitionDir, "deployments", deploymentId);
}

/** Addresses a journal says are deployed: Ignition's deployed_addresses.json (future id -> address). */
async function journaledAddresses(dir: string): Promise<Record<string, string>> {
  return readJsonFile<Record<string, string>>(path.join(dir, "deployed_addresses.json")).catch(() => ({}));
}

/** Journaled contracts with no code on the connected chain (the node was restarted, or it is another chain). */
export async function missingJournaledContracts(provider: Provider, dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (const [future, address] of Object.entries(await journaledAddresses(dir))) {
    if ((await provider.getCode(address)) === "0x") missing.push(`${future} at ${address}`);
  }
  return missing;
}

/**
 * Before deploying: a journal whose contracts are gone from the chain is stale. With
 * `reset` (or on a local chain, where a restart wipes everything) it is deleted so the
 * deployment starts afresh; otherwise the deploy is refused with the fix.
 */
export async function prepareJournal(
  provider: Provider,
  dir: string,
  opts: { reset: boolean; local: boolean; log?: (line: string) => void },
): Promise<void> {
  if (opts.reset) {
    await remove(dir);
    return;
  }
  const missing = await missingJournaledContracts(provider, dir);
  if (missing.length === 0) return;
  const rel = path.relative(process.cwd(), dir);
  if (opts.local) {
    opts.log?.(`${rel} records ${missing.length} contract(s) that are not on this chain (node restarted?); deploying afresh`);
    await remove(dir);
    return;
  }
  throw new ZkError(
    `Ignition's journal ${rel} records contracts that are not on this chain (${missing[0]}); check --network, or rerun with --reset to deploy afresh`,
  );
}

/** After deploying: every reported address must hold code, or the report would be false. */
export async function assertDeployedCode(provider: Provider, addresses: Record<string, string | undefined>, dir?: string): Promise<void> {
  for (const [name, address] of Object.entries(addresses)) {
    if (address === undefined) continue;
    if ((await provider.getCode(address)) === "0x") {
      const where = dir !== undefined ? ` (journal ${path.relative(process.cwd(), dir)})` : "";
      throw new ZkError(
        `Ignition reports ${name} at ${address} but there is no contract there${where}; rerun with --reset to deploy afresh`,
      );
    }
  }
}

/** Ignition's HHE10120 (a journal that does not reconcile with the module, or a failed deployment) as one line with the fix. */
export function ignitionError(e: unknown, deploymentId: string): unknown {
  // Duck-typed: Hardhat does not export HardhatError to plugins.
  if (!(e instanceof Error) || ((e as { number?: number }).number !== 10120 && !/HHE10120/.test(e.message))) return e;
  const detail = e.message
    .replace(/^(HHE10120:\s*)?Hardhat Ignition deployment error:\s*/, "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (/reconciliation/i.test(e.message)) {
    const first = detail.find((l) => l.includes(":") && !/reconciliation errors/i.test(l)) ?? detail[0] ?? "";
    return new ZkError(
      `deployment "${deploymentId}" was started with other contracts or parameters (${first.replace(/^\*\s*/, "")}); rerun with --reset to deploy afresh`,
      e,
    );
  }
  return new ZkError(`Ignition deployment "${deploymentId}" failed: ${detail.join(" ")}`, e);
}
