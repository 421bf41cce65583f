import { expect } from "chai";
import path from "node:path";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import workspaceConfig from "../../hardhat.config.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { rewardLayout } from "@hardhat-zkml/core/reward/layout.js";
import { ROOT, captureLog } from "../helpers/temp-project.js";

const MODEL = "voiceJudgeSmall";

/** `npx hardhat zk info` on the workspace's voiceJudgeSmall (built in artifacts-zk): where its address goes and which instance is the score. */
describe("zk info: the bound address and the score of a judge model", function () {
  let hre: HardhatRuntimeEnvironment;

  before(async function () {
    hre = await createHardhatRuntimeEnvironment(workspaceConfig, {}, ROOT);
  });

  it("prints where the address enters and leaves and which public instance is the score, as the reward's layout reads them", async function () {
    const printed = (await captureLog(() => hre.tasks.getTask(["zk", "info"]).run({ model: MODEL }))).split("\n");
    expect(printed).to.include.members([
      "  public instances (2):",
      "    [0] output 0, element 0, scale 2^7",
      "    [1] output 1, element 0, scale 2^7",
      "  bound address: enters at input 0 (key), leaves at output 0 (key_out) = public instance [0] (the reward's recipientIndex); " +
        "written in the model (boundAddress: { input: 0, output: 0 })",
      "  score: output 1 (score), element 0 = public instance [1] (the reward's scoreIndex), scale 2^7",
    ]);
    // The lines follow the instance list, address first.
    const at = printed.findIndex((line) => line.startsWith("  bound address: "));
    expect(printed[at - 1]).to.equal("    [1] output 1, element 0, scale 2^7");
    expect(printed[at + 1]).to.match(/^ {2}score: /);

    // The same slots JudgmentReward is deployed with.
    const model = hre.config.zk.models[MODEL]!;
    const manifest = (await readManifest(modelArtifacts(path.join(ROOT, "artifacts-zk"), MODEL).manifest))!;
    const layout = rewardLayout(model, manifest);
    expect([layout.recipientIndex, layout.scoreIndex]).to.deep.equal([0n, 1n]);
  });

  it("prints no binding lines for a model without a bound address", async function () {
    const printed = await captureLog(() => hre.tasks.getTask(["zk", "info"]).run({ model: "tinyMlp" }));
    expect(printed).to.match(/^tinyMlp: logrows \d+/);
    expect(printed).to.not.include("bound address:").and.not.include("score:");
  });
});
