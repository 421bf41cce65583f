import { expect } from "chai";
import { compareRuntimeCode, splitMetadata } from "@hardhat-zkml/core/audit/runtime-code.js";

/** solc's tail: a CBOR map (0xa2 ...) and its length in two bytes. */
const metadata = (fill: string) => "a2" + fill.repeat(4) + "0005";
const code = (body: string, tail = metadata("11")) => "0x" + body + tail;

describe("runtime code comparison (zk audit)", function () {
  it("splits the CBOR metadata tail off by the length in its last two bytes", function () {
    const { body, metadata: tail } = splitMetadata(Buffer.from(code("6080604052").slice(2), "hex"));
    expect(Buffer.from(body).toString("hex")).to.equal("6080604052");
    expect(Buffer.from(tail).toString("hex")).to.equal(metadata("11"));
  });

  it("keeps code whose tail is not a CBOR map whole", function () {
    const { body, metadata: tail } = splitMetadata(Buffer.from("60806040520002", "hex"));
    expect(Buffer.from(body).toString("hex")).to.equal("60806040520002");
    expect(tail.length).to.equal(0);
  });

  it("counts code that differs only in its metadata hash as the same, and says so", function () {
    const result = compareRuntimeCode(code("6080604052", metadata("11")), { code: code("6080604052", metadata("22")), immutables: [] });
    expect(result).to.deep.equal({ same: true, metadataDiffers: true, immutablesDiffer: false });
  });

  it("sets aside immutables filled in at deployment", function () {
    const result = compareRuntimeCode(code("60ff60aa"), { code: code("600060aa"), immutables: [{ start: 1, length: 1 }] });
    expect(result).to.deep.equal({ same: true, metadataDiffers: false, immutablesDiffer: true });
  });

  it("reports the first differing byte and both lengths, metadata aside", function () {
    const result = compareRuntimeCode(code("6080604052"), { code: code("6080614052aa"), immutables: [] });
    expect(result).to.deep.equal({ same: false, firstDifference: 2, deployedLength: 5, rebuiltLength: 6 });
  });

  it("reports an address without code as length 0", function () {
    const result = compareRuntimeCode("0x", { code: code("6080604052"), immutables: [] });
    expect(result).to.deep.equal({ same: false, firstDifference: 0, deployedLength: 0, rebuiltLength: 5 });
  });
});
