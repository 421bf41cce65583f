import * as chai from "chai";
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { ProofResult } from "@hardhat-zkml/core/prover/model-prover.js";
import { chaiZk } from "../../tasks/lib/testing/index.js";
import { buildModel, ctx } from "../helpers/fixtures.js";

chai.use(chaiZk);

/** The typed API on a network connection: `const { zk } = await network.create()`. */
describe("zk on a network connection", function () {
  let connection: NetworkConnection;
  let proof: ProofResult;
  let features: number[];

  before(async function () {
    await buildModel("voiceJudgeSmall");
    connection = await network.create();
    const samples = JSON.parse(await readFile(path.join(ctx.root, "models", "voiceJudgeSmall", "samples.json"), "utf8"));
    features = samples["0.95"] as number[];
  });

  after(async function () {
    await connection.close();
  });

  it("proves for a signer: the proof binds that signer's address, shown as an address among the instances", async function () {
    const [, alice] = await connection.ethers.getSigners();
    proof = await connection.zk.model("voiceJudgeSmall").prove([features], { prover: alice! });
    expect(proof.boundAddress).to.equal(alice!.address);
    expect(proof.instances).to.have.length(2);
    const [bound, score] = [proof.instances.find((s) => s.address !== undefined)!, proof.instances.find((s) => s.address === undefined)!];
    expect(bound).to.include({ address: alice!.address, value: null });
    expect(bound.felt).to.equal(BigInt(alice!.address));
    expect(score.value).to.be.within(0.5, 1);
  });

  it("verifies off-chain, and rejects a proof whose instances were altered", async function () {
    const judge = connection.zk.model("voiceJudgeSmall");
    expect(await judge.verify(proof)).to.equal(true);
    const altered = JSON.parse(new TextDecoder().decode(proof.proofJson));
    altered.instances[0][1] = altered.instances[0][1].replace(/^./, (c: string) => (c === "0" ? "1" : "0"));
    expect(await judge.verify(new TextEncoder().encode(JSON.stringify(altered)))).to.equal(false);
  });

  it("encodes verifyProof calldata, and deploys a verifier that accepts the proof on this connection's chain", async function () {
    const judge = connection.zk.model("voiceJudgeSmall");
    const calldata = await judge.calldata(proof);
    expect(calldata).to.equal(proof.calldata);
    expect(calldata.slice(0, 10)).to.equal("0x1e8e1e13");
    const { verifier, verifyingKey } = await judge.deployVerifier();
    expect(verifyingKey).to.equal(undefined);
    await expect(proof).to.verifyOn(verifier);
    const tx = await connection.ethers.provider.call({ to: await verifier.getAddress(), data: calldata });
    expect(BigInt(tx)).to.equal(1n); // returns true
  });

  it("gives the judge view of a bound-address model", async function () {
    const judge = await connection.zk.model("voiceJudgeSmall").judge();
    const judgment = judge.judgmentOf(proof);
    expect(judgment.recipient).to.equal(proof.boundAddress);
    expect(judgment.score).to.be.greaterThan(0.5);
  });

  it("names the configured models when asked for an unknown one", function () {
    // Untyped on purpose: with the generated model registry an unknown name does not compile.
    const zk = connection.zk as unknown as { model(name: string): unknown };
    expect(() => zk.model("noSuchModel")).to.throw(ZkError, /unknown model "noSuchModel"; configured models: .*voiceJudgeSmall/);
  });
});
