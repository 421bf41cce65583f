import { ZkError } from "../errors.js";
import type { RewardDeal } from "./parameters.js";

/** `zk deploy`'s reward options (strings from the command line) as a checked deal. */
export function parseDealOptions(args: {
  threshold: number;
  noDomainBinding: boolean;
  attester?: string;
  roundCap?: string;
  minRoundSeconds: number;
  scoreRange: string;
}): Omit<RewardDeal, "rewardEth" | "fundEth"> {
  const range = args.scoreRange.split(",").map((v) => Number(v.trim()));
  if (range.length !== 2 || !range.every(Number.isFinite) || !(range[0]! < range[1]!)) {
    throw new ZkError(`--score-range must be min,max with min < max, e.g. 0,1 or -8,8 (got "${args.scoreRange}")`);
  }
  const threshold = args.threshold;
  if (!Number.isFinite(threshold) || threshold < range[0]! || threshold > range[1]!) {
    throw new ZkError(`--threshold must be a score within --score-range [${range[0]}, ${range[1]}] (got ${args.threshold})`);
  }
  if (!Number.isSafeInteger(args.minRoundSeconds) || args.minRoundSeconds < 0)
    throw new ZkError(`--min-round-seconds must be a whole number of seconds, 0 or more (got ${args.minRoundSeconds})`);
  return {
    threshold,
    domainBound: !args.noDomainBinding,
    attester: args.attester,
    roundCapEth: args.roundCap,
    minRoundSeconds: BigInt(args.minRoundSeconds),
    scoreRange: { min: range[0]!, max: range[1]! },
  };
}
