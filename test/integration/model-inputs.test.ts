import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import { copyFile, cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import hre from "hardhat";
import type { ZkModelUserConfig } from "@hardhat-zkml/core/config-types.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { readModelInputs } from "@hardhat-zkml/core/prover/model-inputs.js";
import { ctx, openProver } from "../helpers/fixtures.js";
import { ROOT, captureLog, tempProject } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FELT = (address: string) => Buffer.from(BigInt(address).toString(16).padStart(64, "0"), "hex").reverse().toString("hex");

async function expectZkError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (e) {
    expectDeliberate(e);
    expect((e as Error).message.split("\n")).to.have.length(1);
    expect((e as Error).message).to.match(pattern);
    return;
  }
  throw new Error(`expected a ZkError matching ${pattern}`);
}

describe("readModelInputs: one reader for zk prove and zk claim", function () {
  const dir = path.join(ROOT, ".test-projects", "model-inputs");
  const model = hre.config.zk.models.voiceJudgeSmall!;
  let io: NonNullable<Awaited<ReturnType<typeof openProver>>["files"]["manifest"]["io"]>;
  let x: number[];
  const write = async (name: string, value: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };

  before(async function () {
    await mkdir(dir, { recursive: true });
    io = (await openProver("voiceJudgeSmall")).files.manifest.io!;
    x = JSON.parse(await readFile(path.join(ctx.root, "models/voiceJudgeSmall/samples.json"), "utf8"))["0.95"];
  });

  it("the same inputs with or without a placeholder at the bound input", async function () {
    const withKey = await readModelInputs(model, io, { file: await write("with.json", { input_data: [["anything"], x] }) });
    const without = await readModelInputs(model, io, { file: await write("without.json", { input_data: [x] }) });
    expect(withKey).to.deep.equal([x]);
    expect(without).to.deep.equal([x]);
  });

  it("the default is input.json beside the ONNX", async function () {
    const inputs = await readModelInputs(model, io);
    expect(inputs).to.have.length(1);
    expect(inputs[0]).to.have.length(320);
  });

  it("wrong counts, broken JSON and missing files are one line with the fix", async function () {
    await expectZkError(
      readModelInputs(model, io, { file: await write("three.json", { input_data: [[1], x, x] }) }),
      /has 3 input array\(s\); model "voiceJudgeSmall" needs 1 \(x\), or 2 with a placeholder for the bound key "key"/,
    );
    await expectZkError(
      readModelInputs(model, io, { file: await write("broken.json", '{"input_data": [') }),
      /input file .*broken\.json is not valid JSON \(.*\); expected \{"input_data": \[\[\.\.\.\], \.\.\.\]\}/,
    );
    await expectZkError(
      readModelInputs(model, io, { file: await write("flat.json", { input_data: x }) }),
      /has no "input_data" array of arrays/,
    );
    await expectZkError(
      readModelInputs(model, io, { file: path.join(dir, "missing.json") }),
      /input file .*missing\.json not found; pass --input <file>/,
    );
  });
});

/**
 * A judge with two inputs besides the key, (key, a[3], b[2]) -> [key, score], built,
 * deployed, proven and claimed through the tasks in a project of its own.
 */
