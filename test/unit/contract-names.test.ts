import { expect } from "chai";
import {
  attesterName,
  contractPrefix,
  deployedVerifierRoles,
  generatedContractNames,
  rewardModuleId,
  verifierNames,
} from "@hardhat-zkml/core/contract-names.js";

describe("contract names (one home for every generated contract's name)", function () {
  it("prefixes a model's contracts with its name in PascalCase, never starting with a digit", function () {
    expect(contractPrefix("tinyMlp")).to.equal("TinyMlp");
    expect(contractPrefix("voice-judge_small")).to.equal("VoiceJudgeSmall");
    expect(contractPrefix("2layer")).to.equal("M2layer");
  });

  it("names the verifier, reusable verifier, VK artifact, attester and reward module", function () {
    expect(verifierNames("voiceJudgeSmall")).to.deep.equal({
      verifier: "VoiceJudgeSmallVerifier",
      reusableVerifier: "VoiceJudgeSmallReusableVerifier",
      vka: "VoiceJudgeSmallVerifyingKey",
    });
    expect(attesterName("fraudScore")).to.equal("FraudScoreDataAttester");
    expect(rewardModuleId("voiceJudge")).to.equal("VoiceJudgeReward");
  });

  it("deploys one verifier in single mode, the reusable verifier and its VK artifact otherwise", function () {
    expect(deployedVerifierRoles("single")).to.deep.equal(["verifier"]);
    expect(deployedVerifierRoles("reusable")).to.deep.equal(["reusableVerifier", "vka"]);
  });

  it("lists every contract `zk clean` removes", function () {
    expect(generatedContractNames("tinyConv")).to.deep.equal([
      "TinyConvVerifier",
      "TinyConvReusableVerifier",
      "TinyConvVerifyingKey",
      "TinyConvDataAttester",
    ]);
  });
});
