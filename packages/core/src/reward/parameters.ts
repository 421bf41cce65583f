import { ZeroAddress, isAddress, parseEther } from "ethers";
import type { ZkModelConfig } from "../config-types.js";
import { ZkError } from "../errors.js";
import type { Manifest } from "../manifest.js";
import { PROBABILITY, rewardCommitment, rewardLayout, thresholdFelt, type ScoreRange } from "./layout.js";

export interface RewardDeal {
  threshold: number;
  rewardEth: string;
  fundEth: string;
  domainBound: boolean;
  attester?: string;
  roundCapEth?: string;
  minRoundSeconds?: bigint;
  scoreRange?: ScoreRange;
}

const eth = (name: string, value: string): bigint => {
  try {
    return parseEther(value);
  } catch {
    throw new ZkError(`${name} must be an amount of ETH such as 0.01 (got "${value}")`);
  }
};

/** The JudgmentReward Ignition module's parameters for a model, validated before anything is sent. */
export function rewardParameters(model: ZkModelConfig, manifest: Manifest, d: RewardDeal) {
  const layout = rewardLayout(model, manifest, d.scoreRange ?? PROBABILITY);
  const rewardAmount = eth("--reward", d.rewardEth);
  const fund = eth("--fund", d.fundEth);
  const roundCap = d.roundCapEth !== undefined ? eth("--round-cap", d.roundCapEth) : fund;
  if (roundCap < rewardAmount)
    throw new ZkError(
      `the round cap (${d.roundCapEth ?? d.fundEth} ETH) is below one reward (${d.rewardEth} ETH); raise --round-cap or --fund`,
    );
  if (d.attester !== undefined && !isAddress(d.attester))
    throw new ZkError(`--attester ${d.attester} is not an address (0x + 40 hex digits)`);
  return {
    layout: {
      count: layout.count,
      recipientIndex: layout.recipientIndex,
      scoreIndex: layout.scoreIndex,
      scoreMin: layout.scoreMin,
      scoreMax: layout.scoreMax,
    },
    commitment: rewardCommitment(model, manifest),
    deal: { threshold: thresholdFelt(d.threshold, layout), rewardAmount, roundCap },
    attester: d.attester ?? ZeroAddress,
    domainBound: d.domainBound,
    minRoundSeconds: d.minRoundSeconds ?? 3600n,
    fund,
  };
}
