import { ZkError } from "../errors.js";
import type { RewardDeal } from "./parameters.js";

/** `zk deploy`'s reward options (strings from the command line) as a checked deal. */
export function parseDealOptions(args: {
  threshold: string; noDomainBinding: boolean; attester: string; roundCap: string; minRoundSeconds: string; scoreRange: string;
}): Omit<RewardDeal, "rewardEth" | "fundEth"> {
  const range = args.scoreRange.split(",").map((v) => Number(v.trim()));
  if (range.length !== 2 || !range.every(Number.isFinite) || !(range[0]! < range[1]!)) {
    throw new ZkError(`--score-range must be min,max with min < max, e.g. 0,1 or -8,8 (got "${args.scoreRange}")`);
  }
  const threshold = Number(args.threshold);
  if (!Number.isFinite(threshold) || threshold < range[0]! || threshold > range[1]!) {
    throw new ZkError(`--threshold must be a score within --score-range [${range[0]}, ${range[1]}] (got ${args.threshold})`);
  }
  if (!/^\d+$/.test(args.minRoundSeconds)) throw new ZkError(`--min-round-seconds must be a whole number of seconds (got "${args.minRoundSeconds}")`);
  return {
    threshold,
    domainBound: !args.noDomainBinding,
    attester: args.attester === "" ? undefined : args.attester,
    roundCapEth: args.roundCap === "" ? undefined : args.roundCap,
    minRoundSeconds: BigInt(args.minRoundSeconds),
    scoreRange: { min: range[0]!, max: range[1]! },
  };
}
