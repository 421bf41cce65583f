import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { IgnitionModuleResult } from "@nomicfoundation/ignition-core";
import { contractPrefix } from "../artifacts.js";
import type { VerifierKind } from "../config-types.js";
import { verifierNames } from "../pipeline/generate-verifier.js";

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Verifier (per-model, or reusable + VK artifact) and a funded JudgmentReward for one
 * model. Shipped in the package as `hardhat-zkml/ignition`. Parameters (per network):
 *   layout        { count, recipientIndex, scoreIndex, scoreOne } from the model's manifest
 *   threshold     minimum score in fixed point; rewardAmount and fund in wei; domainBound
 */
export function judgeRewardModule(model: string, kind: VerifierKind) {
  const names = verifierNames(model);
  return buildModule(`${contractPrefix(model)}Reward`, (m): IgnitionModuleResult<string> => {
    const layout = m.getParameter("layout");
    const threshold = m.getParameter("threshold");
    const rewardAmount = m.getParameter("rewardAmount", 10n ** 16n);
    const fund = m.getParameter("fund", 0n);
    const domainBound = m.getParameter("domainBound", false);
    if (kind === "single") {
      const verifier = m.contract(names.verifier);
      const reward = m.contract("JudgmentReward", [verifier, ZERO, layout, domainBound, threshold, rewardAmount]);
      m.send("FundReward", reward, fund);
      return { verifier, reward };
    }
    const verifier = m.contract(names.reusableVerifier);
    const verifyingKey = m.contract(names.vka);
    const reward = m.contract("JudgmentReward", [verifier, verifyingKey, layout, domainBound, threshold, rewardAmount]);
    m.send("FundReward", reward, fund);
    return { verifier, verifyingKey, reward };
  });
}
