import { expect } from "chai";
import type { ZkModelConfig, ZkModelUserConfig } from "@hardhat-zkml/core/config-types.js";
import type { Manifest } from "@hardhat-zkml/core/manifest.js";
import { noBoundAddress } from "@hardhat-zkml/core/reward/layout.js";
import { scoreOutput } from "@hardhat-zkml/core/reward/score.js";
import { resolveModel } from "../../tasks/config/resolve.js";
import { validateZkUserConfig } from "../../tasks/config/validate.js";
import { expectDeliberate } from "../helpers/errors.js";

const messages = (model: Record<string, unknown>) =>
  validateZkUserConfig({ models: { m: { onnx: "m.onnx", ...model } } }).map((e) => e.message);
const resolved = (model: Partial<ZkModelUserConfig>): ZkModelConfig => resolveModel("m", { onnx: "m.onnx", ...model }, "/project");
/** The score of a model whose built graph has outputs of these shapes ("1x2": [1, 2]). */
const score = (model: ZkModelConfig, ...outputs: string[]) => {
  const io: Manifest["io"] = {
    inputs: [{ name: "x", shape: [1, 4] }],
    outputs: outputs.map((shape, i) => ({ name: `y${i}`, shape: shape.split("x").map(Number) })),
  };
  return scoreOutput(model, io);
};

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expectDeliberate(e);
    expect((e as Error).message.split("\n")).to.have.length(1);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("boundAddress: true and score (config)", function () {
  it("accepts boundAddress: true alone and resolves it to key input 0 and output 0 of the built copy, range checks off", function () {
    expect(messages({ boundAddress: true })).to.deep.equal([]);
    const m = resolved({ boundAddress: true });
    expect(m.boundAddress).to.deep.equal({ input: 0, output: 0, added: true });
    expect(m.ignoreRangeCheckInputsOutputs).to.equal(true);
    expect(m.onnx).to.equal("/project/m.onnx"); // the user's file; the build writes the copy
  });

  it("keeps the explicit { input, output } form as it was", function () {
    expect(messages({ boundAddress: { input: 0, output: 0 }, ignoreRangeCheckInputsOutputs: true })).to.deep.equal([]);
    expect(resolved({ boundAddress: { input: 1, output: 0 }, ignoreRangeCheckInputsOutputs: true }).boundAddress).to.deep.equal({
      input: 1,
      output: 0,
    });
    expect(messages({ boundAddress: { input: 0, output: 0 } })).to.deep.equal([
      'model "m": zk.models.m.ignoreRangeCheckInputsOutputs: boundAddress needs ignoreRangeCheckInputsOutputs: true (a 160-bit address fails the default input range check)',
    ]);
  });

  it("refuses other boundAddress values, true with range checks forced on, and a malformed score", function () {
    expect(messages({ boundAddress: false })).to.deep.equal([
      'model "m": zk.models.m.boundAddress: must be true (the build adds the key) or { input, output } (the model already carries it)',
    ]);
    expect(messages({ boundAddress: true, ignoreRangeCheckInputsOutputs: false })[0]).to.match(
      /ignoreRangeCheckInputsOutputs: boundAddress needs ignoreRangeCheckInputsOutputs: true/,
    );
    expect(messages({ score: { output: -1 } })[0]).to.match(/^model "m": zk\.models\.m\.score\.output: /);
    expect(messages({ score: { output: 0, index: 1 } })).to.deep.equal([
      'model "m": zk.models.m.score: must be { output, element }: the score\'s output of the model and its element',
    ]);
  });

  it("picks the score by default only when one output with one element is left besides the key", function () {
    expect(score(resolved({ boundAddress: true }), "1x1", "1x1")).to.deep.equal({ tensor: 1, element: 0 });
    const judge = resolved({ boundAddress: { input: 0, output: 0 }, ignoreRangeCheckInputsOutputs: true });
    expect(score(judge, "1x1", "1x1")).to.deep.equal({ tensor: 1, element: 0 });
    // The built graph of boundAddress: true is [key, user's 0, user's 1]: the listing counts the user's outputs.
    expect(refusal(() => score(resolved({ boundAddress: true }), "1x1", "1x2", "1x1"))).to.equal(
      'model "m" has 2 outputs that could be the score (0: [1,2], 1: [1,1]); set zk.models.m.score = { output, element }',
    );
    expect(refusal(() => score(resolved({ boundAddress: true }), "1x1", "1x3"))).to.equal(
      'model "m" has 1 output with several values that could be the score (0: [1,3]); set zk.models.m.score = { output, element }',
    );
  });

  it("maps score.output over the user's outputs into the built graph, and refuses outputs and elements that do not exist", function () {
    const m = resolved({ boundAddress: true, score: { output: 1, element: 1 } });
    expect(score(m, "1x1", "1x2", "1x2")).to.deep.equal({ tensor: 2, element: 1 });
    expect(refusal(() => score(resolved({ boundAddress: true, score: { output: 2 } }), "1x1", "1x2", "1x2"))).to.equal(
      'model "m": zk.models.m.score.output is 2 but the model has no output 2; choose one of (0: [1,2], 1: [1,2])',
    );
    expect(refusal(() => score(resolved({ boundAddress: true, score: { output: 0, element: 2 } }), "1x1", "1x2"))).to.equal(
      'model "m": zk.models.m.score.element is 2 but output 0 [1,2] has 2 element(s); choose 0..1',
    );
    const explicit = resolved({ boundAddress: { input: 0, output: 0 }, ignoreRangeCheckInputsOutputs: true, score: { output: 0 } });
    expect(refusal(() => score(explicit, "1x1", "1x1"))).to.equal(
      'model "m": zk.models.m.score.output is 0 but output 0 is the bound address; choose one of (1: [1,1])',
    );
  });

  it("names both ways forward when a reward is asked of a model without boundAddress", function () {
    expect(noBoundAddress("m")).to.equal(
      'model "m" has no boundAddress; a reward needs the prover\'s address in the proof: set zk.models.m.boundAddress = true (the build adds it), ' +
        "or deploy only the verifier with `npx hardhat zk deploy --model m --verifier-only`",
    );
  });
});
