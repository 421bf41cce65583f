import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { parseEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { sha256File } from "@hardhat-zkml/core/hash.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { loadCatalog } from "@hardhat-zkml/server/model-catalog.js";
import type { ClaimOutcome } from "../../tasks/lib/deploy/claim-reward.js";
import type { DeployedReward } from "../../tasks/lib/deploy/deploy-reward.js";
import { ROOT, captureLog, tempProject } from "../helpers/temp-project.js";

const MODEL = "classifier";
const ONNX = path.join(ROOT, "models", MODEL, "model.onnx");

/**
 * models/classifier is an ordinary classifier (x -> logits[1,2], probabilities[1,2]) with no
 * key input: `boundAddress: true` makes the build add one to a copy of its graph, and
 * `score` names probabilities[1] (P(class 1)) as what the reward reads.
 */
describe("boundAddress: true on a classifier nobody edited", function () {
  let hre: HardhatRuntimeEnvironment;
  let dir: string;
  let userOnnxHash: string;
  let deployed: DeployedReward;
  let firstSetup: string;
  let samples: { class1: number[]; class0: number[]; probabilities: { class1: number; class0: number } };

  before(async function () {
    userOnnxHash = await sha256File(ONNX);
    samples = JSON.parse(await readFile(path.join(ROOT, "models", MODEL, "samples.json"), "utf8"));
    ({ hre, dir } = await tempProject("bound-address", {
      [MODEL]: {
        onnx: "models/classifier/model.onnx",
        calibrationData: "models/classifier/calibration.json",
        input: "polycommit", // the reward pays each committed input once
        boundAddress: true,
        score: { output: 1, element: 1 },
      },
    }));
    // The reward contract beside the generated verifier, so the project's build has both.
    await cp(path.join(ROOT, "contracts", "JudgmentReward.sol"), path.join(dir, "contracts", "JudgmentReward.sol"));
    await cp(path.join(ROOT, "contracts", "interfaces"), path.join(dir, "contracts", "interfaces"), { recursive: true });
    firstSetup = await captureLog(() => hre.tasks.getTask(["zk", "setup"]).run({ model: MODEL }));
    await quiet(() => hre.tasks.getTask(["zk", "verifier"]).run({ model: MODEL }));
  });

  it("builds from a copy with the key added, leaves the user's file alone and records both in the manifest", async function () {
    expect(firstSetup).to.include("(rebuilt: bindAddress, settings, compile, srs, keys)");
    expect(await sha256File(ONNX)).to.equal(userOnnxHash);
    const manifest = (await readManifest(path.join(dir, "artifacts-zk", MODEL, "manifest.json")))!;
    const copy = path.relative(ROOT, path.join(dir, "artifacts-zk", MODEL, "bound-graph", "model.onnx"));
    expect(manifest.boundAddress).to.deep.equal({
      input: 0,
      output: 0,
      rewritten: {
        from: { onnx: userOnnxHash, calibrationData: await sha256File(path.join(ROOT, "models", MODEL, "calibration.json")) },
        onnx: copy,
        sha256: await sha256File(path.join(ROOT, copy)),
      },
    });
    expect(manifest.io!.inputs.map((i) => [i.name, i.shape])).to.deep.equal([
      ["bound_key", [1, 1]],
      ["x", [1, 4]],
    ]);
    expect(manifest.io!.outputs.map((o) => o.name)).to.deep.equal(["bound_key_out", "logits", "probabilities"]);
    // Calibration data of the copy: the key filled in for each of the user's 16 samples.
    const calibration = JSON.parse(await readFile(path.join(dir, "artifacts-zk", MODEL, "bound-graph", "calibration.json"), "utf8"));
    expect(calibration.input_data[0]).to.have.length(16);
    expect(calibration.input_data[1]).to.have.length(64);
  });

  it("a second zk setup finds the copy and every step after it up to date", async function () {
    const printed = await captureLog(() => hre.tasks.getTask(["zk", "setup"]).run({ model: MODEL }));
    for (const step of ["bindAddress", "settings", "compile", "srs", "keys"]) expect(printed).to.include(`[${MODEL}] ${step}: up to date`);
    expect(printed).to.include(`[${MODEL}] ready: logrows`).and.include("(nothing to do)");
  });

  it("without score, its two outputs are an error listing both, and the proving server refuses to start on it", async function () {
    const configured = hre.config.zk.models[MODEL]!;
    const catalog = await loadCatalog({ [MODEL]: configured }, hre.config.zk.artifactsDir);
    expect(catalog.get(MODEL)).to.include({ judge: true });
    const refused = await loadCatalog({ [MODEL]: { ...configured, score: undefined } }, hre.config.zk.artifactsDir).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(refused).to.equal(
      `model "${MODEL}" has 2 outputs that could be the score (0: [1,2], 1: [1,2]); set zk.models.${MODEL}.score = { output, element }`,
    );
  });

  it("deploys a JudgmentReward that reads probabilities[1] and pays the bound address, not the sender", async function () {
    deployed = (await quiet(() => hre.tasks.getTask(["zk", "deploy"]).run({ model: MODEL, reward: 0.25, fund: 1 }))) as DeployedReward;
    const { ethers } = await hre.network.getOrCreate();
    const [, alice] = await ethers.getSigners();
    const before = await ethers.provider.getBalance(alice!.address);
    const outcome = (await quiet(() =>
      hre.tasks.getTask(["zk", "claim"]).run({ model: MODEL, reward: deployed.reward, account: 1 }),
    )) as ClaimOutcome;
    const j = outcome.proved.judgment;
    expect(j.recipient).to.equal(alice!.address);
    expect(outcome.paid).to.equal(parseEther("0.25"));
    // The instances: [key, logits[0], logits[1], probabilities[0], probabilities[1]]; the score is the last.
    expect(j.scoreIndex).to.equal(4);
    expect(j.recipientIndex).to.equal(0);
    // onnxruntime's P(class 1) for this input, within the circuit's fixed-point error.
    expect(Math.abs(j.score - samples.probabilities.class1)).to.be.below(0.05);
    const paidMinusGas = (await ethers.provider.getBalance(alice!.address)) - before;
    expect(paidMinusGas > 0n && paidMinusGas <= parseEther("0.25")).to.equal(true);
    expect(await ethers.provider.getBalance(deployed.reward)).to.equal(parseEther("0.75"));
  });

  it("refuses a claim whose configured score (P(class 1) about 0.17) is below the threshold", async function () {
    const input = path.join(dir, "class0.json");
    await writeFile(input, JSON.stringify({ input_data: [samples.class0] }));
    const refused = await quiet(() =>
      hre.tasks.getTask(["zk", "claim"]).run({ model: MODEL, reward: deployed.reward, account: 2, input }),
    ).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(refused).to.match(/score 0\.1[0-9]* is below the reward's threshold/);
  });
});

/** Runs a task with its printed lines captured; returns its result. */
async function quiet<T>(fn: () => Promise<T>): Promise<T> {
  let result!: T;
  await captureLog(async () => {
    result = await fn();
  });
  return result;
}
