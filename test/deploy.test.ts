import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseEther } from "ethers";
import hre, { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { proveAndClaim } from "../tasks/lib/deploy/claim-reward.js";
import { deployJudgeReward, type DeployRewardOptions } from "../tasks/lib/deploy/deploy-reward.js";
import { assertFits, isLocalNetwork } from "../tasks/lib/deploy/preflight.js";
import { ZkError } from "../tasks/lib/errors.js";
import { JudgeProver } from "../tasks/lib/prover/judge.js";
import { openProver } from "./helpers/fixtures.js";
import { voiceSamples } from "./helpers/reward-fixture.js";
import { ROOT, captureLog } from "./helpers/temp-project.js";

const MODEL = "voiceJudgeSmall";
const OPTS: DeployRewardOptions = { threshold: 0.5, rewardEth: "0.5", fundEth: "2", domainBound: false, allowInsecureSrs: false, local: true };

async function deployAndClaim(connection: NetworkConnection<string>, deploymentId?: string) {
  const judge = new JudgeProver(await openProver(MODEL));
  const deployed = await deployJudgeReward(connection, hre.artifacts, hre.config.zk.models[MODEL]!, judge.prover.files.manifest, { ...OPTS, deploymentId });
  const [, alice] = await connection.ethers.getSigners();
  const x = (await voiceSamples())["0.95"]!;
  const outcome = await proveAndClaim(connection, judge, deployed.reward, alice!, x);
  await judge.prover.close();
  return { deployed, outcome, alice: alice! };
}

describe("deploy and claim", function () {
  it("on the in-process network: deploys verifier + funded reward, proves for an account and pays it", async function () {
    const connection = await network.create();
    const { deployed, outcome, alice } = await deployAndClaim(connection);
    expect(await connection.ethers.provider.getBalance(deployed.reward)).to.equal(parseEther("1.5"));
    expect(outcome.paid).to.equal(parseEther("0.5"));
    expect(outcome.proved.judgment.recipient).to.equal(alice.address);
    expect(deployed.transactions.map((t) => t.contractAddress !== null)).to.deep.equal([true, true, false]);
    expect(deployed.footprints[0]!.bytecodeSize).to.be.greaterThan(0);
  });

  describe("on a local `hardhat node` (the code path a testnet takes)", function () {
    let node: ChildProcess;
    before(async function () {
      node = spawn(path.join(ROOT, "node_modules/.bin/hardhat"), ["node", "--hostname", "127.0.0.1", "--port", "8545"], { cwd: ROOT });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("hardhat node did not start in 120 s")), 120_000);
        node.stdout!.on("data", (d: Buffer) => {
          if (/Started HTTP and WebSocket JSON-RPC server/.test(d.toString())) {
            clearTimeout(timer);
            resolve();
          }
        });
        node.on("exit", (code) => reject(new Error(`hardhat node exited with ${code}`)));
      });
    });
    after(() => {
      node?.kill();
    });

    it("deploys through Ignition over JSON-RPC and claims", async function () {
      const connection = await network.create("localhost");
      expect(connection.networkConfig.type).to.equal("http");
      const { deployed, outcome } = await deployAndClaim(connection, `test-${Date.now()}`);
      expect(outcome.paid).to.equal(parseEther("0.5"));
      expect(await connection.ethers.provider.getCode(deployed.verifier)).to.not.equal("0x");
    });
  });

  describe("safety", function () {
    it("refuses a dev-SRS verifier on a non-local network before connecting", async function () {
      // The workspace's own config and artifacts, as `npx hardhat zk deploy --network sepolia` sees them.
      const { createHardhatRuntimeEnvironment } = await import("hardhat/hre");
      const live = await createHardhatRuntimeEnvironment((await import("../hardhat.config.js")).default, { network: "sepolia" }, ROOT);
      try {
        await live.tasks.getTask(["zk", "deploy"]).run({ model: MODEL });
        throw new Error("expected a refusal");
      } catch (e) {
        expect(e).to.be.instanceOf(ZkError);
        expect((e as Error).message).to.match(/insecure dev SRS; refusing to deploy its verifier to "sepolia".*--allow-insecure-srs/);
      }
    });

    it("classifies networks as local or live", function () {
      expect(isLocalNetwork("default", hre.config.networks.default)).to.equal(true);
      expect(isLocalNetwork("localhost", hre.config.networks.localhost)).to.equal(true);
      expect(isLocalNetwork("sepolia", hre.config.networks.sepolia)).to.equal(false);
    });

    it("a verifier over EIP-170 or the gas cap is refused with the fix", function () {
      expect(() => assertFits("big", { contract: "BigVerifier", bytecodeSize: 30_000, deployGas: 1n }))
        .to.throw(ZkError, /30000 bytes, over the 24576-byte contract size limit \(EIP-170\); switch zk\.models\.big\.verifier to "reusable"/);
      expect(() => assertFits("big", { contract: "BigVerifier", bytecodeSize: 100, deployGas: 20_000_000n }))
        .to.throw(ZkError, /over the 16777216 per-transaction cap/);
    });
  });

  describe("tasks", function () {
    it("zk deploy then zk claim print addresses, tx hashes, gas and the decoded judgment", async function () {
      const deployed = await captureLog(() => hre.tasks.getTask(["zk", "deploy"]).run({ model: MODEL, fund: "1" }));
      expect(deployed).to.match(/transactions:\n\s+0x[0-9a-f]{64} create 0x[0-9a-fA-F]{40} gas \d+/);
      const reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(deployed)![1]!;
      const claimed = await captureLog(() => hre.tasks.getTask(["zk", "claim"]).run({ model: MODEL, reward, account: "3" }));
      expect(claimed).to.match(/judgment: score 0\.\d+ .* for 0x[0-9a-fA-F]{40}/);
      expect(claimed).to.match(/claim tx 0x[0-9a-f]{64}, gas \d+, paid 0\.01 ETH/);
    });
  });
});
