import type { RewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import type { ServedModel } from "./model-catalog.js";

/** What the page needs to know before it records: the model, whether it may open sessions, the relayer and the reward's deal. */
export interface PageConfig {
  model: string | null;
  pageSessions: boolean;
  relayer: { address: string } | null;
  reward: {
    address: string;
    chainId: string;
    round: string;
    threshold: string;
    amount: string;
    mode: "attested" | "open";
    /** Proofs bind the domain key (chain, contract, round, recipient), not the bare address. */
    domainBound: boolean;
  } | null;
  expectedProofSeconds: number | null;
}

/** The fixed-point scale of a judge model's score output (its instance slot), if it has one. */
export function scoreScaleOf(served: ServedModel | undefined): number | undefined {
  const bound = served?.boundAddress;
  return served?.instances.find((s) => s.source === "output" && bound !== undefined && s.tensor !== bound.output)?.scale;
}

/** A signed fixed-point value (the contract's threshold or a score) as a decimal string: 64 at scale 7 is "0.5". */
export function fixedPointText(value: bigint, scale: number): string {
  return String(Number(value) / 2 ** scale);
}

export function pageConfig(p: {
  model: ServedModel | undefined;
  pageSessions: boolean;
  relayer: string | undefined;
  terms: RewardTerms | undefined;
  expectedRunMs: number | undefined;
}): PageConfig {
  const scale = scoreScaleOf(p.model);
  const t = p.terms;
  return {
    model: p.model?.name ?? null,
    pageSessions: p.pageSessions,
    relayer: p.relayer === undefined ? null : { address: p.relayer },
    reward:
      t === undefined || scale === undefined
        ? null
        : {
            address: t.address,
            chainId: t.chainId.toString(),
            round: t.round.toString(),
            threshold: fixedPointText(t.threshold, scale),
            amount: t.rewardAmount.toString(),
            mode: t.attester === undefined ? "open" : "attested",
            domainBound: t.domainBound,
          },
    expectedProofSeconds: p.expectedRunMs === undefined ? null : Math.round(p.expectedRunMs) / 1000,
  };
}
