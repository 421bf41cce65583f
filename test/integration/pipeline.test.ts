import { expect } from "chai";
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { resolveModel, resolveZkConfig } from "../../tasks/config/resolve.js";
import { validateZkUserConfig } from "../../tasks/config/validate.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import type { ZkModelUserConfig } from "@hardhat-zkml/core/config-types.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { assertPinnedEzkl } from "@hardhat-zkml/core/ezkl/installed-version.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { ModelBuild, type BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { loadModelFiles } from "@hardhat-zkml/core/prover/model-files.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";
import { ROOT, captureLog, tempProject } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

const TINY_MLP: ZkModelUserConfig = {
  onnx: "models/tinyMlp/model.onnx",
  inputScale: 7,
  paramScale: 7,
  decompBase: 1024,
  maxLogrows: 12,
};
const FRAUD: ZkModelUserConfig = {
  onnx: "models/fraudScore/model.onnx",
  input: "public",
  inputScale: 7,
  paramScale: 7,
  decompBase: 1024,
  maxLogrows: 12,
  attest: { source: "input", decimals: [18, 0, 0, 0] },
};
const TINY_CONV: ZkModelUserConfig = {
  onnx: "models/tinyConv/model.onnx",
  inputScale: 6,
  paramScale: 6,
  decompBase: 1024,
  maxLogrows: 13,
  verifier: "reusable",
};

async function expectZkError(promise: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expectDeliberate(e);
    const message = (e as Error).message;
    expect(message).to.match(pattern);
    expect(message.split("\n")).to.have.length(1, "errors are one line");
    return message;
  }
  throw new Error(`expected a ZkError matching ${pattern}`);
}

