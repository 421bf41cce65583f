import { expect } from "chai";
import { FIELD_MODULUS, uint256ToFelt } from "@hardhat-zkml/core/field.js";
import { feltToUint256 } from "@hardhat-zkml/core/felt.js";

describe("field elements without the engine (core/field.ts, which the page bundles)", function () {
  it("writes ezkl's little-endian felt form, which the engine reads back as the same number", function () {
    expect(uint256ToFelt(1n)).to.equal("01" + "00".repeat(31));
    expect(uint256ToFelt(0x0102n)).to.equal("0201" + "00".repeat(30));
    const values = [0n, 1n, 255n, 256n, 2n ** 160n - 1n, FIELD_MODULUS - 1n, 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n];
    for (const v of values) expect(feltToUint256(uint256ToFelt(v)), String(v)).to.equal(v);
  });

  it("refuses numbers outside the field", function () {
    expect(() => uint256ToFelt(FIELD_MODULUS)).to.throw(RangeError, /is not a field element/);
    expect(() => uint256ToFelt(-1n)).to.throw(RangeError, /is not a field element/);
  });
});
