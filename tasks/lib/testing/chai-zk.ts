import type { BaseContract } from "ethers";
import type { ProofResult } from "../prover/model-prover.js";

type VerifierLike = BaseContract & {
  verifyProof: { staticCall(proof: string, instances: bigint[]): Promise<boolean> };
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    interface Assertion {
      /** `await expect(proofResult).to.verifyOn(verifierContract)`: verifyProof accepts it. */
      verifyOn(verifier: VerifierLike): Promise<void>;
      /**
       * `await expect(txPromise).to.be.rejectedAsInvalidProof()`: the call reverted with the
       * Halo2 verifier's empty revert data (or `errorName` if a wrapping contract names it).
       */
      rejectedAsInvalidProof(errorName?: string): Promise<void>;
    }
  }
}

function revertData(e: unknown): string | undefined {
  const err = e as { data?: unknown; info?: { error?: { data?: unknown } }; error?: { data?: unknown } };
  for (const d of [err?.data, err?.info?.error?.data, err?.error?.data]) if (typeof d === "string") return d;
  return undefined;
}

/** Chai plugin with zk proof assertions: `chai.use(chaiZk)`. */
export function chaiZk(chai: Chai.ChaiStatic, utils: Chai.ChaiUtils): void {
  utils.addMethod(chai.Assertion.prototype, "verifyOn", async function (this: Chai.AssertionStatic, verifier: VerifierLike) {
    const result = utils.flag(this, "object") as ProofResult;
    let accepted = false;
    let reason = "";
    try {
      accepted = await verifier.verifyProof.staticCall(result.args.proof, result.args.instances);
    } catch (e) {
      reason = ` (reverted: ${(e as Error).message.split("\n")[0]})`;
    }
    this.assert(accepted, `expected the verifier to accept the proof${reason}`, "expected the verifier to reject the proof", true, accepted);
  });

  utils.addMethod(chai.Assertion.prototype, "rejectedAsInvalidProof", async function (this: Chai.AssertionStatic, errorName?: string) {
    const subject = utils.flag(this, "object") as Promise<unknown> | (() => Promise<unknown>);
    let error: unknown;
    try {
      await (typeof subject === "function" ? subject() : subject);
    } catch (e) {
      error = e;
    }
    this.assert(error !== undefined, "expected the call to be rejected as an invalid proof, but it succeeded", "expected the call not to be rejected", true);
    const data = revertData(error);
    if (errorName === undefined) {
      this.assert(data === undefined || data === "0x", `expected an empty revert (invalid proof) but got data ${data}`, "", true);
    } else {
      const message = String((error as Error).message);
      this.assert(message.includes(errorName), `expected custom error ${errorName} but got: ${message.split("\n")[0]}`, "", true);
    }
  });
}
