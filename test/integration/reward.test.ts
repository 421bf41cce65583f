import * as chai from "chai";
import { expect } from "chai";
import { ZeroAddress, getAddress, randomBytes, hexlify } from "ethers";
import { decodeErrorName, revertData } from "@hardhat-zkml/core/chain-errors.js";
import { describeClaimFailure } from "@hardhat-zkml/core/reward/claim-failure.js";
import { FIELD_MODULUS } from "@hardhat-zkml/core/felt.js";
import type { ProofResult } from "@hardhat-zkml/core/prover/model-prover.js";
import { signAttestation } from "@hardhat-zkml/core/reward/attestation.js";
import { domainKey } from "@hardhat-zkml/core/reward/domain-key.js";
import { chaiZk } from "../../tasks/lib/testing/chai-zk.js";
import { cachedProof } from "@hardhat-zkml/core/prover/proof-cache.js";
import { ctx, openProver } from "../helpers/fixtures.js";
import { FUND, REWARD, deployRewardFixture, voiceSamples } from "../helpers/reward-fixture.js";

chai.use(chaiZk);

type Fixture = Awaited<ReturnType<typeof deployRewardFixture>>;
const PRECOMPILE = "0x0000000000000000000000000000000000000001";

async function increaseTime(f: Fixture, seconds: number) {
  await f.connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
  await f.connection.provider.request({ method: "evm_mine", params: [] });
}

