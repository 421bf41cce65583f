import { expect } from "chai";
import { besidesBoundInput, isBoundOutput, isJudgeModel, scoreSlot, stripBoundPlaceholder } from "@hardhat-zkml/core/bound-address.js";

const bound = { input: 0, output: 0 };
const out = (tensor: number, index = tensor) => ({ source: "output", tensor, element: 0, index });

describe("bound address (one home for the bound-input and judge-model rules)", function () {
  it("drops the bound-address input from a list of inputs, and keeps every input of an unbound model", function () {
    expect(besidesBoundInput(["key", "x"], bound)).to.deep.equal(["x"]);
    expect(besidesBoundInput(["a", "key", "b"], { input: 1, output: 0 })).to.deep.equal(["a", "b"]);
    expect(besidesBoundInput(["a", "b"], undefined)).to.deep.equal(["a", "b"]);
  });

  it("strips a placeholder at the bound input only when every ONNX input is listed", function () {
    const features = [1, 2, 3];
    expect(stripBoundPlaceholder([["0"], features], bound, 1)).to.deep.equal([features]);
    expect(stripBoundPlaceholder([features], bound, 1)).to.deep.equal([features]);
    // A wrong count is left as it is, for the caller to refuse with the expected count.
    expect(stripBoundPlaceholder([features, features, features], bound, 1)).to.have.length(3);
    expect(stripBoundPlaceholder([features, features], undefined, 2)).to.have.length(2);
  });

  it("finds the bound output and the score among the public instances", function () {
    const slots = [{ source: "input", tensor: 0, index: 0 }, out(0, 1), out(1, 2)];
    expect(isBoundOutput(slots[1]!, bound)).to.equal(true);
    expect(isBoundOutput(slots[0]!, bound)).to.equal(false);
    expect(isBoundOutput(slots[1]!, undefined)).to.equal(false);
    expect(scoreSlot(slots, { tensor: 1, element: 0 })).to.equal(slots[2]);
    expect(scoreSlot(slots, { tensor: 1, element: 1 })).to.equal(undefined, "no such element is public");
  });

  it("calls a model a judge only when it binds an address and makes a score public", function () {
    expect(isJudgeModel([out(0), out(1)], bound)).to.equal(true);
    expect(isJudgeModel([out(0)], bound)).to.equal(false, "only the address is public");
    expect(isJudgeModel([out(0), out(1)], undefined)).to.equal(false, "no bound address");
    expect(isJudgeModel([{ source: "input", tensor: 1 }, out(0)], bound)).to.equal(false, "a public input is no score");
  });
});
