import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { IgnitionModuleResult } from "@nomicfoundation/ignition-core";
import type { VerifierKind } from "@hardhat-zkml/core/config-types.js";
import { rewardModuleId, verifierModuleId, verifierNames } from "@hardhat-zkml/core/contract-names.js";

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Verifier (per-model, or reusable + VK artifact) and a funded JudgmentReward for one
 * model. Shipped in the package as `hardhat-zkml/ignition`. Parameters (per network):
 *   layout          { count, recipientIndex, scoreIndex, scoreMin, scoreMax } (@hardhat-zkml/core/reward/layout.js)
 *   commitment      { source, at, length }: where the input commitment sits (manifest inputCommitment)
 *   deal            { threshold (signed fixed point), rewardAmount, roundCap (wei) }
 *   attester        EOA or ERC-1271 contract signing each claim; zero address for open mode
 *   domainBound     default true; minRoundSeconds default 3600; fund in wei
 */
export function judgeRewardModule(model: string, kind: VerifierKind) {
  const names = verifierNames(model);
  return buildModule(rewardModuleId(model), (m): IgnitionModuleResult<string> => {
    const layout = m.getParameter("layout");
    const commitment = m.getParameter("commitment");
    const deal = m.getParameter("deal");
    const attester = m.getParameter("attester", ZERO);
    const fund = m.getParameter("fund", 0n);
    const domainBound = m.getParameter("domainBound", true);
    const minRoundSeconds = m.getParameter("minRoundSeconds", 3600n);
    if (kind === "single") {
      const verifier = m.contract(names.verifier);
      const reward = m.contract("JudgmentReward", [verifier, ZERO, layout, commitment, attester, domainBound, deal, minRoundSeconds]);
      m.send("FundReward", reward, fund);
      return { verifier, reward };
    }
    const verifier = m.contract(names.reusableVerifier);
    const verifyingKey = m.contract(names.vka);
    const reward = m.contract("JudgmentReward", [verifier, verifyingKey, layout, commitment, attester, domainBound, deal, minRoundSeconds]);
    m.send("FundReward", reward, fund);
    return { verifier, verifyingKey, reward };
  });
}

/**
 * A model's verifier alone (per-model, or reusable + VK artifact): what `zk deploy
 * --verifier-only` deploys, for any model. No parameters.
 */
export function verifierModule(model: string, kind: VerifierKind) {
  const names = verifierNames(model);
  return buildModule(verifierModuleId(model), (m): IgnitionModuleResult<string> => {
    if (kind === "single") return { verifier: m.contract(names.verifier) };
    return { verifier: m.contract(names.reusableVerifier), verifyingKey: m.contract(names.vka) };
  });
}
