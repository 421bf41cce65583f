import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { lookup as dnsLookupAsync } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";

/**
 * Where callbacks may go. By default only to public (global unicast) addresses; the
 * server's ZK_CALLBACK_ALLOW lets named hosts and CIDR ranges through as well.
 */
export interface CallbackAllowList {
  /** Host names allowed whatever they resolve to (lower case). */
  hosts: ReadonlySet<string>;
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export const PUBLIC_ONLY: CallbackAllowList = { hosts: new Set(), ranges: [] };

const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, "$1");

/** ZK_CALLBACK_ALLOW: comma-separated host names, addresses ("[::1]" or "::1") and CIDR ranges. */
export function parseCallbackAllow(text: string | undefined): CallbackAllowList {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const raw of (text ?? "").split(",")) {
    const entry = unbracket(raw.trim());
    if (entry === "") continue;
    if (entry.includes("/")) {
      try {
        ranges.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new ZkError(`ZK_CALLBACK_ALLOW: "${raw.trim()}" is not a CIDR range; write e.g. 10.0.0.0/8 or fd00::/8`);
      }
    } else if (ipaddr.isValid(entry)) {
      const address = ipaddr.parse(entry);
      ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) {
      hosts.add(entry.toLowerCase().replace(/\.$/, ""));
    } else {
      throw new ZkError(`ZK_CALLBACK_ALLOW: "${raw.trim()}" is not a host name, an IP address or a CIDR range`);
    }
  }
  return { hosts, ranges };
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: "an unspecified",
  loopback: "a loopback",
  private: "a private",
  uniqueLocal: "a private (unique local)",
  linkLocal: "a link-local",
  multicast: "a multicast",
  broadcast: "a broadcast",
  carrierGradeNat: "a shared (carrier-grade NAT)",
};

/** What kind of address refused `address` is ("a loopback address"), or undefined if callbacks may go there. */
function refusedKind(address: string, allow: CallbackAllowList): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(unbracket(address));
  } catch {
    return "not an IP address";
  }
  if (allow.ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits))) return undefined;
  const range = ip.range();
  if (range === "unicast") return undefined;
  return `${RANGE_NAMES[range] ?? `a special-purpose (${range})`} address`;
}

/**
 * Why a callback may not connect to `address`, or undefined if it may: an allowed range,
 * or a global unicast address. IPv4-mapped IPv6 addresses are judged as the IPv4 address.
 */
export function callbackAddressRefusal(address: string, allow: CallbackAllowList = PUBLIC_ONLY): string | undefined {
  const kind = refusedKind(address, allow);
  return kind === undefined ? undefined : `${address} is ${kind}`;
}

/** Why a host name that resolved to `addresses` may not be called back, or undefined if it may. */
function resolvedRefusal(host: string, addresses: readonly LookupAddress[], allow: CallbackAllowList): string | undefined {
  for (const a of addresses) {
    const kind = refusedKind(a.address, allow);
    if (kind !== undefined) return `host ${host} resolves to ${a.address}, ${kind}`;
  }
  return undefined;
}

function isAllowedHost(host: string, allow: CallbackAllowList): boolean {
  return allow.hosts.has(host.toLowerCase().replace(/\.$/, ""));
}

function resolveWithin(ms: number): (host: string) => Promise<LookupAddress[]> {
  return (host) =>
    Promise.race([
      dnsLookupAsync(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
    ]);
}

/**
 * Checks a callback URL before a job is queued: http(s), and a host that is allowed by
 * name or whose every resolved address passes callbackAddressRefusal. Returns why not.
 */
export async function callbackUrlRefusal(
  url: string,
  allow: CallbackAllowList = PUBLIC_ONLY,
  resolve: (host: string) => Promise<LookupAddress[]> = resolveWithin(5000),
): Promise<string | undefined> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return `${url} is not an http(s) URL`;
  if (target.username !== "" || target.password !== "") return "credentials in the URL are not sent; leave them out";
  const host = unbracket(target.hostname);
  if (isAllowedHost(host, allow)) return undefined;
  if (isIP(host) !== 0) return callbackAddressRefusal(host, allow);
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return `host ${host} does not resolve`;
  }
  return addresses.length === 0 ? `host ${host} does not resolve` : resolvedRefusal(host, addresses, allow);
}

/** Raised when the connection itself is refused by the policy (never retried). */
export class CallbackRefused extends Error {
  override readonly name = "CallbackRefused";
}

/**
 * A `lookup` for http.request / net.connect that applies the policy to the addresses the
 * connection will use, so a name that resolved to a public address at submission cannot
 * be pointed elsewhere by the time the callback is sent.
 */
export function guardedLookup(allow: CallbackAllowList = PUBLIC_ONLY): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) return callback(error, "", 0);
      const why = resolvedRefusal(hostname, addresses, allow);
      if (why !== undefined) return callback(new CallbackRefused(`callback refused: ${why}`), "", 0);
      if (options.all === true) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The connection options for one callback: literal addresses checked here, names at connect time. */
export function callbackConnection(url: URL, allow: CallbackAllowList = PUBLIC_ONLY): { lookup?: LookupFunction } {
  const host = unbracket(url.hostname);
  if (isAllowedHost(host, allow)) return {};
  if (isIP(host) !== 0) {
    const why = callbackAddressRefusal(host, allow);
    if (why !== undefined) throw new CallbackRefused(`callback refused: ${why}`);
    return {};
  }
  return { lookup: guardedLookup(allow) };
}
