import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * fraudScore with its data source: TransactionFeatures (the on-chain inputs), the
 * verifier, the ezkl data attester reading features(), and a registry that records
 * attested scores. Parameters: initialFeatures (int256[4]), decimals, bits (from the
 * manifest's `attester` entry), scoreIndex.
 */
export default buildModule("FraudScoreAttested", (m) => {
  const source = m.contract("TransactionFeatures", [m.getParameter("initialFeatures")]);
  const verifier = m.contract("FraudScoreVerifier");
  const callData = m.encodeFunctionCall(source, "features", []);
  const attester = m.contract("FraudScoreDataAttester", [
    source,
    callData,
    m.getParameter("decimals"),
    m.getParameter("bits"),
    m.getParameter("instanceOffset", 0),
  ]);
  const registry = m.contract("AttestedScoreRegistry", [attester, verifier, m.getParameter("scoreIndex")]);
  return { source, verifier, attester, registry };
});