describe("a judge model with two inputs besides the key", function () {
  const JUDGE: ZkModelUserConfig = {
    onnx: ".test-projects/two-input-judge/model.onnx",
    calibrationData: ".test-projects/two-input-judge/calibration.json",
    input: "polycommit",
    inputScale: 7,
    paramScale: 7,
    decompBase: 1024,
    maxLogrows: 12,
    ignoreRangeCheckInputsOutputs: true,
    boundAddress: { input: 0, output: 0 },
  };
  let project: Awaited<ReturnType<typeof tempProject>>;
  const run = (name: string, args: Record<string, unknown>) => captureLog(() => project.hre.tasks.getTask(["zk", name]).run(args));
  const a = [0.6, 0.2, 0.9];
  const b = [0.7, 0.4];

  before(async function () {
    project = await tempProject("two-input-judge", { judge: JUDGE });
    const { dir } = project;
    await promisify(execFile)(path.join(ROOT, ".venv/bin/python"), [
      "-c",
      [
        "import json, sys, numpy as np, onnx",
        "from onnx import TensorProto, helper, numpy_helper as nh",
        "d = sys.argv[1]; felt = sys.argv[2]",
        "t = lambda n, v: nh.from_array(np.array(v, dtype=np.float32), n)",
        "nodes = [helper.make_node('Identity', ['key'], ['key_out']), helper.make_node('MatMul', ['a', 'wa'], ['za']),",
        "  helper.make_node('MatMul', ['b', 'wb'], ['zb']), helper.make_node('Add', ['za', 'zb'], ['z']), helper.make_node('Sigmoid', ['z'], ['score'])]",
        "vi = lambda n, s: helper.make_tensor_value_info(n, TensorProto.FLOAT, s)",
        "g = helper.make_graph(nodes, 'judge', [vi('key', [1, 1]), vi('a', [1, 3]), vi('b', [1, 2])], [vi('key_out', [1, 1]), vi('score', [1, 1])],",
        "  [t('wa', [[1.0], [0.5], [1.0]]), t('wb', [[1.5], [-0.5]])])",
        "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); m.ir_version = 8; onnx.checker.check_model(m)",
        "open(d + '/model.onnx', 'wb').write(m.SerializeToString())",
        "rng = np.random.default_rng(3); n = 16",
        "json.dump({'input_data': [[felt] * n, rng.uniform(0, 1, 3 * n).round(3).tolist(), rng.uniform(0, 1, 2 * n).round(3).tolist()]}, open(d + '/calibration.json', 'w'))",
      ].join("\n"),
      dir,
      FELT(ALICE),
    ]);
    // The reward contract is a hand-written source of the workspace: compile it here too.
    await copyFile(path.join(ROOT, "contracts/JudgmentReward.sol"), path.join(dir, "contracts/JudgmentReward.sol"));
    await cp(path.join(ROOT, "contracts/interfaces"), path.join(dir, "contracts/interfaces"), { recursive: true });
    await run("verifier", { model: "judge", quiet: true });
  });

  it("zk prove reads the same file with and without a placeholder, and the second proof shows the expected time", async function () {
    const withKey = path.join(project.dir, "with-key.json");
    const without = path.join(project.dir, "without-key.json");
    await writeFile(withKey, JSON.stringify({ input_data: [[FELT(ALICE)], a, b] }));
    await writeFile(without, JSON.stringify({ input_data: [a, b] }));
    const first = await run("prove", { model: "judge", input: without, prover: ALICE, out: path.join(project.dir, "proofs") });
    expect(first).to.match(/\[judge\] proving \(wasm backend\) \(elapsed 0 s\)/);
    const manifest = (await readManifest(path.join(project.dir, "artifacts-zk/judge/manifest.json")))!;
    expect(manifest.lastProof?.ms).to.be.a("number").and.greaterThan(0);
    const second = await run("prove", { model: "judge", input: withKey, prover: ALICE, out: path.join(project.dir, "proofs") });
    expect(second).to.match(/\[judge\] proving \(wasm backend\) \(elapsed 0 s, expected ~\d+ s from the last run\)/);
    const scores = [first, second].map((log) => /instance \[1\] output 1\.0 = ([0-9.]+)/.exec(log)![1]);
    expect(scores[0]).to.equal(scores[1]);
    // sigmoid(a . wa + b . wb) by hand: the circuit computes the model over both inputs.
    const z = a[0]! * 1 + a[1]! * 0.5 + a[2]! * 1 + b[0]! * 1.5 + b[1]! * -0.5;
    expect(Math.abs(Number(scores[0]) - 1 / (1 + Math.exp(-z)))).to.be.lessThan(0.05);
  });

  it("zk deploy then zk claim with that input file pays the account", async function () {
    const deployed = await run("deploy", { model: "judge", threshold: 0.5, reward: 0.02, fund: 1 });
    const reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(deployed)![1]!;
    const claimed = await run("claim", { model: "judge", reward, account: 1, input: path.join(project.dir, "without-key.json") });
    expect(claimed).to.match(new RegExp(`judgment: score 0\\.\\d+ .* for ${ALICE}`));
    expect(claimed).to.match(/paid 0\.02 ETH/);
  });

  it("after zk setup --force, setup says what is stale and zk deploy refuses the old verifier until zk verifier runs", async function () {
    const setup = await run("setup", { model: "judge", force: true, quiet: true });
    expect(setup).to.match(
      /\[judge\] new keys: proofs made before and verifiers deployed before are now stale; run `npx hardhat zk verifier --model judge`/,
    );
    await expectZkError(
      project.hre.tasks.getTask(["zk", "deploy"]).run({ model: "judge" }),
      /JudgeVerifier was generated from other keys than model "judge" has now \(zk setup rebuilt them\); run `npx hardhat zk verifier --model judge`/,
    );
    await run("verifier", { model: "judge", quiet: true });
    expect(await run("deploy", { model: "judge" })).to.match(/JudgmentReward 0x[0-9a-fA-F]{40}/);
  });
});

describe("task arguments", function () {
  it('are typed (FLOAT, INT, optional without "" sentinels) and the help says which flags are required', async function () {
    for (const [name, definition] of hre.tasks.rootTasks.get("zk")!.subtasks) {
      for (const [option, o] of definition.options) {
        expect(o.defaultValue, `zk ${name} --${option}`).to.not.equal("");
      }
    }
    const deploy = hre.tasks.getTask(["zk", "deploy"]).options;
    expect(deploy.get("threshold")!.type).to.equal("FLOAT");
    expect(deploy.get("reward")!.type).to.equal("FLOAT");
    expect(hre.tasks.getTask(["zk", "claim"]).options.get("account")!.type).to.equal("INT");
    const help = await new Promise<string>((resolve, reject) => {
      const child = spawn(path.join(ROOT, "node_modules/.bin/hardhat"), ["zk", "claim", "--help"], { cwd: ROOT });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`help exited ${code}: ${out}`))));
    });
    expect(help).to.match(/requires --model and --reward/);
    expect(help).to.match(/--reward\s+JudgmentReward address \(required/);
  });
});
