import { expect } from "chai";
import { AbiCoder, getBytes, hexlify } from "ethers";
import { twoCopyCalldata } from "../helpers/calldata-layout.js";
import { deployAttestedRegistry } from "../helpers/attested-fixture.js";
import { REWARD, deployRewardFixture, voiceSamples } from "../helpers/reward-fixture.js";

/**
 * The generated Halo2 verifier hashes the proof at `proof.offset` into its transcript but reads
 * evaluations at fixed calldata offsets, where a canonical encoding puts the proof. Calldata
 * whose proof offset points past the instances to a second copy is valid ABI, and the raw
 * verifier accepts it: what it checks need not be what it hashed. Contracts that forward a
 * caller's bytes to the verifier must refuse such a layout; JudgmentReward re-encodes.
 */
describe("non-canonical verifier calldata (two copies of a proof)", function () {
  it("the raw verifier and the data attester accept it (the hazard); AttestedScoreRegistry refuses it with NonCanonicalCalldata", async function () {
    const { proof, ethers, verifier, attester, registry } = await deployAttestedRegistry();
    const { proof: proofBytes, instances } = proof.args;
    const selector = verifier.interface.getFunction("verifyProof")!.selector;
    const twoCopies = twoCopyCalldata(selector, [], proofBytes, instances);
    expect(twoCopies).to.not.equal(proof.calldata);
    expect(getBytes(twoCopies).length).to.equal(getBytes(proof.calldata).length + 32 + getBytes(proofBytes).length);
    const decoded = verifier.interface.decodeFunctionData("verifyProof", twoCopies);
    expect([decoded[0], [...decoded[1]]]).to.deep.equal([proofBytes, instances]);

    // (a) The hazard: the raw verifier, and the attester that forwards to it, accept the layout.
    const accepted = await ethers.provider.call({ to: await verifier.getAddress(), data: twoCopies });
    expect(AbiCoder.defaultAbiCoder().decode(["bool"], accepted)[0]).to.equal(true);
    expect(await attester.verifyWithDataAttestation(await verifier.getAddress(), twoCopies)).to.equal(true);

    // (b) The registry refuses it, and still records the canonical encoding of the same proof.
    await expect(registry.record(twoCopies)).to.be.revertedWithCustomError(registry, "NonCanonicalCalldata");
    expect(await registry.recordedCount()).to.equal(0n);
    await expect(registry.record(proof.calldata)).to.emit(registry, "ScoreRecorded");
    // Other departures from the canonical bytes: trailing bytes, another selector.
    await expect(registry.record(proof.calldata + "00")).to.be.revertedWithCustomError(registry, "NonCanonicalCalldata");
    await expect(registry.record("0xaf83a18d" + proof.calldata.slice(10))).to.be.revertedWithCustomError(registry, "NonCanonicalCalldata");
  });

  it("JudgmentReward verifies the proof it decodes, re-encoded: a bad decoded copy is refused, two valid copies pay once as the canonical claim", async function () {
    const f = await deployRewardFixture();
    const x = (await voiceSamples())["0.95"]!;
    const p = await f.prove(x, f.alice.address);
    const { proof, instances } = p.args;
    const selector = f.reward.interface.getFunction("claim")!.selector;
    const claimWith = (decodedProof: string) =>
      f.bot.sendTransaction({
        to: f.reward.getAddress(),
        data: twoCopyCalldata(selector, [BigInt(f.alice.address)], proof, instances, [REWARD], decodedProof),
        gasLimit: 2_000_000,
      });

    // A valid proof where the verifier's fixed offsets would read, a broken one where the claim decodes.
    const broken = getBytes(proof);
    broken[200]! ^= 0xff;
    await expect(claimWith(hexlify(broken))).to.be.revertedWithCustomError(f.reward, "InvalidProof");

    // Both copies valid: paid once, for the same commitment as the canonical claim.
    await expect(claimWith(proof))
      .to.emit(f.reward, "Claimed")
      .withArgs(f.alice.address, f.bot.address, 0n, await f.reward.commitmentOf(proof, instances), instances[1], REWARD);
    await expect(f.reward.claim(f.alice.address, proof, instances, REWARD)).to.be.revertedWithCustomError(
      f.reward,
      "CommitmentAlreadyPaid",
    );
  });
});
