import { expect } from "chai";
import { AbiCoder, Interface, id } from "ethers";
import { keyHashes, keysIdentity, type Manifest } from "@hardhat-zkml/core/manifest.js";
import { CLAIM_FUNCTIONS, claimCall } from "@hardhat-zkml/core/reward/claim.js";
import { describeClaimFailure } from "@hardhat-zkml/core/reward/claim-failure.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const args = { proof: "0x1234", instances: [1n, 2n] };

describe("claiming a reward (the one claim encoding and its failure hints)", function () {
  it("claims in open mode with claim(recipient, proof, instances, minReward)", function () {
    expect(claimCall(ALICE, args, 5n)).to.deep.equal({ function: CLAIM_FUNCTIONS.open, args: [ALICE, "0x1234", [1n, 2n], 5n] });
  });

  it("claims an attested recording with the attester's deadline and signature", function () {
    const call = claimCall(ALICE, args, 0n, { deadline: 99n, signature: "0xabcd" });
    expect(call.function).to.equal("claimAttested(address,bytes,uint256[],uint256,uint256,bytes)");
    expect(call.args).to.deep.equal([ALICE, "0x1234", [1n, 2n], 0n, 99n, "0xabcd"]);
  });

  it("encodes against JudgmentReward's own functions", function () {
    const iface = new Interface([`function ${CLAIM_FUNCTIONS.open}`, `function ${CLAIM_FUNCTIONS.attested}`]);
    const open = claimCall(ALICE, args, 1n);
    const data = iface.encodeFunctionData(open.function, open.args);
    expect(data.slice(0, 10)).to.equal(id(CLAIM_FUNCTIONS.open).slice(0, 10));
  });

  describe("describeClaimFailure", function () {
    const iface = new Interface(["error ScoreBelowThreshold(int256 score, int256 threshold)", "error NoCodeAt(address account)"]);
    const reverted = (data: string) => Object.assign(new Error("execution reverted"), { data });

    it("names the contract's error and says what to do", function () {
      const data = iface.encodeErrorResult("ScoreBelowThreshold", [1n, 2n]);
      expect(describeClaimFailure(reverted(data), iface)).to.match(
        /ScoreBelowThreshold.*; the judgment scores below the reward's threshold/,
      );
    });

    it("reads a revert without data as running out of gas", function () {
      expect(describeClaimFailure(reverted("0x"), iface)).to.match(/ran out of gas; send it with a higher gas limit$/);
    });

    it("gives no hint for an error it has none for", function () {
      const data = iface.encodeErrorResult("NoCodeAt", [ALICE]);
      expect(describeClaimFailure(reverted(data), iface))
        .to.match(/NoCodeAt/)
        .and.not.to.match(/;/);
    });

    it("says which bytes it could not decode", function () {
      const data = id("Unknown()").slice(0, 10) + AbiCoder.defaultAbiCoder().encode(["uint256"], [1n]).slice(2);
      expect(describeClaimFailure(reverted(data), iface)).to.match(/unknown error data/);
    });
  });
});

describe("key identity (one home for which keys a record belongs to)", function () {
  const manifest = (outputs?: Record<string, string>) => ({ steps: outputs ? { keys: { outputs } } : {} }) as unknown as Manifest;

  it("lists the recorded key hashes, and joins them into the keys' identity", function () {
    const m = manifest({ "vk.key": "aa", "pk.key": "bb" });
    expect(keyHashes(m)).to.deep.equal(["aa", "bb"]);
    expect(keysIdentity(m)).to.equal("aa:bb");
  });

  it("is empty before `zk setup` made keys", function () {
    expect(keyHashes(manifest())).to.deep.equal([]);
    expect(keysIdentity(manifest())).to.equal("");
  });
});
