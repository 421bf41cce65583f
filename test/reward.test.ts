import * as chai from "chai";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { FIELD_MODULUS } from "../tasks/lib/felt.js";
import type { ProofResult } from "../tasks/lib/prover/model-prover.js";
import { domainKey } from "../tasks/lib/reward/domain-key.js";
import { chaiZk } from "../tasks/lib/testing/chai-zk.js";
import { cachedProof } from "../tasks/lib/prover/proof-cache.js";
import { ctx, openProver } from "./helpers/fixtures.js";
import { REWARD, deployRewardFixture, voiceSamples } from "./helpers/reward-fixture.js";

chai.use(chaiZk);

type Fixture = Awaited<ReturnType<typeof deployRewardFixture>>;

describe("JudgmentReward: pays the address bound in the proof", function () {
  let f: Fixture;
  let samples: Record<string, number[]>;
  let alicePleasant: ProofResult;
  let aliceAgain: ProofResult;

  // A proof's (bytes, instances) with the instances replaced.
  const withInstances = (p: ProofResult, instances: bigint[]) => [p.args.proof, instances] as const;

  beforeEach(async function () {
    f = await deployRewardFixture();
    samples ??= await voiceSamples();
    alicePleasant ??= await f.prove(samples["0.95"]!, f.alice.address);
    // A different recording that earns the same judgment: a fresh proof by Alice.
    aliceAgain ??= await f.prove(samples["0.95"]!.map((v) => v * 0.99), f.alice.address);
  });

  it("pays the bound address, not the sender", async function () {
    const before = await f.ethers.provider.getBalance(f.alice.address);
    await expect(f.reward.connect(f.carol).claim(alicePleasant.args.proof, alicePleasant.args.instances))
      .to.emit(f.reward, "Claimed").withArgs(f.alice.address, f.carol.address, 0n, alicePleasant.args.instances[1], REWARD);
    expect(await f.ethers.provider.getBalance(f.alice.address)).to.equal(before + REWARD);
  });

  describe("a. front-running", function () {
    it("a bot that copies Alice's pending claim pays Alice and gains nothing; Alice's own claim then fails as already claimed", async function () {
      const alice0 = await f.ethers.provider.getBalance(f.alice.address);
      const bot0 = await f.ethers.provider.getBalance(f.bot.address);
      const tx = await f.reward.connect(f.bot).claim(alicePleasant.args.proof, alicePleasant.args.instances);
      const receipt = (await tx.wait())!;
      const gas = receipt.gasUsed * receipt.gasPrice;
      expect(await f.ethers.provider.getBalance(f.alice.address)).to.equal(alice0 + REWARD);
      expect(await f.ethers.provider.getBalance(f.bot.address)).to.equal(bot0 - gas);
      await expect(f.reward.connect(f.alice).claim(alicePleasant.args.proof, alicePleasant.args.instances))
        .to.be.revertedWithCustomError(f.reward, "AlreadyClaimed").withArgs(f.alice.address, 0n);
    });
  });

  describe("a'. front-running through the mempool", function () {
    it("a bot that sees Alice's pending claim and outbids it still pays Alice; Alice's transaction reverts", async function () {
      const provider = f.ethers.provider;
      const alice0 = await provider.getBalance(f.alice.address);
      await f.connection.provider.request({ method: "evm_setAutomine", params: [false] });
      try {
        const aliceTx = await f.reward.connect(f.alice).claim(alicePleasant.args.proof, alicePleasant.args.instances, { gasLimit: 2_000_000, gasPrice: 2_000_000_000n });
        // The bot reads the pending transaction and resubmits its calldata with a higher price.
        const pending = await provider.getTransaction(aliceTx.hash);
        const botTx = await f.bot.sendTransaction({ to: pending!.to, data: pending!.data, gasLimit: 2_000_000, gasPrice: 5_000_000_000n });
        await f.connection.provider.request({ method: "evm_mine", params: [] });
        const botReceipt = (await provider.getTransactionReceipt(botTx.hash))!;
        const aliceReceipt = (await provider.getTransactionReceipt(aliceTx.hash))!;
        expect(botReceipt.blockNumber).to.equal(aliceReceipt.blockNumber);
        expect(botReceipt.index).to.be.lessThan(aliceReceipt.index);
        expect(botReceipt.status).to.equal(1);
        expect(aliceReceipt.status).to.equal(0);
        const claimed = f.reward.interface.parseLog(botReceipt.logs[0]!)!;
        expect(claimed.name).to.equal("Claimed");
        expect(claimed.args.recipient).to.equal(f.alice.address);
        expect(claimed.args.submitter).to.equal(f.bot.address);
        const aliceGas = aliceReceipt.gasUsed * aliceReceipt.gasPrice;
        expect(await provider.getBalance(f.alice.address)).to.equal(alice0 + REWARD - aliceGas);
      } finally {
        await f.connection.provider.request({ method: "evm_setAutomine", params: [true] });
      }
    });
  });

  describe("b. replay", function () {
    it("rejects the same proof twice", async function () {
      await f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances);
      await expect(f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances))
        .to.be.revertedWithCustomError(f.reward, "AlreadyClaimed");
    });

    it("rejects a fresh proof by an address already paid this round", async function () {
      await f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances);
      expect(alicePleasant.args.proof).to.not.equal(aliceAgain.args.proof);
      await expect(f.reward.claim(aliceAgain.args.proof, aliceAgain.args.instances))
        .to.be.revertedWithCustomError(f.reward, "AlreadyClaimed").withArgs(f.alice.address, 0n);
    });

    it("in a new round an old proof stays spent but a fresh one pays", async function () {
      await f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances);
      await f.reward.startNewRound();
      await expect(f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances))
        .to.be.revertedWithCustomError(f.reward, "ProofAlreadyUsed");
      await expect(f.reward.claim(aliceAgain.args.proof, aliceAgain.args.instances))
        .to.emit(f.reward, "Claimed").withArgs(f.alice.address, f.owner.address, 1n, aliceAgain.args.instances[1], REWARD);
    });
  });

  describe("c. altered instances", function () {
    const [ADDR, SCORE] = [0, 1];
    const altered = (i: number, value: bigint) => {
      const inst = [...alicePleasant.args.instances];
      inst[i] = value;
      return inst;
    };

    it("another address", async function () {
      await expect(f.reward.claim(...withInstances(alicePleasant, altered(ADDR, BigInt(f.bot.address)))))
        .to.be.revertedWithCustomError(f.reward, "InvalidProof");
    });

    it("a raised score", async function () {
      await expect(f.reward.claim(...withInstances(alicePleasant, altered(SCORE, alicePleasant.args.instances[SCORE]! + 1n))))
        .to.be.revertedWithCustomError(f.reward, "InvalidProof");
    });

    it("an instance plus the field modulus", async function () {
      await expect(f.reward.claim(...withInstances(alicePleasant, altered(ADDR, alicePleasant.args.instances[ADDR]! + FIELD_MODULUS))))
        .to.be.revertedWithCustomError(f.reward, "RecipientOutOfRange");
      await expect(f.reward.claim(...withInstances(alicePleasant, altered(SCORE, alicePleasant.args.instances[SCORE]! + FIELD_MODULUS))))
        .to.be.revertedWithCustomError(f.reward, "ScoreOutOfRange");
      // The verifier itself refuses any instance >= r, whatever the contract checks first.
      await expect(f.verifier.verifyProof(...withInstances(alicePleasant, altered(SCORE, alicePleasant.args.instances[SCORE]! + FIELD_MODULUS))))
        .to.be.rejectedAsInvalidProof();
    });

    it("an address instance >= 2^160", async function () {
      await expect(f.reward.claim(...withInstances(alicePleasant, altered(ADDR, alicePleasant.args.instances[ADDR]! + (1n << 160n)))))
        .to.be.revertedWithCustomError(f.reward, "RecipientOutOfRange");
    });

    it("a score below the threshold is refused even with a valid proof", async function () {
      const low = await f.prove(samples["0.05"]!, f.carol.address);
      expect(low.args.instances[1]).to.be.lessThan(await f.reward.threshold());
      await expect(low).to.verifyOn(f.verifier as never);
      await expect(f.reward.claim(low.args.proof, low.args.instances)).to.be.revertedWithCustomError(f.reward, "ScoreBelowThreshold");
    });
  });

  describe("d. broken proofs", function () {
    it("flipped proof bytes", async function () {
      const bytes = Buffer.from(alicePleasant.args.proof.slice(2), "hex");
      bytes[200] ^= 0xff;
      await expect(f.reward.claim("0x" + bytes.toString("hex"), alicePleasant.args.instances)).to.be.revertedWithCustomError(f.reward, "InvalidProof");
    });

    it("a truncated proof", async function () {
      await expect(f.reward.claim(alicePleasant.args.proof.slice(0, -64), alicePleasant.args.instances)).to.be.revertedWithCustomError(f.reward, "InvalidProof");
    });

    it("a proof for another model", async function () {
      const tiny = await openProver("tinyMlp");
      const other = await cachedProof(tiny, ctx.artifactsDir, [[0.1, -0.2, 0.3, 0.4]]);
      await expect(f.reward.claim(other.args.proof, other.args.instances))
        .to.be.revertedWithCustomError(f.reward, "WrongInstanceCount").withArgs(1n, 2n);
      await expect(f.reward.claim(other.args.proof, alicePleasant.args.instances)).to.be.revertedWithCustomError(f.reward, "InvalidProof");
    });
  });

  describe("e. cross-deployment and cross-chain replay (domain-bound mode)", function () {
    it("a proof bound to one deployment pays there and fails on another deployment or chain", async function () {
      const d = await deployRewardFixture({ domainBound: true });
      const rewardA = d.reward;
      const rewardB = await d.deployReward(true);
      const chainId = (await d.ethers.provider.getNetwork()).chainId;
      const keyA = domainKey(chainId, await rewardA.getAddress(), d.alice.address);
      expect(keyA).to.equal(await rewardA.domainKey(d.alice.address));
      const proof = await d.prove(samples["0.95"]!, keyA);

      await expect(rewardB.claimFor(d.alice.address, proof.args.proof, proof.args.instances))
        .to.be.revertedWithCustomError(rewardB, "DomainMismatch");
      await expect(rewardA.connect(d.bot).claimFor(d.bot.address, proof.args.proof, proof.args.instances))
        .to.be.revertedWithCustomError(rewardA, "DomainMismatch");
      await expect(rewardA.claim(proof.args.proof, proof.args.instances))
        .to.be.revertedWithCustomError(rewardA, "WrongClaimMode");
      await expect(rewardA.connect(d.bot).claimFor(d.alice.address, proof.args.proof, proof.args.instances))
        .to.emit(rewardA, "Claimed").withArgs(d.alice.address, d.bot.address, 0n, proof.args.instances[1], REWARD);

      // The same deployment address on another chain (chain id 1) derives another key.
      const otherChain = await d.prove(samples["0.95"]!, domainKey(1n, await rewardB.getAddress(), d.alice.address));
      await expect(rewardB.claimFor(d.alice.address, otherChain.args.proof, otherChain.args.instances))
        .to.be.revertedWithCustomError(rewardB, "DomainMismatch");
    });
  });

  describe("f. reentrancy", function () {
    it("a recipient that re-enters claim on payment is refused and paid once", async function () {
      const attacker = await f.ethers.deployContract("ReentrantRecipient");
      const address = await attacker.getAddress();
      const first = await f.prove(samples["0.95"]!, address);
      const second = await f.prove(samples["0.95"]!.map((v) => v * 0.98), address);
      await attacker.arm(await f.reward.getAddress(), second.args.proof, second.args.instances);
      await f.reward.claim(first.args.proof, first.args.instances);
      expect(await attacker.reentryAttempted()).to.equal(true);
      expect(await attacker.reentryRefused()).to.equal(true);
      expect(await f.ethers.provider.getBalance(address)).to.equal(REWARD);
    });
  });

  describe("owner controls", function () {
    it("pause stops claims; only the owner can change settings", async function () {
      await f.reward.pause();
      await expect(f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances)).to.be.revertedWithCustomError(f.reward, "EnforcedPause");
      await f.reward.unpause();
      await expect(f.reward.connect(f.bot).setThreshold(0)).to.be.revertedWithCustomError(f.reward, "OwnableUnauthorizedAccount");
      await expect(f.reward.setRewardAmount(REWARD * 100n)).to.emit(f.reward, "RewardChanged");
      await expect(f.reward.claim(alicePleasant.args.proof, alicePleasant.args.instances)).to.be.revertedWithCustomError(f.reward, "InsufficientFunds");
    });

    it("the manifest's instance layout matches where a real proof carries the address and the score", async function () {
      // Independent of the layout code: find Alice's address in the proof's instances, and
      // read the score from the other instance against the engine's decoded judgment.
      const instances = alicePleasant.args.instances;
      expect(instances).to.have.length(Number(f.layout.count));
      expect(instances.findIndex((v) => v === BigInt(f.alice.address))).to.equal(Number(f.layout.recipientIndex));
      const scoreAt = Number(f.layout.scoreIndex);
      const score = Number(instances[scoreAt]!) / Number(f.layout.scoreOne);
      expect(score).to.be.greaterThan(0.8).and.at.most(1);
      // The contract, configured from that layout, pays exactly this proof's recipient.
      await expect(f.reward.connect(f.bot).claim(alicePleasant.args.proof, instances))
        .to.emit(f.reward, "Claimed").withArgs(f.alice.address, f.bot.address, 0n, instances[scoreAt], REWARD);
      expect(await f.reward.verifyingKey()).to.equal(ZeroAddress);
    });
  });
});