describe("JudgmentReward: pays the address bound in the proof (open mode, domain-bound)", function () {
  let f: Fixture;
  let samples: Record<string, number[]>;
  let x: number[];
  let alicePleasant: ProofResult;
  let aliceAgain: ProofResult;
  const claimArgs = (recipient: string, p: ProofResult, minReward = REWARD) =>
    [recipient, p.args.proof, p.args.instances, minReward] as const;

  beforeEach(async function () {
    f = await deployRewardFixture();
    samples ??= await voiceSamples();
    x = samples["0.95"]!;
    alicePleasant ??= await f.prove(x, f.alice.address);
    // A different recording that earns the same judgment: a fresh proof by Alice.
    aliceAgain ??= await f.prove(
      x.map((v) => v * 0.99),
      f.alice.address,
    );
  });

  it("pays the bound address, not the sender", async function () {
    const before = await f.ethers.provider.getBalance(f.alice.address);
    await expect(f.reward.connect(f.carol).claim(...claimArgs(f.alice.address, alicePleasant))).to.emit(f.reward, "Claimed");
    expect(await f.ethers.provider.getBalance(f.alice.address)).to.equal(before + REWARD);
  });

  describe("a. front-running", function () {
    it("a bot that copies Alice's pending claim pays Alice and gains nothing; Alice's own claim then finds the recording paid", async function () {
      const alice0 = await f.ethers.provider.getBalance(f.alice.address);
      const bot0 = await f.ethers.provider.getBalance(f.bot.address);
      const receipt = (await (await f.reward.connect(f.bot).claim(...claimArgs(f.alice.address, alicePleasant))).wait())!;
      expect(await f.ethers.provider.getBalance(f.alice.address)).to.equal(alice0 + REWARD);
      expect(await f.ethers.provider.getBalance(f.bot.address)).to.equal(bot0 - receipt.gasUsed * receipt.gasPrice);
      await expect(f.reward.connect(f.alice).claim(...claimArgs(f.alice.address, alicePleasant))).to.be.revertedWithCustomError(
        f.reward,
        "CommitmentAlreadyPaid",
      );
      // Redirecting the copied proof to the bot breaks the key.
      await expect(f.reward.connect(f.bot).claim(...claimArgs(f.bot.address, aliceAgain))).to.be.revertedWithCustomError(
        f.reward,
        "KeyMismatch",
      );
    });

    it("through the mempool: a bot that outbids Alice's pending claim still pays Alice; Alice's transaction reverts", async function () {
      const provider = f.ethers.provider;
      const alice0 = await provider.getBalance(f.alice.address);
      await f.connection.provider.request({ method: "evm_setAutomine", params: [false] });
      try {
        const aliceTx = await f.reward
          .connect(f.alice)
          .claim(...claimArgs(f.alice.address, alicePleasant), { gasLimit: 2_000_000, gasPrice: 2_000_000_000n });
        const pending = await provider.getTransaction(aliceTx.hash);
        const botTx = await f.bot.sendTransaction({ to: pending!.to, data: pending!.data, gasLimit: 2_000_000, gasPrice: 5_000_000_000n });
        await f.connection.provider.request({ method: "evm_mine", params: [] });
        const botReceipt = (await provider.getTransactionReceipt(botTx.hash))!;
        const aliceReceipt = (await provider.getTransactionReceipt(aliceTx.hash))!;
        expect(botReceipt.index).to.be.lessThan(aliceReceipt.index);
        expect([botReceipt.status, aliceReceipt.status]).to.deep.equal([1, 0]);
        const claimed = f.reward.interface.parseLog(botReceipt.logs[0]!)!;
        expect([claimed.name, claimed.args.recipient, claimed.args.submitter]).to.deep.equal(["Claimed", f.alice.address, f.bot.address]);
        expect(await provider.getBalance(f.alice.address)).to.equal(alice0 + REWARD - aliceReceipt.gasUsed * aliceReceipt.gasPrice);
      } finally {
        await f.connection.provider.request({ method: "evm_setAutomine", params: [true] });
      }
    });
  });

  describe("b. one payment per recording (input commitment)", function () {
    it("the same recording proven for fresh addresses is paid once, whoever claims", async function () {
      const forCarol = await f.prove(x, f.carol.address);
      const commitment = await f.reward.commitmentOf(alicePleasant.args.proof, alicePleasant.args.instances);
      expect(await f.reward.commitmentOf(forCarol.args.proof, forCarol.args.instances)).to.equal(commitment);
      await f.reward.claim(...claimArgs(f.alice.address, alicePleasant));
      await expect(f.reward.connect(f.carol).claim(...claimArgs(f.carol.address, forCarol)))
        .to.be.revertedWithCustomError(f.reward, "CommitmentAlreadyPaid")
        .withArgs(commitment);
    });

    it("a fresh recording by an address already paid is a new commitment and is paid", async function () {
      await f.reward.claim(...claimArgs(f.alice.address, alicePleasant));
      expect(await f.reward.commitmentOf(aliceAgain.args.proof, aliceAgain.args.instances)).to.not.equal(
        await f.reward.commitmentOf(alicePleasant.args.proof, alicePleasant.args.instances),
      );
      await expect(f.reward.claim(...claimArgs(f.alice.address, aliceAgain))).to.emit(f.reward, "Claimed");
    });

    it("recipients zero and in the precompile range are refused, even with a proof bound to them", async function () {
      const toPrecompile = await f.prove(x, PRECOMPILE);
      await expect(f.reward.claim(...claimArgs(PRECOMPILE, toPrecompile)))
        .to.be.revertedWithCustomError(f.reward, "RecipientNotAllowed")
        .withArgs(getAddress(PRECOMPILE));
      const toZero = await f.prove(x, ZeroAddress);
      await expect(f.reward.claim(...claimArgs(ZeroAddress, toZero)))
        .to.be.revertedWithCustomError(f.reward, "RecipientNotAllowed")
        .withArgs(ZeroAddress);
    });
  });

  describe("b2. the reward's own contracts are never recipients", function () {
    it("claim refuses the reward contract itself and its verifier, even with a valid proof bound to them", async function () {
      const rewardAddress = await f.reward.getAddress();
      const verifierAddress = await f.verifier.getAddress();
      const toReward = await f.prove(x, rewardAddress);
      await expect(f.reward.claim(...claimArgs(rewardAddress, toReward)))
        .to.be.revertedWithCustomError(f.reward, "RecipientIsRewardContract")
        .withArgs(rewardAddress);
      const toVerifier = await f.prove(x, verifierAddress);
      await expect(f.reward.claim(...claimArgs(verifierAddress, toVerifier)))
        .to.be.revertedWithCustomError(f.reward, "RecipientIsVerifier")
        .withArgs(verifierAddress);
      expect(await f.reward.paidThisRound()).to.equal(0n);
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant))).to.emit(f.reward, "Claimed");
    });

    it("claimAttested refuses them too, even with the attester's valid signature", async function () {
      const attested = await f.deployReward({ attester: f.attester.address });
      const chainId = (await f.ethers.provider.getNetwork()).chainId;
      const rewardAddress = await attested.getAddress();
      const deadline = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp) + 600n;
      const claimSigned = async (recipient: string) => {
        const p = await f.prove(x, recipient, attested);
        const commitment = await attested.commitmentOf(p.args.proof, p.args.instances);
        const signed = await signAttestation(f.attester, chainId, rewardAddress, { commitment, recipient, round: 0n, deadline });
        return attested.claimAttested(recipient, p.args.proof, p.args.instances, REWARD, deadline, signed.signature);
      };
      await expect(claimSigned(rewardAddress)).to.be.revertedWithCustomError(attested, "RecipientIsRewardContract").withArgs(rewardAddress);
      const verifierAddress = await f.verifier.getAddress();
      await expect(claimSigned(verifierAddress)).to.be.revertedWithCustomError(attested, "RecipientIsVerifier").withArgs(verifierAddress);
      await expect(claimSigned(f.alice.address)).to.emit(attested, "Claimed");
    });

    it("with a reusable verifier, its VK artifact is refused as well (claim and claimAttested)", async function () {
      // The recipient checks come before verification: a verifier double that accepts every proof will do.
      const vka = await f.ethers.deployContract("AcceptingVerifier");
      const chainId = (await f.ethers.provider.getNetwork()).chainId;
      const instancesFor = (recipient: string) => [BigInt(recipient), 100n];
      const deadline = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp) + 600n;
      const ownContracts = async (d: Awaited<ReturnType<typeof f.deployAccepting>>): Promise<[string, string][]> => [
        ["RecipientIsVerifyingKey", await vka.getAddress()],
        ["RecipientIsVerifier", await d.verifier.getAddress()],
        ["RecipientIsRewardContract", await d.reward.getAddress()],
      ];
      const openDeployment = await f.deployAccepting({ verifyingKey: await vka.getAddress() });
      const open = openDeployment.reward;
      for (const [error, address] of await ownContracts(openDeployment)) {
        await expect(open.claim(address, hexlify(randomBytes(256)), instancesFor(address), REWARD))
          .to.be.revertedWithCustomError(open, error)
          .withArgs(address);
      }
      const attestedDeployment = await f.deployAccepting({ verifyingKey: await vka.getAddress(), attester: f.attester.address });
      const attested = attestedDeployment.reward;
      for (const [error, address] of await ownContracts(attestedDeployment)) {
        const proof = hexlify(randomBytes(256));
        const commitment = await attested.commitmentOf(proof, instancesFor(address));
        const signed = await signAttestation(f.attester, chainId, await attested.getAddress(), {
          commitment,
          recipient: address,
          round: 0n,
          deadline,
        });
        await expect(attested.claimAttested(address, proof, instancesFor(address), REWARD, deadline, signed.signature))
          .to.be.revertedWithCustomError(attested, error)
          .withArgs(address);
      }
      await expect(open.claim(f.alice.address, hexlify(randomBytes(256)), instancesFor(f.alice.address), REWARD)).to.emit(open, "Claimed");
    });
  });

  describe("c. replay across deployments, chains and rounds (domain binding by default)", function () {
    it("a proof for one deployment fails on another; a key made for another chain fails here", async function () {
      const rewardB = await f.deployReward();
      await expect(rewardB.claim(...claimArgs(f.alice.address, alicePleasant))).to.be.revertedWithCustomError(rewardB, "KeyMismatch");
      const chainId = (await f.ethers.provider.getNetwork()).chainId;
      expect(domainKey(chainId, await f.reward.getAddress(), f.alice.address, 0n)).to.equal(await f.reward.domainKey(f.alice.address));
      const otherChain = await f.proveKey(x, domainKey(1n, await f.reward.getAddress(), f.alice.address, 0n));
      await expect(f.reward.claim(...claimArgs(f.alice.address, otherChain))).to.be.revertedWithCustomError(f.reward, "KeyMismatch");
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant))).to.emit(f.reward, "Claimed");
    });

    it("an unclaimed proof expires with its round", async function () {
      await f.reward.startNewRound();
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant))).to.be.revertedWithCustomError(f.reward, "KeyMismatch");
      const inRound1 = await f.proveKey(
        x,
        domainKey((await f.ethers.provider.getNetwork()).chainId, await f.reward.getAddress(), f.alice.address, 1n),
      );
      await expect(f.reward.claim(...claimArgs(f.alice.address, inRound1))).to.emit(f.reward, "Claimed");
    });
  });

  describe("d. altered instances and broken proofs", function () {
    const altered = (p: ProofResult, i: number, value: bigint) => {
      const inst = [...p.args.instances];
      inst[i] = value;
      return inst;
    };

    it("a raised score, or an instance plus the field modulus", async function () {
      const s = Number(f.layout.scoreIndex);
      await expect(
        f.reward.claim(f.alice.address, alicePleasant.args.proof, altered(alicePleasant, s, alicePleasant.args.instances[s]! + 1n), REWARD),
      ).to.be.revertedWithCustomError(f.reward, "InvalidProof");
      await expect(
        f.reward.claim(
          f.alice.address,
          alicePleasant.args.proof,
          altered(alicePleasant, s, alicePleasant.args.instances[s]! + FIELD_MODULUS),
          REWARD,
        ),
      ).to.be.revertedWithCustomError(f.reward, "NotAFieldElement");
    });

    it("a score below the threshold is refused even with a valid proof", async function () {
      const low = await f.prove(samples["0.05"]!, f.carol.address);
      await expect(low).to.verifyOn(f.verifier as never);
      await expect(f.reward.claim(...claimArgs(f.carol.address, low))).to.be.revertedWithCustomError(f.reward, "ScoreBelowThreshold");
    });

    it("flipped and truncated proofs, and a proof for another model", async function () {
      const bytes = Buffer.from(alicePleasant.args.proof.slice(2), "hex");
      bytes[200] ^= 0xff;
      await expect(
        f.reward.claim(f.alice.address, "0x" + bytes.toString("hex"), alicePleasant.args.instances, REWARD),
      ).to.be.revertedWithCustomError(f.reward, "InvalidProof");
      await expect(
        f.reward.claim(f.alice.address, alicePleasant.args.proof.slice(0, -64), alicePleasant.args.instances, REWARD),
      ).to.be.revertedWithCustomError(f.reward, "InvalidProof");
      const tiny = await openProver("tinyMlp");
      const other = await cachedProof(tiny, ctx.artifactsDir, [[0.1, -0.2, 0.3, 0.4]]);
      await expect(f.reward.claim(f.alice.address, other.args.proof, other.args.instances, REWARD))
        .to.be.revertedWithCustomError(f.reward, "WrongInstanceCount")
        .withArgs(1n, 2n);
    });

    it("too little gas for the verifier is a gas error, not InvalidProof", async function () {
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant), { gasLimit: 400_000 })).to.be.revertedWithCustomError(
        f.reward,
        "VerifierOutOfGas",
      );
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant))).to.emit(f.reward, "Claimed");
    });

    it("a valid claim sent 40k-100k gas below its estimate succeeds or reverts with VerifierOutOfGas, never InvalidProof; zk claim says to raise the gas limit", async function () {
      const args = claimArgs(f.alice.address, alicePleasant);
      const estimate = await f.reward.claim.estimateGas(...args);
      const outcomes: { below: bigint; name: string; message?: string }[] = [];
      // 5k-35k below as well: there the verifier passes and the claim runs out after it.
      for (let below = 5_000n; below <= 100_000n; below += 5_000n) {
        const snapshot = await f.connection.provider.request({ method: "evm_snapshot", params: [] });
        try {
          await (await f.reward.claim(...args, { gasLimit: estimate - below })).wait();
          outcomes.push({ below, name: "paid" });
        } catch (e) {
          const name = decodeErrorName(revertData(e) ?? "0x", f.reward.interface) ?? "no data";
          outcomes.push({ below, name, message: describeClaimFailure(e, f.reward.interface) });
        } finally {
          await f.connection.provider.request({ method: "evm_revert", params: [snapshot] });
        }
      }
      const seen = `estimate ${estimate}: ${outcomes.map((o) => `-${o.below} ${o.name}`).join(", ")}`;
      const band = outcomes.filter((o) => o.below >= 40_000n);
      expect(band, seen).to.have.length(13);
      for (const o of band) expect(o.name, seen).to.be.oneOf(["paid", "VerifierOutOfGas"]);
      expect(
        band.map((o) => o.name),
        seen,
      ).to.include("VerifierOutOfGas");
      for (const o of outcomes) {
        expect(o.name, seen).to.be.oneOf(["paid", "VerifierOutOfGas", "no data"]);
        if (o.message !== undefined) expect(o.message, seen).to.match(/; send it with a higher gas limit$/);
      }
      await expect(f.reward.claim(...args, { gasLimit: estimate })).to.emit(f.reward, "Claimed");
    });
  });

  describe("e. reentrancy", function () {
    it("a recipient that re-enters claim with the same proof on payment is refused and paid once", async function () {
      const attacker = await f.ethers.deployContract("ReentrantRecipient");
      const address = await attacker.getAddress();
      const first = await f.prove(
        x.map((v) => v * 0.98),
        address,
      );
      await attacker.arm(await f.reward.getAddress(), first.args.proof, first.args.instances);
      await f.reward.claim(...claimArgs(address, first));
      expect(await attacker.reentryAttempted()).to.equal(true);
      expect(await attacker.reentryRefused()).to.equal(true);
      expect(await f.ethers.provider.getBalance(address)).to.equal(REWARD);
    });
  });

  describe("f. the deal cannot change under a pending claim", function () {
    it("an owner's setRewardAmount(0) in front of a claim applies only from the next round; the claim is paid in full", async function () {
      await expect(f.reward.setRewardAmount(0)).to.emit(f.reward, "RewardScheduled").withArgs(REWARD, 0n, 1n);
      await expect(f.reward.setThreshold(f.layout.scoreMax)).to.emit(f.reward, "ThresholdScheduled");
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant)))
        .to.emit(f.reward, "Claimed")
        .withArgs(
          f.alice.address,
          f.owner.address,
          0n,
          await f.reward.commitmentOf(alicePleasant.args.proof, alicePleasant.args.instances),
          alicePleasant.args.instances[1],
          REWARD,
        );
      expect((await f.reward.nextDeal()).rewardAmount).to.equal(0n);
    });

    it("a claim carries the minimum reward it accepts", async function () {
      const open = await f.deployReward({ domainBound: false });
      const bare = await f.proveKey(x, f.alice.address);
      await open.setRewardAmount(REWARD / 2n);
      await open.startNewRound();
      await expect(open.claim(...claimArgs(f.alice.address, bare)))
        .to.be.revertedWithCustomError(open, "RewardBelowMinimum")
        .withArgs(REWARD / 2n, REWARD);
      await expect(open.claim(...claimArgs(f.alice.address, bare, REWARD / 2n))).to.emit(open, "Claimed");
    });

    it("the threshold is bounded by the score range, in the constructor and the setter", async function () {
      await expect(f.reward.setThreshold(f.layout.scoreMax + 1n)).to.be.revertedWithCustomError(f.reward, "ThresholdOutOfRange");
      await expect(f.reward.setThreshold(-1n)).to.be.revertedWithCustomError(f.reward, "ThresholdOutOfRange");
    });

    it("a round cannot be ended before minRoundSeconds; withdrawal keeps the open round's reserve", async function () {
      const held = await f.deployReward({ minRoundSeconds: 3600n, roundCap: 2n * REWARD });
      await expect(held.startNewRound()).to.be.revertedWithCustomError(held, "RoundStillOpen");
      await expect(held.withdraw(f.owner.address, FUND))
        .to.be.revertedWithCustomError(held, "WithdrawalAboveAvailable")
        .withArgs(FUND, FUND - 2n * REWARD);
      await held.withdraw(f.owner.address, FUND - 2n * REWARD);
      await held.setRoundCap(REWARD);
      await held.setRewardAmount(REWARD);
      await expect(held.setRoundCap(0)).to.be.revertedWithCustomError(held, "RewardAboveRoundCap");
      await increaseTime(f, 3600);
      await expect(held.startNewRound())
        .to.emit(held, "RoundStarted")
        .withArgs(1n, await held.threshold(), REWARD, REWARD);
      await expect(held.withdraw(f.owner.address, REWARD + 1n))
        .to.be.revertedWithCustomError(held, "WithdrawalAboveAvailable")
        .withArgs(REWARD + 1n, REWARD);
    });

    it("a per-round payout cap bounds what one round pays", async function () {
      const capped = await f.deployReward({ roundCap: REWARD });
      const first = await f.prove(x, f.alice.address, capped);
      const second = await f.prove(
        x.map((v) => v * 0.99),
        f.carol.address,
        capped,
      );
      await capped.claim(...claimArgs(f.alice.address, first));
      await expect(capped.claim(...claimArgs(f.carol.address, second)))
        .to.be.revertedWithCustomError(capped, "RoundCapReached")
        .withArgs(REWARD, REWARD);
    });

    it("ownership moves in two steps, and cannot be renounced while funds are held", async function () {
      await f.reward.pause();
      await expect(f.reward.renounceOwnership()).to.be.revertedWithCustomError(f.reward, "FundsHeld").withArgs(FUND);
      await f.reward.transferOwnership(f.carol.address);
      expect(await f.reward.owner()).to.equal(f.owner.address);
      await f.reward.connect(f.carol).acceptOwnership();
      expect(await f.reward.owner()).to.equal(f.carol.address);
      await expect(f.reward.claim(...claimArgs(f.alice.address, alicePleasant))).to.be.revertedWithCustomError(f.reward, "EnforcedPause");
      await expect(f.reward.setRewardAmount(0)).to.be.revertedWithCustomError(f.reward, "OwnableUnauthorizedAccount");
    });
  });

  describe("g. construction is validated", function () {
    it("refuses a verifier without code, overlapping or out-of-range indices, an empty score range, a bad commitment location", async function () {
      const v = await f.verifier.getAddress();
      const deal = { threshold: 64n, rewardAmount: REWARD, roundCap: FUND };
      const deploy = (verifier: string, layout: object, commitment: object, d: object = deal) =>
        f.ethers.deployContract("JudgmentReward", [verifier, ZeroAddress, layout, commitment, ZeroAddress, true, d, 0n]);
      const L = { ...f.layout };
      const C = f.commitment;
      await expect(deploy(f.alice.address, L, C))
        .to.be.revertedWithCustomError(f.reward, "NoCodeAt")
        .withArgs(f.alice.address);
      await expect(deploy(v, { ...L, scoreIndex: L.recipientIndex }, C)).to.be.revertedWithCustomError(f.reward, "BadInstanceLayout");
      await expect(deploy(v, { ...L, scoreIndex: L.count }, C)).to.be.revertedWithCustomError(f.reward, "BadInstanceLayout");
      await expect(deploy(v, { ...L, scoreMin: L.scoreMax }, C)).to.be.revertedWithCustomError(f.reward, "BadScoreRange");
      await expect(deploy(v, L, { source: 0, at: 64, length: 0 })).to.be.revertedWithCustomError(f.reward, "BadCommitmentLocation");
      await expect(deploy(v, L, { source: 1, at: L.scoreIndex, length: 0 })).to.be.revertedWithCustomError(
        f.reward,
        "BadCommitmentLocation",
      );
      await expect(deploy(v, L, C, { ...deal, threshold: L.scoreMax + 1n })).to.be.revertedWithCustomError(f.reward, "ThresholdOutOfRange");
      await expect(deploy(v, L, C, { ...deal, roundCap: REWARD - 1n })).to.be.revertedWithCustomError(f.reward, "RewardAboveRoundCap");
    });
  });

  describe("h. signed fixed-point scores (a logit output)", function () {
    it("reads scores and the threshold as signed: -0.78 passes a -1.5 threshold, -2.34 does not", async function () {
      // The contract's arithmetic alone, behind a verifier that accepts every proof.
      const one = 128n;
      const { reward: logit } = await f.deployAccepting({
        layout: { ...f.layout, scoreMin: -8n * one, scoreMax: 8n * one },
        threshold: -192n,
      });
      const proof = () => hexlify(randomBytes(256));
      await expect(logit.claim(f.alice.address, proof(), [BigInt(f.alice.address), FIELD_MODULUS - 100n], REWARD))
        .to.emit(logit, "Claimed")
        .withArgs(f.alice.address, f.owner.address, 0n, () => true, -100n, REWARD);
      await expect(logit.claim(f.carol.address, proof(), [BigInt(f.carol.address), FIELD_MODULUS - 300n], REWARD))
        .to.be.revertedWithCustomError(logit, "ScoreBelowThreshold")
        .withArgs(-300n, -192n);
      await expect(
        logit.claim(f.carol.address, proof(), [BigInt(f.carol.address), FIELD_MODULUS - 8n * one - 1n], REWARD),
      ).to.be.revertedWithCustomError(logit, "ScoreOutOfRange");
    });
  });
});

