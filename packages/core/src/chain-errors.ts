import { getAddress, isError, type Interface, type Provider } from "ethers";
import { ZkError } from "./errors.js";

/**
 * Turns what ethers and Hardhat throw (BAD_DATA, CALL_EXCEPTION, a provider's revert,
 * an invalid or mis-checksummed address) into one-line ZkErrors. Custom errors are
 * decoded through the contract's ABI, so a user sees `AlreadyClaimed(recipient=0x…,
 * round=0)`, not a provider dump.
 */

/** The revert data an error carries, wherever ethers or the provider put it. */
export function revertData(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): string | undefined => {
    if (x === null || typeof x !== "object" || seen.has(x) || depth > 4) return undefined;
    seen.add(x);
    const o = x as Record<string, unknown>;
    if (typeof o.data === "string" && /^0x[0-9a-fA-F]*$/.test(o.data)) return o.data;
    for (const key of ["error", "info", "cause", "data"]) {
      const found = visit(o[key], depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(e, 0);
}

/** The name of the custom error (or Error / Panic) in revert data; undefined when there is none or the ABI does not know it. */
export function decodeErrorName(data: string, iface?: Interface): string | undefined {
  return parseRevert(data, iface)?.name;
}

/** ethers' parseError throws on data shorter than a selector; this returns null instead. */
function parseRevert(data: string, iface?: Interface) {
  if (iface === undefined || data.length < 10) return null;
  return iface.parseError(data);
}

/** A custom error (or Error(string) / Panic) in revert data, decoded through the ABI. */
export function decodeRevert(data: string, iface?: Interface): string | undefined {
  const parsed = parseRevert(data, iface);
  if (parsed === null) return undefined;
  if (parsed.name === "Error") return `"${String(parsed.args[0])}"`;
  const args = parsed.fragment.inputs.map((input, i) => `${input.name || i}=${String(parsed.args[i])}`);
  return `${parsed.name}(${args.join(", ")})`;
}

/** One line describing why a call failed: the decoded custom error, an empty revert, or the first line of the message. */
export function describeChainError(e: unknown, iface?: Interface): string {
  if (isError(e, "BAD_DATA")) return "the address returned no data (no contract there, or not this contract)";
  const data = revertData(e);
  if (data !== undefined) {
    if (data === "0x") return "reverted without data";
    return `reverted with ${decodeRevert(data, iface) ?? `unknown error data ${data.slice(0, 10)}…`}`;
  }
  const message = e instanceof Error ? ((e as { shortMessage?: string }).shortMessage ?? e.message) : String(e);
  return message.split("\n")[0]!.trim();
}

/** `action` failed on chain: a ZkError with the decoded reason and the fix. ZkErrors pass through. */
export function chainError(e: unknown, action: string, opts: { iface?: Interface; fix?: string } = {}): ZkError {
  if (e instanceof ZkError) return e;
  const reason = describeChainError(e, opts.iface);
  return new ZkError(`${action} failed: ${reason}${opts.fix ? `; ${opts.fix}` : ""}`, e instanceof Error ? e : undefined);
}

/**
 * A user-given address (`label` names where it came from, e.g. "--reward"), checksummed.
 * Mixed case must carry a valid EIP-55 checksum; all-lower or all-upper case is accepted.
 */
export function parseAddress(value: string, label: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new ZkError(`${label} ${JSON.stringify(value)} is not an address; give 0x followed by 40 hex digits`);
  }
  try {
    return getAddress(value);
  } catch {
    throw new ZkError(
      `${label} ${value} has a bad checksum (its upper/lower case letters do not match EIP-55); check it for a typo, or give it all in lower case`,
    );
  }
}

/** Refuses an address with no contract code on the connected network. */
export async function assertContractAt(provider: Provider, address: string, label: string, what: string): Promise<void> {
  const code = await provider.getCode(address);
  if (code === "0x") {
    const { chainId } = await provider.getNetwork();
    throw new ZkError(
      `${label} ${address}: no contract on this network (chain ${chainId}); check the address and --network, or deploy ${what} first`,
    );
  }
}
