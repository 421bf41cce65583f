import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import { ZkError } from "@hardhat-zkml/core/errors.js";

/**
 * Asserts `e` is an error the toolkit raised on purpose: a ZkError from a library call,
 * or, from a task, the HardhatPluginError the plugin turns it into (one line, cause kept).
 */
export function expectDeliberate(e: unknown): void {
  if (e instanceof HardhatPluginError) {
    expect(e.pluginId, e.message).to.equal("hardhat-zkml");
    expect(e.cause, `a task error carries the ZkError it came from: ${e.message}`).to.be.instanceOf(ZkError);
    return;
  }
  expect(e, String((e as Error | undefined)?.stack ?? e)).to.be.instanceOf(ZkError);
}
