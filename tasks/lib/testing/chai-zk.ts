import { id, type BaseContract } from "ethers";
import { revertData } from "@hardhat-zkml/core/chain-errors.js";
import type { ProofResult } from "@hardhat-zkml/core/prover/model-prover.js";

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
       * Halo2 verifier's own failure (a revert with empty data) or with the custom error
       * `InvalidProof()` of a wrapping contract (another name or signature: `errorName`).
       * Any other rejection (another custom error, a reason string, an error with no revert
       * data such as a network failure) does not match.
       */
      rejectedAsInvalidProof(errorName?: string): Promise<void>;
    }
  }
}

/** The 4-byte selector of a custom error given by name ("InvalidProof") or signature ("Foo(uint256)"). */
function errorSelector(nameOrSignature: string): string {
  const signature = nameOrSignature.includes("(") ? nameOrSignature : `${nameOrSignature}()`;
  return id(signature).slice(0, 10);
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
    this.assert(
      accepted,
      `expected the verifier to accept the proof${reason}`,
      "expected the verifier to reject the proof",
      true,
      accepted,
    );
  });

  utils.addMethod(chai.Assertion.prototype, "rejectedAsInvalidProof", function (this: Chai.AssertionStatic, errorName?: string) {
    const subject = utils.flag(this, "object") as Promise<unknown> | (() => Promise<unknown>);
    const check = async () => {
      let error: unknown;
      try {
        await (typeof subject === "function" ? subject() : subject);
      } catch (e) {
        error = e;
      }
      this.assert(
        error !== undefined,
        "expected the call to be rejected as an invalid proof, but it succeeded",
        "expected the call not to be rejected",
        true,
      );
      const data = revertData(error);
      const wanted = errorSelector(errorName ?? "InvalidProof");
      const matches = data === "0x" || (data !== undefined && data.slice(0, 10).toLowerCase() === wanted);
      const got =
        data === undefined
          ? `no revert data (${String((error as Error)?.message ?? error).split("\n")[0]})`
          : `revert data ${data.slice(0, 74)}`;
      this.assert(
        matches,
        `expected the verifier's empty revert or ${errorName ?? "InvalidProof"}(), but got ${got}`,
        "expected the call not to be rejected as an invalid proof",
        true,
      );
    };
    // A thenable assertion (as chai's async matchers do), so `await expect(...)` waits for the verdict.
    const verdict = check();
    const self = this as unknown as { then: unknown; catch: unknown };
    self.then = verdict.then.bind(verdict);
    self.catch = verdict.catch.bind(verdict);
    return this;
  });
}
