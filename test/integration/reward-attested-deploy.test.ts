import { expect } from "chai";
import { parseEther } from "ethers";
import hre, { network } from "hardhat";
import { proveAndClaim } from "../../tasks/lib/deploy/claim-reward.js";
import { deployJudgeReward } from "../../tasks/lib/deploy/deploy-reward.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { parseDealOptions } from "@hardhat-zkml/core/reward/options.js";
import { openProver } from "../helpers/fixtures.js";
import { MODEL, voiceSamples } from "../helpers/reward-fixture.js";
import { expectDeliberate } from "../helpers/errors.js";

describe("attested reward through Ignition (zk deploy --attester, zk claim --attester-account)", function () {
  it("deploys with an attester, pays a claim the attester signed, and refuses one without a signature", async function () {
    const judge = new JudgeProver(await openProver(MODEL));
    const connection = await network.create();
    const [, alice, , attester] = await connection.ethers.getSigners();
    const deal = parseDealOptions({
      threshold: 0.5,
      noDomainBinding: false,
      attester: attester!.address,
      minRoundSeconds: 3600,
      scoreRange: "0,1",
    });
    const deployed = await deployJudgeReward(connection, hre.artifacts, hre.config.zk.models[MODEL]!, judge.prover.files.manifest, {
      ...deal,
      rewardEth: "0.25",
      fundEth: "1",
      allowInsecureSrs: false,
      local: true,
    });
    const reward = await connection.ethers.getContractAt("JudgmentReward", deployed.reward);
    expect(await reward.attester()).to.equal(attester!.address);
    expect(await reward.domainBound()).to.equal(true);
    expect(await reward.minRoundSeconds()).to.equal(3600n);
    expect((await reward.currentDeal()).roundCap).to.equal(parseEther("1"));

    const x = (await voiceSamples())["0.95"]!;
    try {
      await proveAndClaim(connection, judge, deployed.reward, alice!, x);
      expect.fail("an unattested claim on an attested reward must be refused");
    } catch (e) {
      expectDeliberate(e);
      expect((e as Error).message).to.match(/pays only attested recordings; pass the attester/);
    }
    const outcome = await proveAndClaim(connection, judge, deployed.reward, alice!, x, { attester: attester! });
    expect(outcome.paid).to.equal(parseEther("0.25"));
    expect(outcome.attestation!.commitment).to.equal(await reward.commitmentOf(outcome.proved.args.proof, outcome.proved.args.instances));
    await judge.prover.close();
  });

  it("zk deploy's options are checked with the fix", function () {
    const base = { threshold: 0.5, noDomainBinding: false, minRoundSeconds: 3600, scoreRange: "0,1" };
    expect(() => parseDealOptions({ ...base, threshold: 1.5 })).to.throw(
      ZkError,
      /--threshold must be a score within --score-range \[0, 1\]/,
    );
    expect(() => parseDealOptions({ ...base, scoreRange: "1,0" })).to.throw(ZkError, /--score-range must be min,max/);
    expect(() => parseDealOptions({ ...base, minRoundSeconds: -1 })).to.throw(ZkError, /--min-round-seconds/);
    expect(parseDealOptions({ ...base, threshold: -1.5, scoreRange: "-8,8", noDomainBinding: true })).to.deep.include({
      threshold: -1.5,
      domainBound: false,
      scoreRange: { min: -8, max: 8 },
    });
  });
});
