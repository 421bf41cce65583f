import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { resolveModel } from "../../tasks/config/resolve.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { ROOT } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

const ONNX = "models/tinyMlp/model.onnx";
const DATA = path.join(ROOT, "models/tinyMlp/input.json");
const MAX_ERROR = 1e-2;

describe("zk setup sizing within an error budget (tinyMlp, maxError 1e-2)", function () {
  const artifactsDir = path.join(ROOT, ".test-projects", "sizing-budget", "artifacts-zk");
  const ctx: BuildContext = {
    root: ROOT,
    artifactsDir,
    generatedContractsDir: path.join(ROOT, ".test-projects", "sizing-budget", "generated"),
    log: () => undefined,
    force: true,
  };

  it("lowers the scales to a smaller circuit whose proved outputs stay within the budget of onnxruntime's", async function () {
    const plain = await setupCircuit(resolveModel("mlpPlain", { onnx: ONNX }, ROOT), ctx);
    const model = resolveModel("mlpBudget", { onnx: ONNX, maxError: MAX_ERROR }, ROOT);
    const budget = await setupCircuit(model, ctx);

    const [p, b] = [plain.manifest, budget.manifest];
    expect(b.circuit!.logrows, "logrows with the budget").to.be.below(p.circuit!.logrows);
    expect(b.sizing!.scales.input).to.be.below(p.sizing!.scales.input);
    expect(b.sizing!.budget!.maxError).to.equal(MAX_ERROR);
    expect(b.sizing!.maxAbsError).to.be.at.most(MAX_ERROR);
    // The scan stops at the first scale over the budget, and records why.
    const last = b.sizing!.budget!.scan.at(-1)!;
    if (last.input > 1) expect(last.rejected).to.match(/above maxError|calibration failed/);

    // Measured here, not taken from the manifest: prove every calibration sample in the
    // engine, verify it, and compare the proof's public outputs with onnxruntime's.
    const samples = (JSON.parse(await readFile(DATA, "utf8")) as { input_data: number[][] }).input_data;
    const prover = await ModelProver.open(ROOT, artifactsDir, model);
    try {
      const proof = await prover.prove(samples);
      expect(prover.verify(proof.proofJson), "the proof verifies").to.equal(true);
      const proved = proof.instances.filter((i) => i.source === "output").map((i) => i.value!);
      const reference = (await runEzkl<number[][]>(ROOT, "onnx_run", { model: model.onnx, inputs: samples })).flat();
      expect(proved).to.have.length(reference.length);
      const error = Math.max(...proved.map((v, i) => Math.abs(v - reference[i]!)));
      expect(error, "max abs error of the proved outputs").to.be.at.most(MAX_ERROR);
      // (chai's closeTo is replaced by the ethers chai matchers, which take integers only.)
      expect(Math.abs(error - b.sizing!.maxAbsError!), "the error the manifest records").to.be.at.most(1e-9);
    } finally {
      await prover.close();
    }
  });

  it("refuses a budget tighter than ezkl's own calibration, naming the fix", async function () {
    let error: unknown;
    await setupCircuit(resolveModel("mlpTight", { onnx: ONNX, maxError: 1e-9 }, ROOT), ctx).catch((e) => (error = e));
    expectDeliberate(error);
    expect((error as Error).message).to.match(
      /model "mlpTight": ezkl's own calibration \(scales \d+\/\d+\) already errs by .* above maxError 1e-9; raise zk\.models\.mlpTight\.maxError or remove it/,
    );
  });
});
