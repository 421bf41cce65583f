import { expect } from "chai";
import { resolveModel } from "../../tasks/config/resolve.js";
import { validateZkUserConfig } from "../../tasks/config/validate.js";
import { cheapestWithinBudget, probeCost } from "@hardhat-zkml/core/pipeline/sizing/error-budget.js";
import type { EzklSettings } from "@hardhat-zkml/core/settings.js";

const messages = (model: Record<string, unknown>) =>
  validateZkUserConfig({ models: { m: { onnx: "m.onnx", ...model } } }).map((e) => e.message);

describe("maxError (error budget): config", function () {
  it("accepts a positive budget and resolves it onto the model", function () {
    expect(messages({ maxError: 1e-2 })).to.deep.equal([]);
    expect(resolveModel("m", { onnx: "m.onnx", maxError: 0.5 }, "/p").maxError).to.equal(0.5);
    expect(resolveModel("m", { onnx: "m.onnx" }, "/p").maxError).to.equal(undefined);
  });

  it("refuses zero, negative, infinite and non-numeric budgets, naming the field", function () {
    for (const maxError of [0, -1e-3, Infinity, "0.01"]) {
      const errors = messages({ maxError });
      expect(errors, String(maxError)).to.have.length(1);
      expect(errors[0]).to.match(/^model "m": zk\.models\.m\.maxError: /);
    }
    expect(messages({ maxError: -1 })[0]).to.match(/must be a positive number/);
  });

  it('refuses a budget with fixed scales or with sizing "ezkl", saying what to remove', function () {
    expect(messages({ maxError: 1e-2, inputScale: 7 })).to.deep.equal([
      'model "m": zk.models.m.maxError: maxError lets the sizing search choose the scales; remove inputScale/paramScale or maxError',
    ]);
    expect(messages({ maxError: 1e-2, paramScale: 7 })).to.have.length(1);
    expect(messages({ maxError: 1e-2, sizing: "ezkl" })[0]).to.match(/maxError needs sizing "auto".*remove sizing or maxError/);
    expect(messages({ maxError: 1e-2, sizing: "auto" })).to.deep.equal([]);
  });
});

describe("maxError (error budget): choosing the scale", function () {
  it("takes the cheapest scale within the budget, the higher scale on equal cost", function () {
    const scan = [
      { input: 13, param: 13, maxAbsError: 5e-5, estimatedCost: 278528 },
      { input: 12, param: 12, maxAbsError: 8e-5, estimatedCost: 139264 },
      { input: 11, param: 11, maxAbsError: 1e-3, estimatedCost: 32768 },
      { input: 10, param: 10, maxAbsError: 3e-3, estimatedCost: 32768 },
      { input: 9, param: 9, maxAbsError: 2e-2, estimatedCost: 16384, rejected: "above maxError" },
    ];
    expect(cheapestWithinBudget(scan, 1e-2)).to.include({ input: 11 });
    expect(cheapestWithinBudget(scan, 1e-4)).to.include({ input: 12 });
    expect(cheapestWithinBudget(scan, 1e-6)).to.equal(undefined);
  });

  it("costs a scale by its lookup tables and rows, leaving out the decomposition's digit table", function () {
    const settings = {
      run_args: { decomp_base: 16384, decomp_legs: 2, lookup_range: [-2000, 1800], num_inner_cols: 2 },
      num_rows: 1300,
      total_const_size: 10,
      model_instance_shapes: [[1]],
      required_lookups: ["Sigmoid"],
      required_range_checks: [
        [-1, 1],
        [0, 16383],
      ],
    } as unknown as EzklSettings;
    // 3,800 lookup entries fit 2 columns at logrows 11 (2 x 2,032); the 16,384-entry digit table would need 14.
    expect(probeCost(settings).logrows).to.equal(11);
  });
});
