import { expect } from "chai";
import { ContractFactory, JsonRpcProvider, type JsonRpcSigner } from "ethers";
import hre from "hardhat";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { rewardParameters } from "@hardhat-zkml/core/reward/parameters.js";
import { expectDeliberate } from "../helpers/errors.js";
import { buildModel } from "../helpers/fixtures.js";
import { freePort } from "../helpers/ports.js";
import { spawnHardhat, stop, type Spawned } from "../helpers/processes.js";

const MODEL = "voiceJudgeSmall";
const OTHER = "tinyMlp";
/** A model with verifier: "reusable": a shared verifier plus a VK artifact. */
const REUSABLE = "tinyConv";

/** `npx hardhat zk audit ...` against the node: its exit code and output. */
async function audit(url: string, args: string[], model = MODEL): Promise<{ code: number | null; out: string }> {
  const run = spawnHardhat(["zk", "audit", "--model", model, "--network", "localhost", ...args], {
    LOCAL_NODE_URL: url,
    // As at a terminal: Hardhat adds stack traces to every error when it sees a CI variable.
    CI: undefined,
  });
  const code = await run.exited;
  return { code, out: run.output() };
}

describe("zk audit: is the verifier at an address the one the model builds?", function () {
  let node: Spawned | undefined;
  let url: string;
  let verifier: string;
  let otherVerifier: string;
  let reward: string;
  let rewardOnOtherVerifier: string;
  let reusableVerifier: string;
  let verifyingKey: string;
  let keys: { vk: string; srs: string };

  before(async function () {
    await buildModel(MODEL);
    await buildModel(OTHER);
    await buildModel(REUSABLE);
    const manifest = (await readManifest(modelArtifacts(hre.config.zk.artifactsDir, MODEL).manifest))!;
    keys = { vk: manifest.contracts!.verifier!.vk!, srs: manifest.srs!.sha256 };

    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    node = spawnHardhat(["node", "--hostname", "127.0.0.1", "--port", String(port)]);
    await node.waitFor(/Started HTTP and WebSocket JSON-RPC server/);
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    const signer: JsonRpcSigner = await provider.getSigner(0);
    const deploy = async (name: string, ...args: unknown[]) => {
      const artifact = await hre.artifacts.readArtifact(name);
      const contract = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(...args);
      await contract.waitForDeployment();
      return contract.getAddress();
    };
    verifier = await deploy("VoiceJudgeSmallVerifier");
    otherVerifier = await deploy("TinyMlpVerifier");
    const p = rewardParameters(hre.config.zk.models[MODEL]!, manifest, {
      threshold: 0.5,
      rewardEth: "0.01",
      fundEth: "0.1",
      domainBound: false,
    });
    const rewardArgs = (at: string) => [
      at,
      "0x0000000000000000000000000000000000000000",
      p.layout,
      p.commitment,
      p.attester,
      false,
      p.deal,
      3600,
    ];
    reward = await deploy("JudgmentReward", ...rewardArgs(verifier));
    rewardOnOtherVerifier = await deploy("JudgmentReward", ...rewardArgs(otherVerifier));
    reusableVerifier = await deploy("TinyConvReusableVerifier");
    verifyingKey = await deploy("TinyConvVerifyingKey");
    provider.destroy();
  });

  after(() => stop(node));

  it("says the deployed verifier verifies the model, with its keys and SRS, and exits 0", async function () {
    const { code, out } = await audit(url, ["--address", verifier]);
    expect(out).to.contain(`VoiceJudgeSmallVerifier at ${verifier}: runtime code matches the rebuild (default profile`);
    expect(out).to.contain(`verifies model ${MODEL} (keys ${keys.vk}, SRS ${keys.srs})`);
    expect(code).to.equal(0);
  });

  it("says where another model's verifier differs, and exits 1", async function () {
    const { code, out } = await audit(url, ["--address", otherVerifier]);
    expect(out).to.match(
      new RegExp(
        `VoiceJudgeSmallVerifier at ${otherVerifier}: runtime code differs from the rebuild at byte \\d+ \\(deployed \\d+ bytes, rebuilt \\d+ bytes, metadata aside`,
      ),
    );
    expect(out).to.contain(`does NOT verify model ${MODEL}`);
    expect(code).to.equal(1);
  });

  it("says an address without code holds no verifier, and exits 1", async function () {
    const empty = "0x000000000000000000000000000000000000dEaD";
    const { code, out } = await audit(url, ["--address", empty]);
    expect(out).to.contain(`VoiceJudgeSmallVerifier at ${empty}: no contract code at this address`);
    expect(code).to.equal(1);
  });

  it("--reward: a reward on the audited verifier matches the manifest's layout and commitment location", async function () {
    const { code, out } = await audit(url, ["--address", verifier, "--reward", reward]);
    expect(out).to.contain(`reward ${reward}: verifier, instance layout and commitment location match the manifest`);
    expect(code).to.equal(0);
  });

  it("--reward: a reward that calls another verifier fails with the reason", async function () {
    const { code, out } = await audit(url, ["--address", verifier, "--reward", rewardOnOtherVerifier]);
    expect(out).to.contain(`reward ${rewardOnOtherVerifier}: verifier is ${otherVerifier}, not the audited verifier ${verifier}`);
    expect(out).to.contain(`does NOT verify model ${MODEL}`);
    expect(code).to.equal(1);
  });

  it("a reusable verifier: audits the shared verifier at --address and the VK artifact at --vk", async function () {
    const { code, out } = await audit(url, ["--address", reusableVerifier, "--vk", verifyingKey], REUSABLE);
    expect(out).to.contain(`TinyConvReusableVerifier at ${reusableVerifier}: runtime code matches the rebuild`);
    expect(out).to.contain(`TinyConvVerifyingKey at ${verifyingKey}: runtime code matches the rebuild`);
    expect(out).to.match(/verifies model tinyConv \(keys [0-9a-f]{64}, SRS [0-9a-f]{64}\)/);
    expect(code).to.equal(0);
  });

  it("a reusable verifier: another contract at --vk is not the model's VK artifact, and exits 1", async function () {
    const { code, out } = await audit(url, ["--address", reusableVerifier, "--vk", verifier], REUSABLE);
    expect(out).to.match(new RegExp(`TinyConvVerifyingKey at ${verifier}: runtime code differs from the rebuild at byte \\d+`));
    expect(out).to.contain("does NOT verify model tinyConv");
    expect(code).to.equal(1);
  });

  it("--reward at a contract that is not a JudgmentReward is one line saying so, and exits 1", async function () {
    const { code, out } = await audit(url, ["--address", verifier, "--reward", otherVerifier]);
    expect(out).to.contain(`--reward ${otherVerifier}: not a JudgmentReward (its getters do not answer); check the address and --network`);
    expect(out, out).to.not.match(/\n\s+at /); // no stack trace
    expect(code).to.equal(1);
  });

  it("bad arguments are one line naming the fix", async function () {
    const run = (args: Record<string, unknown>) => hre.tasks.getTask(["zk", "audit"]).run(args);
    for (const [args, pattern] of [
      [{ model: MODEL }, /^--address <deployed verifier address> is required$/],
      [
        { model: MODEL, address: verifier, vk: verifier },
        /^--vk is for reusable verifiers; model "voiceJudgeSmall" has a verifier of its own/,
      ],
      [{ model: MODEL, address: "0x1234" }, /--address/],
    ] as const) {
      const error = await run(args).then(
        () => undefined,
        (e: unknown) => e,
      );
      expectDeliberate(error);
      expect((error as Error).message).to.match(pattern);
    }
  });
});
