import { expect } from "chai";
import type { ZkModelConfig, ZkModelUserConfig } from "@hardhat-zkml/core/config-types.js";
import type { InstanceSlot, Manifest } from "@hardhat-zkml/core/manifest.js";
import { bindingInfo, formatModelInfo, type ModelInfo } from "@hardhat-zkml/core/pipeline/model-info.js";
import { rewardLayout } from "@hardhat-zkml/core/reward/layout.js";
import { resolveModel } from "../../tasks/config/resolve.js";

const resolved = (model: Partial<ZkModelUserConfig>): ZkModelConfig => resolveModel("m", { onnx: "m.onnx", ...model }, "/project");
const slot = (index: number, tensor: number, element: number): InstanceSlot => ({ index, source: "output", tensor, element, scale: 7 });

/** A classifier built with boundAddress: true: [key, x] in, [key, logits[1,2], probabilities[1,2]] out. */
const CLASSIFIER: Manifest = {
  io: {
    inputs: [
      { name: "bound_key", shape: [1, 1] },
      { name: "x", shape: [1, 4] },
    ],
    outputs: [
      { name: "bound_key_out", shape: [1, 1] },
      { name: "logits", shape: [1, 2] },
      { name: "probabilities", shape: [1, 2] },
    ],
  },
  instances: [slot(0, 0, 0), slot(1, 1, 0), slot(2, 1, 1), slot(3, 2, 0), slot(4, 2, 1)],
} as Manifest;

/** The binding lines of `zk info` for this model and manifest. */
function bindingLines(model: ZkModelConfig, manifest: Manifest): string[] {
  const info: ModelInfo = {
    model: "m",
    logrows: 10,
    rows: 100,
    blocks: 1,
    widestTableColumns: 1,
    srs: { source: "dev", insecure: true },
    instances: manifest.instances ?? [],
    binding: bindingInfo(model, manifest),
    files: {},
    contracts: [],
  };
  return formatModelInfo(info)
    .split("\n")
    .filter((line) => /^ {2}(bound address|score): /.test(line));
}

describe("zk info: bound address and score lines", function () {
  it("boundAddress: true: says the build added the key, and maps score.output over the user's outputs to its instance", function () {
    const model = resolved({ boundAddress: true, score: { output: 1, element: 1 } });
    expect(bindingLines(model, CLASSIFIER)).to.deep.equal([
      "  bound address: enters at input 0 (bound_key), leaves at output 0 (bound_key_out) = public instance [0] (the reward's recipientIndex); " +
        "added by the build (boundAddress: true)",
      "  score: output 2 (probabilities), element 1 = public instance [4] (the reward's scoreIndex), scale 2^7",
    ]);
    const layout = rewardLayout(model, CLASSIFIER);
    expect([layout.recipientIndex, layout.scoreIndex]).to.deep.equal([0n, 4n]);
  });

  it("a score output that is not public says so, and an unchosen score prints the error that says how to choose", function () {
    const hidden = { ...CLASSIFIER, instances: [slot(0, 0, 0)] };
    expect(bindingLines(resolved({ boundAddress: true, score: { output: 1, element: 1 } }), hidden)[1]).to.equal(
      "  score: output 2 (probabilities), element 1 = not public (a reward cannot read it)",
    );
    expect(bindingLines(resolved({ boundAddress: true }), CLASSIFIER)[1]).to.equal(
      '  score: none chosen: model "m" has 2 outputs that could be the score (0: [1,2], 1: [1,2]); set zk.models.m.score = { output, element }',
    );
  });

  it("prints nothing about binding for a model without boundAddress", function () {
    expect(bindingInfo(resolved({}), CLASSIFIER)).to.equal(undefined);
    expect(bindingLines(resolved({}), CLASSIFIER)).to.deep.equal([]);
  });
});
