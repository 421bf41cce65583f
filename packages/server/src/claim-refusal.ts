import { formatEther, isError, type Interface } from "ethers";
import { describeChainError, revertData } from "@hardhat-zkml/core/chain-errors.js";
import { describeClaimFailure } from "@hardhat-zkml/core/reward/claim-failure.js";
import { fixedPointText } from "./page-config.js";
import { HttpProblem, problemType } from "./problem.js";

/** A refusal of the relayed claim with a type of its own, so the page can say it in its words. */
export function claimProblem(
  status: number,
  name: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): HttpProblem {
  return new HttpProblem(status, title, detail, headers, problemType(name));
}

const eth = (wei: bigint) => `${formatEther(wei)} ETH`;

/**
 * Why JudgmentReward refused a claim (in its simulation or its transaction), as the problem
 * the client gets: already paid, below the threshold, a reward that cannot pay, any other
 * refusal in words; a chain that does not answer is a 502. `scoreScale` turns the contract's
 * fixed-point score and threshold into decimals.
 */
export function claimRefusal(e: unknown, iface: Interface, scoreScale: number | undefined): HttpProblem {
  if (isError(e, "INSUFFICIENT_FUNDS"))
    return claimProblem(
      503,
      "relayer-unfunded",
      "relayer unfunded",
      "the relayer account has too little ETH to pay the claim's gas; its operator must fund it",
    );
  const data = revertData(e);
  if (data === undefined)
    return claimProblem(502, "chain-unavailable", "chain unavailable", `the chain did not answer the claim (${describeChainError(e)})`);
  const parsed = data.length >= 10 ? iface.parseError(data) : null;
  const decimal = (v: bigint) => (scoreScale === undefined ? v.toString() : fixedPointText(v, scoreScale));
  const [x, y] = (parsed?.args ?? []) as unknown as [bigint, bigint];
  const cannotPay = (detail: string) => claimProblem(409, "reward-cannot-pay", "reward cannot pay", detail);
  const known: Record<string, () => HttpProblem> = {
    CommitmentAlreadyPaid: () =>
      claimProblem(409, "already-paid", "already paid", "this recording's judgment was already paid; there is nothing more to claim"),
    ScoreBelowThreshold: () =>
      claimProblem(422, "below-threshold", "below threshold", `score ${decimal(x)} is below the reward's threshold ${decimal(y)}`),
    InsufficientFunds: () => cannotPay(`the reward holds ${eth(x)} and pays ${eth(y)}; its owner must fund it`),
    RoundCapReached: () => cannotPay(`the reward has paid ${eth(x)} of this round's cap of ${eth(y)}; claim in the next round`),
    EnforcedPause: () => cannotPay("claims are paused by the reward's owner"),
  };
  const answer = parsed === null ? undefined : known[parsed.name];
  if (answer !== undefined) return answer();
  return claimProblem(422, "claim-refused", "claim refused", `the reward refuses the claim: ${describeClaimFailure(e, iface)}`);
}
