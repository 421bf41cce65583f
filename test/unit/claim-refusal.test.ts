import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Interface, parseEther, type InterfaceAbi } from "ethers";
import hre from "hardhat";
import { claimRefusal } from "@hardhat-zkml/server/claim-refusal.js";

/** An error as ethers throws it for a reverted eth_call / estimateGas: the revert data under `data`. */
const reverted = (iface: Interface, name: string, args: unknown[]) =>
  Object.assign(new Error("execution reverted"), { code: "CALL_EXCEPTION", data: iface.encodeErrorResult(name, args) });

describe("relayed claims: JudgmentReward's refusals as problems in words", function () {
  let iface: Interface;

  before(async function () {
    const file = path.join(hre.config.paths.artifacts, "contracts", "JudgmentReward.sol", "JudgmentReward.json");
    iface = new Interface((JSON.parse(await readFile(file, "utf8")) as { abi: InterfaceAbi }).abi);
  });

  const answer = (e: unknown, scale: number | undefined = 7) => {
    const p = claimRefusal(e, iface, scale);
    return { status: p.statusCode, type: p.type, title: p.title, detail: p.detail };
  };

  it('CommitmentAlreadyPaid: 409 already-paid, titled "already paid"', function () {
    expect(answer(reverted(iface, "CommitmentAlreadyPaid", ["0x" + "ab".repeat(32)]))).to.deep.equal({
      status: 409,
      type: "urn:hardhat-zkml:problem/already-paid",
      title: "already paid",
      detail: "this recording's judgment was already paid; there is nothing more to claim",
    });
  });

  it("ScoreBelowThreshold: 422 with the score and threshold as decimals of the score's scale", function () {
    const a = answer(reverted(iface, "ScoreBelowThreshold", [40n, 64n]));
    expect(a).to.include({ status: 422, type: "urn:hardhat-zkml:problem/below-threshold" });
    expect(a.detail).to.equal("score 0.3125 is below the reward's threshold 0.5");
  });

  it("InsufficientFunds and RoundCapReached: 409 reward-cannot-pay with the amounts in ETH", function () {
    const funds = answer(reverted(iface, "InsufficientFunds", [parseEther("0.5"), parseEther("1")]));
    expect(funds).to.include({ status: 409, type: "urn:hardhat-zkml:problem/reward-cannot-pay" });
    expect(funds.detail).to.equal("the reward holds 0.5 ETH and pays 1.0 ETH; its owner must fund it");
    const cap = answer(reverted(iface, "RoundCapReached", [parseEther("10"), parseEther("10")]));
    expect(cap.detail).to.equal("the reward has paid 10.0 ETH of this round's cap of 10.0 ETH; claim in the next round");
  });

  it("any other refusal is 422 claim-refused with the decoded error and its hint; no revert data is a 502", function () {
    const expired = answer(reverted(iface, "AttestationExpired", [123n]));
    expect(expired).to.include({ status: 422, type: "urn:hardhat-zkml:problem/claim-refused" });
    expect(expired.detail).to.match(/AttestationExpired\(deadline=123\); the attester's signature has expired/);
    const down = answer(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }));
    expect(down).to.include({ status: 502, type: "urn:hardhat-zkml:problem/chain-unavailable" });
    expect(down.detail).to.match(/the chain did not answer the claim \(connect ECONNREFUSED/);
  });
});
