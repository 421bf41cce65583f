import type { NetworkConfig } from "hardhat/types/config";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { Manifest } from "@hardhat-zkml/core/manifest.js";
import { MAX_CODE_SIZE, MAX_TX_GAS } from "@hardhat-zkml/core/pipeline/model-info.js";

/** Is this URL a node on this machine (any loopback address)? */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]" || host === "::1";
}

/**
 * Is this network the embedded chain or a node on this machine? Decided before
 * connecting, on the resolved URL (an inline URL is a config variable whose format is a template).
 */
export async function isLocalNetwork(name: string, config: NetworkConfig | undefined): Promise<boolean> {
  if (config === undefined) return name === "localhost";
  if (config.type === "edr-simulated") return true;
  let url: string;
  try {
    url = await config.url.get();
  } catch {
    return false; // an unset configuration variable: a live network whose URL is kept in the keystore
  }
  return isLoopbackUrl(url);
}

/**
 * A dev SRS is insecure (its toxic waste is known to whoever generated it): refuse to
 * deploy a verifier built on one anywhere but a local chain, unless overridden.
 */
export function assertSrsAllowed(model: string, manifest: Manifest, network: string, local: boolean, allowInsecure: boolean): void {
  if (manifest.srs?.insecure && !local && !allowInsecure) {
    throw new ZkError(
      `model "${model}" was built on an insecure dev SRS; refusing to deploy its verifier to "${network}". ` +
        `Set zk.models.${model}.srs = { path: "<ceremony SRS>" } and rerun \`npx hardhat zk setup\`, or pass --allow-insecure-srs for a throwaway test`,
    );
  }
}

export interface ContractFootprint {
  contract: string;
  bytecodeSize: number;
  deployGas: bigint;
}

/** EIP-170 size and the per-transaction gas cap, checked before anything is sent. */
export function assertFits(model: string, footprint: ContractFootprint): void {
  const fix = `switch zk.models.${model}.verifier to "reusable" (shared verifier + VK artifact), or shrink the circuit`;
  if (footprint.bytecodeSize > MAX_CODE_SIZE) {
    throw new ZkError(
      `${footprint.contract} is ${footprint.bytecodeSize} bytes, over the ${MAX_CODE_SIZE}-byte contract size limit (EIP-170); ${fix}`,
    );
  }
  if (footprint.deployGas > MAX_TX_GAS) {
    throw new ZkError(
      `deploying ${footprint.contract} needs ${footprint.deployGas} gas, over the ${MAX_TX_GAS} per-transaction cap (EIP-7825); ${fix}`,
    );
  }
}
