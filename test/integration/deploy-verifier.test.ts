import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import type { ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";
import { verifyOnChain } from "@hardhat-zkml/core/prover/verify-onchain.js";
import type { DeployedVerifier } from "../../tasks/lib/deploy/deploy-reward.js";
import { buildModel, openProver } from "../helpers/fixtures.js";
import { expectDeliberate } from "../helpers/errors.js";
import { captureLog } from "../helpers/temp-project.js";

/** `zk deploy --verifier-only` on the in-process network, for models without boundAddress. */
describe("zk deploy --verifier-only", function () {
  const deploy = async (args: Record<string, unknown>) => {
    let deployed: DeployedVerifier | undefined;
    const printed = await captureLog(async () => {
      deployed = (await hre.tasks.getTask(["zk", "deploy"]).run(args)) as DeployedVerifier;
    });
    return { deployed: deployed!, printed };
  };

  it("deploys tinyMlp's verifier (no boundAddress), prints its address, and a tinyMlp proof verifies there", async function () {
    await buildModel("tinyMlp");
    const { deployed, printed } = await deploy({ model: "tinyMlp", verifierOnly: true });
    expect(printed).to.include(`verifier       ${deployed.verifier}`);
    expect(printed).to.not.include("JudgmentReward");
    expect(deployed.verifyingKey).to.equal(undefined);
    const { ethers } = await hre.network.getOrCreate();
    expect(await ethers.provider.getCode(deployed.verifier)).to.not.equal("0x");
    const prover = await openProver("tinyMlp");
    try {
      const input = JSON.parse(await readFile(path.join(hre.config.paths.root, "models", "tinyMlp", "input.json"), "utf8"));
      const proof = await prover.prove(input.input_data as ModelInputs);
      expect(await verifyOnChain(ethers.provider, deployed.verifier, proof.calldata)).to.deep.equal({ valid: true });
    } finally {
      await prover.close();
    }
  });

  it("deploys a reusable verifier with its VK artifact (tinyConv), both with code", async function () {
    await buildModel("tinyConv");
    const { deployed, printed } = await deploy({ model: "tinyConv", verifierOnly: true });
    expect(printed).to.include(`verifying key  ${deployed.verifyingKey}`);
    const { ethers } = await hre.network.getOrCreate();
    expect(await ethers.provider.getCode(deployed.verifier)).to.not.equal("0x");
    expect(await ethers.provider.getCode(deployed.verifyingKey!)).to.not.equal("0x");
    expect(deployed.footprints.map((f) => f.contract)).to.deep.equal(["TinyConvReusableVerifier", "TinyConvVerifyingKey"]);
  });

  it("without --verifier-only, a model without boundAddress is refused with both ways forward", async function () {
    const refused = await deploy({ model: "tinyMlp" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expectDeliberate(refused);
    expect((refused as Error).message).to.equal(
      'model "tinyMlp" has no boundAddress; a reward needs the prover\'s address in the proof: set zk.models.tinyMlp.boundAddress = true ' +
        "(the build adds it), or deploy only the verifier with `npx hardhat zk deploy --model tinyMlp --verifier-only`",
    );
  });
});