describe("JudgmentReward: commitment read from a public instance (hashed inputs)", function () {
  it("pays each hashed-input commitment once", async function () {
    const f = await deployRewardFixture();
    const { reward: hashed } = await f.deployAccepting({
      layout: { count: 3n, recipientIndex: 1n, scoreIndex: 2n, scoreMin: 0n, scoreMax: 128n },
      commitment: { source: 1, at: 0, length: 0 },
    });
    const hash = 12345n;
    await expect(hashed.claim(f.alice.address, "0x", [hash, BigInt(f.alice.address), 100n], REWARD))
      .to.emit(hashed, "Claimed")
      .withArgs(f.alice.address, f.owner.address, 0n, "0x" + hash.toString(16).padStart(64, "0"), 100n, REWARD);
    await expect(hashed.claim(f.carol.address, "0x", [hash, BigInt(f.carol.address), 100n], REWARD)).to.be.revertedWithCustomError(
      hashed,
      "CommitmentAlreadyPaid",
    );
  });
});

describe("JudgmentReward: attested mode", function () {
  let samples: Record<string, number[]>;

  before(async function () {
    samples = await voiceSamples();
  });

  async function attested(erc1271 = false) {
    const f = await deployRewardFixture({ attester: undefined, erc1271Attester: erc1271 });
    return f;
  }

  it("pays a real recording with the attester's signature; a crafted-input proof has none and is refused", async function () {
    const f0 = await deployRewardFixture();
    const attesterAddress = f0.attester.address;
    const f = { ...f0, reward: await f0.deployReward({ attester: attesterAddress }) };
    const x = samples["0.95"]!;
    const chainId = (await f.ethers.provider.getNetwork()).chainId;
    const rewardAddress = await f.reward.getAddress();
    const real = await f.prove(x, f.alice.address, f.reward);
    const commitment = await f.reward.commitmentOf(real.args.proof, real.args.instances);
    const deadline = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp) + 600n;
    const signed = await signAttestation(f.attester, chainId, rewardAddress, {
      commitment,
      recipient: f.alice.address,
      round: 0n,
      deadline,
    });
    expect(await f.reward.attestationDigest(commitment, f.alice.address, 0n, deadline)).to.be.a("string");

    // Open-mode claims are refused on an attested reward.
    await expect(f.reward.claim(f.alice.address, real.args.proof, real.args.instances, REWARD)).to.be.revertedWithCustomError(
      f.reward,
      "AttestationRequired",
    );

    // A crafted input (every value one fixed-point step up) still passes the judge; the
    // attester never heard it, so no signature fits its commitment.
    const doubled = await f.prove(
      x.map((v) => Math.min(1, v + 1 / 128)),
      f.alice.address,
      f.reward,
    );
    await expect(
      f.reward.claimAttested(f.alice.address, doubled.args.proof, doubled.args.instances, REWARD, deadline, signed.signature),
    ).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    // Nor can a proof of the crafted input carry the signed commitment: splice it in and the verifier refuses.
    const spliced = Buffer.from(doubled.args.proof.slice(2), "hex");
    Buffer.from(real.args.proof.slice(2), "hex").copy(
      spliced,
      Number(f.commitment.at),
      Number(f.commitment.at),
      Number(f.commitment.at + f.commitment.length),
    );
    await expect(
      f.reward.claimAttested(f.alice.address, "0x" + spliced.toString("hex"), doubled.args.instances, REWARD, deadline, signed.signature),
    ).to.be.revertedWithCustomError(f.reward, "InvalidProof");

    await expect(
      f.reward.connect(f.bot).claimAttested(f.alice.address, real.args.proof, real.args.instances, REWARD, deadline, signed.signature),
    ).to.emit(f.reward, "Claimed");
    // Replayed signature: the recording is paid.
    await expect(
      f.reward.claimAttested(f.alice.address, real.args.proof, real.args.instances, REWARD, deadline, signed.signature),
    ).to.be.revertedWithCustomError(f.reward, "CommitmentAlreadyPaid");
  });

  it("refuses expired signatures, and signatures made for another contract, chain, round or recipient", async function () {
    const f0 = await deployRewardFixture();
    const f = { ...f0, reward: await f0.deployReward({ attester: f0.attester.address }) };
    const x = samples["0.95"]!;
    const chainId = (await f.ethers.provider.getNetwork()).chainId;
    const rewardAddress = await f.reward.getAddress();
    const real = await f.prove(x, f.alice.address, f.reward);
    const commitment = await f.reward.commitmentOf(real.args.proof, real.args.instances);
    const now = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp);
    const base = { commitment, recipient: f.alice.address, round: 0n, deadline: now + 600n };
    const claimWith = (s: { deadline: bigint; signature: string }) =>
      f.reward.claimAttested(f.alice.address, real.args.proof, real.args.instances, REWARD, s.deadline, s.signature);

    const expired = await signAttestation(f.attester, chainId, rewardAddress, { ...base, deadline: now + 5n });
    await increaseTime(f as Fixture, 10);
    await expect(claimWith(expired)).to.be.revertedWithCustomError(f.reward, "AttestationExpired");
    const otherContract = await signAttestation(f.attester, chainId, await f0.reward.getAddress(), base);
    await expect(claimWith(otherContract)).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    const otherChain = await signAttestation(f.attester, 1n, rewardAddress, base);
    await expect(claimWith(otherChain)).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    const otherRound = await signAttestation(f.attester, chainId, rewardAddress, { ...base, round: 1n });
    await expect(claimWith(otherRound)).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    const otherRecipient = await signAttestation(f.attester, chainId, rewardAddress, { ...base, recipient: f.carol.address });
    await expect(claimWith(otherRecipient)).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    const byNonAttester = await signAttestation(f.bot, chainId, rewardAddress, base);
    await expect(claimWith(byNonAttester)).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    await expect(claimWith(await signAttestation(f.attester, chainId, rewardAddress, base))).to.emit(f.reward, "Claimed");
  });

  it("accepts an ERC-1271 contract as the attester", async function () {
    const f = await attested(true);
    const x = samples["0.95"]!;
    expect(await f.reward.attester()).to.equal(await f.attesterContract!.getAddress());
    const chainId = (await f.ethers.provider.getNetwork()).chainId;
    const real = await f.prove(x, f.alice.address);
    const commitment = await f.reward.commitmentOf(real.args.proof, real.args.instances);
    const deadline = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp) + 600n;
    const base = { commitment, recipient: f.alice.address, round: 0n, deadline };
    const wrongKey = await signAttestation(f.bot, chainId, await f.reward.getAddress(), base);
    await expect(
      f.reward.claimAttested(f.alice.address, real.args.proof, real.args.instances, REWARD, deadline, wrongKey.signature),
    ).to.be.revertedWithCustomError(f.reward, "InvalidAttestation");
    const signed = await signAttestation(f.attester, chainId, await f.reward.getAddress(), base);
    await expect(f.reward.claimAttested(f.alice.address, real.args.proof, real.args.instances, REWARD, deadline, signed.signature)).to.emit(
      f.reward,
      "Claimed",
    );
  });
});