describe("zk config", function () {
  it("accepts a full model config", function () {
    expect(validateZkUserConfig({ models: { a: { ...TINY_CONV, srs: { path: "x.srs" }, calibrationTarget: "accuracy" } } })).to.deep.equal(
      [],
    );
  });

  it("names the model and the field of an invalid value", function () {
    const errors = validateZkUserConfig({ models: { judge: { onnx: "m.onnx", input: "secret", maxLogrows: 40 } } });
    expect(errors.map((e) => e.path.join("."))).to.have.members(["zk.models.judge.input", "zk.models.judge.maxLogrows"]);
    for (const e of errors) expect(e.message).to.match(/^model "judge": zk\.models\.judge\./);
  });

  it("rejects unknown fields and a malformed srs", function () {
    const errors = validateZkUserConfig({ models: { judge: { onnx: "m.onnx", logrow: 3, srs: "ceremony" } } });
    expect(errors.map((e) => e.message).join("\n"))
      .to.match(/logrow/)
      .and.to.match(/"dev" or \{ path/);
  });

  it("resolves defaults and absolute paths against the project root", function () {
    const config = resolveZkConfig({ models: { m: { onnx: "models/m/model.onnx" } } }, "/p");
    expect(config.artifactsDir).to.equal("/p/artifacts-zk");
    expect(config.models.m).to.include({
      onnx: "/p/models/m/model.onnx",
      calibrationData: "/p/models/m/input.json",
      input: "private",
      output: "public",
      param: "fixed",
      verifier: "single",
      maxLogrows: 17,
      sizing: "auto",
    });
    expect(config.models.m!.decompBase, "decomposition is searched unless set").to.equal(undefined);
    expect(config.models.m!.srs).to.deep.equal({ kind: "dev" });
  });

  it("an unknown model name lists the configured ones", async function () {
    const config = resolveZkConfig({ models: { a: TINY_MLP, b: TINY_CONV } }, ROOT);
    expect(() => selectModels(config, "nope")).to.throw(ZkError, /unknown model "nope"; configured models: a, b/);
    expect(selectModels(config, undefined).map((m) => m.name)).to.deep.equal(["a", "b"]);
  });
});

describe("zk tasks on fixture models of different shapes", function () {
  let project: Awaited<ReturnType<typeof tempProject>>;
  const run = (name: string, args: Record<string, unknown> = {}) => captureLog(() => project.hre.tasks.getTask(["zk", name]).run(args));

  before(async function () {
    project = await tempProject("two-models", { tinyMlp: TINY_MLP, tinyConv: TINY_CONV, fraudScore: FRAUD });
  });

  it("setup builds both models with progress and timings per step", async function () {
    const out = await run("setup");
    for (const model of ["tinyMlp", "tinyConv"]) {
      for (const step of ["settings", "compile", "srs", "keys"])
        expect(out).to.match(new RegExp(`\\[${model}\\] ${step}: done in [0-9.]+ s`));
    }
    const manifest = (await readManifest(path.join(project.dir, "artifacts-zk", "tinyConv", "manifest.json")))!;
    expect(manifest.toolchain).to.deep.equal({ ezkl: "21.0.3", engine: "21.0.0", solc: "0.8.20" });
    expect(manifest.srs).to.include({ source: "dev", insecure: true });
    expect(manifest.instances).to.have.length(2);
    expect(manifest.instances!.map((s) => s.source)).to.deep.equal(["output", "output"]);
    expect(Object.keys(manifest.steps)).to.have.members(["settings", "compile", "srs", "keys"]);
  });

  it("a second setup does no work", async function () {
    const out = await run("setup");
    expect(out).to.not.match(/running|done in/);
    expect(out.match(/up to date/g)).to.have.length(12);
  });

  it("verifier writes per-model contracts and compiles them with typechain types", async function () {
    const out = await captureLog(() => project.hre.tasks.getTask(["zk", "verifier"]).run({ quiet: true }));
    expect(out)
      .to.match(/TinyMlpVerifier/)
      .and.to.match(/TinyConvReusableVerifier/)
      .and.to.match(/TinyConvVerifyingKey/);
    for (const name of ["TinyMlpVerifier", "TinyConvReusableVerifier", "TinyConvVerifyingKey"]) {
      expect(await project.hre.artifacts.artifactExists(name), name).to.equal(true);
      const types = await readFile(path.join(project.dir, "types", `${name}.ts`), "utf8");
      expect(types).to.include(name);
    }
  });

  it("attester writes the data attester of the model with an on-chain source", async function () {
    const out = await run("attester", { quiet: true });
    expect(out).to.match(/\[fraudScore\] attester: FraudScoreDataAttester .*bits 7,7,7,7, decimals 18,0,0,0/);
    expect(out).to.not.match(/tinyMlp|tinyConv/);
    expect(await project.hre.artifacts.artifactExists("FraudScoreDataAttester")).to.equal(true);
    const manifest = (await readManifest(path.join(project.dir, "artifacts-zk", "fraudScore", "manifest.json")))!;
    expect(manifest.attester).to.deep.equal({ decimals: [18, 0, 0, 0], bits: [7, 7, 7, 7], instanceOffset: 0 });
  });

  it("attester on a model without an on-chain source says how to add one", async function () {
    await expectZkError(
      project.hre.tasks.getTask(["zk", "attester"]).run({ model: "tinyMlp", quiet: true }),
      /model "tinyMlp" has no on-chain data source; add zk\.models\.tinyMlp\.attest/,
    );
  });

  it("info reports logrows, the instance layout and verifier size against EIP-170 and the gas cap", async function () {
    const out = await run("info", { model: "tinyConv" });
    expect(out).to.match(/tinyConv: logrows \d+/);
    expect(out).to.match(/\[0\] output 0, element 0, scale 2\^\d+/);
    expect(out).to.match(/\[1\] output 0, element 1/);
    expect(out).to.match(/TinyConvReusableVerifier: \d+ \/ 24576 bytes; deploy gas \d+ \/ 16777216/);
    expect(out).to.match(/INSECURE dev SRS/);
  });

  it("a changed ONNX rebuilds the circuit and keys but keeps an SRS of the same size", async function () {
    const onnx = path.join(project.dir, "model.onnx");
    await copyFile(path.join(ROOT, TINY_MLP.onnx), onnx);
    await copyFile(path.join(ROOT, "models/tinyMlp/input.json"), path.join(project.dir, "input.json"));
    const model = resolveModel("changing", { ...TINY_MLP, onnx }, ROOT);
    const ctx: BuildContext = {
      root: ROOT,
      artifactsDir: path.join(project.dir, "artifacts-zk"),
      generatedContractsDir: path.join(project.dir, "contracts/generated"),
      log: () => {},
    };
    expect((await setupCircuit(model, ctx)).ran).to.deep.equal(["settings", "compile", "srs", "keys"]);
    // Halve the weights: same shapes, different circuit.
    await promisify(execFile)(path.join(ROOT, ".venv/bin/python"), [
      "-c",
      [
        "import onnx, sys; from onnx import numpy_helper as nh",
        "m = onnx.load(sys.argv[1])",
        "[i.CopyFrom(nh.from_array(nh.to_array(i) * 0.5, i.name)) for i in m.graph.initializer]",
        "onnx.save(m, sys.argv[1])",
      ].join("\n"),
      onnx,
    ]);
    expect((await setupCircuit(model, ctx)).ran).to.deep.equal(["settings", "compile", "keys"]);
    expect((await setupCircuit(model, ctx)).ran).to.deep.equal([]);
    expect((await setupCircuit(model, { ...ctx, force: true })).ran).to.deep.equal(["settings", "compile", "srs", "keys"]);
  });

  it("a step prints its start, then a line every few seconds while it runs, with the last run's time", async function () {
    const lines: string[] = [];
    const model = resolveModel("tinyMlp", TINY_MLP, ROOT);
    const build = await ModelBuild.open(model, {
      root: ROOT,
      artifactsDir: path.join(project.dir, "artifacts-zk"),
      generatedContractsDir: path.join(project.dir, "contracts/generated"),
      log: (line) => lines.push(line),
      progressEveryMs: 200,
      force: true,
    });
    const out = path.join(project.dir, "slow-step.txt");
    const slow = () => new Promise<void>((resolve) => setTimeout(() => writeFile(out, "x").then(resolve), 1100));
    await build.step("slow", { n: 1 }, [out], slow);
    expect(lines[0]).to.equal("[tinyMlp] slow: running... (elapsed 0 s)");
    expect(lines.filter((l) => /^\[tinyMlp\] slow: running\.\.\. \(elapsed \d s\)$/.test(l)).length).to.be.at.least(4);
    expect(lines.at(-1)).to.match(/^\[tinyMlp\] slow: done in 1\.\d s$/);
    lines.length = 0;
    await build.step("slow", { n: 2 }, [out], slow);
    expect(lines[0]).to.equal("[tinyMlp] slow: running... (elapsed 0 s, expected ~1 s from the last run)");
  });

  it("--force redoes every step", async function () {
    const out = await run("setup", { model: "tinyMlp", force: true });
    for (const step of ["settings", "compile", "srs", "keys"]) expect(out).to.match(new RegExp(`\\[tinyMlp\\] ${step}: done in`));
  });

  it("a modified artifact is reported by name, in setup and before proving", async function () {
    const paths = modelArtifacts(path.join(project.dir, "artifacts-zk"), "tinyMlp");
    const original = await readFile(paths.vk);
    await writeFile(paths.vk, Buffer.concat([original, Buffer.from([0])]));
    try {
      await expectZkError(
        project.hre.tasks.getTask(["zk", "setup"]).run({ model: "tinyMlp", quiet: true }),
        /vk\.key does not match the hash in its manifest.*--force/,
      );
      await expectZkError(loadModelFiles(ROOT, "tinyMlp", paths), /vk\.key does not match its manifest hash/);
    } finally {
      await writeFile(paths.vk, original);
    }
  });

  it("clean removes build outputs and generated contracts", async function () {
    await run("clean", { model: "tinyConv" });
    const { exists } = await import("@hardhat-zkml/core/manifest.js");
    expect(await exists(path.join(project.dir, "artifacts-zk", "tinyConv"))).to.equal(false);
    expect(await exists(path.join(project.dir, "contracts/generated/TinyConvReusableVerifier.sol"))).to.equal(false);
    expect(await exists(path.join(project.dir, "artifacts-zk", "tinyMlp", "manifest.json"))).to.equal(true);
  });

  it("hardhat's own clean removes them too", async function () {
    await project.hre.tasks.getTask("clean").run({});
    const { exists } = await import("@hardhat-zkml/core/manifest.js");
    expect(await exists(path.join(project.dir, "artifacts-zk", "tinyMlp"))).to.equal(false);
    expect(await exists(path.join(project.dir, "contracts/generated/TinyMlpVerifier.sol"))).to.equal(false);
  });
});

describe("bad input gives one line that names the fix", function () {
  const dir = path.join(ROOT, ".test-projects", "bad-input");
  const ctx: BuildContext = {
    root: ROOT,
    artifactsDir: path.join(dir, "artifacts-zk"),
    generatedContractsDir: path.join(dir, "gen"),
    log: () => {},
  };
  before(async () => mkdir(dir, { recursive: true }));

  it("missing ONNX", async function () {
    const model = resolveModel("ghost", { onnx: "models/ghost/model.onnx" }, ROOT);
    await expectZkError(setupCircuit(model, ctx), /model "ghost": ONNX file .*ghost\/model\.onnx not found; fix zk\.models\.ghost\.onnx/);
  });

  it("invalid ONNX", async function () {
    await writeFile(path.join(dir, "junk.onnx"), "this is not a protobuf");
    await writeFile(path.join(dir, "input.json"), JSON.stringify({ input_data: [[1, 2, 3, 4]] }));
    const model = resolveModel("junk", { onnx: path.join(dir, "junk.onnx") }, ROOT);
    await expectZkError(setupCircuit(model, ctx), /model "junk": .*junk\.onnx is not a valid ONNX model/);
  });

  it("calibration data that does not match the input shape", async function () {
    await writeFile(path.join(dir, "short.json"), JSON.stringify({ input_data: [[0.1, 0.2, 0.3]] }));
    const model = resolveModel("short", { ...TINY_MLP, calibrationData: path.join(dir, "short.json") }, ROOT);
    await expectZkError(setupCircuit(model, ctx), /input 0 \("x"\) has 3 values; shape 1x4 needs 4 per sample/);
  });

  it("calibration data with the wrong number of inputs", async function () {
    await writeFile(path.join(dir, "two.json"), JSON.stringify({ input_data: [[1, 2, 3, 4], [1]] }));
    const model = resolveModel("two", { ...TINY_MLP, calibrationData: path.join(dir, "two.json") }, ROOT);
    await expectZkError(setupCircuit(model, ctx), /has 2 input array\(s\) but the model takes 1 \(x\[1x4\]\)/);
  });

  it("calibration that cannot fit says which settings to change", async function () {
    const model = resolveModel("cramped", { onnx: TINY_CONV.onnx, maxLogrows: 6 }, ROOT);
    const message = await expectZkError(
      setupCircuit(model, ctx),
      /model "cramped": calibration failed at ezkl's scale search with decomp 16384x2: .*; decomp 16384x3: .*; decomp 16384x4: .*; decomp 16384x5: .*; raise zk\.models\.cramped\.maxLogrows \(now 6\)/,
    );
    expect(message, 'calibrationTarget is already "resources"').not.to.match(/calibrationTarget/);
  });

  it("a logrows cap below what the WASM prover needs names both fixes", async function () {
    // Default decomposition base 16384: range checks need 2^14 rows to stay within 2 columns.
    const model = resolveModel("capped", { onnx: TINY_MLP.onnx, inputScale: 7, paramScale: 7, maxLogrows: 12, sizing: "ezkl" }, ROOT);
    await expectZkError(
      setupCircuit(model, ctx),
      /model "capped": the WASM prover needs logrows 1[45] .* but maxLogrows is 12; raise zk\.models\.capped\.maxLogrows or lower decompBase/,
    );
  });

  it("a Python environment with another ezkl version", async function () {
    const fake = path.join(dir, "fake-python.sh");
    await writeFile(fake, `#!/bin/sh\necho '{"ok": true, "result": {"ezkl": "20.2.7", "python": "3.11"}}'\n`, { mode: 0o755 });
    const saved = process.env.ZK_PYTHON;
    process.env.ZK_PYTHON = fake;
    try {
      await expectZkError(assertPinnedEzkl(dir), /has ezkl 20\.2\.7 but this project needs 21\.0\.3: run `npx hardhat zk install-python`/);
    } finally {
      if (saved === undefined) delete process.env.ZK_PYTHON;
      else process.env.ZK_PYTHON = saved;
    }
  });

  it("a missing Python toolchain", async function () {
    const saved = process.env.ZK_PYTHON;
    process.env.ZK_PYTHON = path.join(dir, "no-such-python");
    try {
      await expectZkError(runEzkl(ROOT, "versions"), /Python toolchain missing .*npx hardhat zk install-python/);
    } finally {
      if (saved === undefined) delete process.env.ZK_PYTHON;
      else process.env.ZK_PYTHON = saved;
    }
  });
});
