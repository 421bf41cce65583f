import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";

import path from "node:path";
import { parseEther } from "ethers";
import hre, { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { proveAndClaim } from "../../tasks/lib/deploy/claim-reward.js";
import { deployJudgeReward, type DeployRewardOptions } from "../../tasks/lib/deploy/deploy-reward.js";
import { deploymentDir } from "../../tasks/lib/deploy/ignition-journal.js";
import { assertFits, isLocalNetwork, isLoopbackUrl } from "../../tasks/lib/deploy/preflight.js";
import { assertVerifierCurrent } from "../../tasks/lib/deploy/verifier-freshness.js";
import type { Manifest } from "@hardhat-zkml/core/manifest.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { JudgeProver } from "@hardhat-zkml/core/prover/judge.js";
import { openProver } from "../helpers/fixtures.js";
import { voiceSamples } from "../helpers/reward-fixture.js";
import { ROOT, captureLog } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";
import { freePort } from "../helpers/ports.js";

const MODEL = "voiceJudgeSmall";
const OPTS: DeployRewardOptions = {
  threshold: 0.5,
  rewardEth: "0.5",
  fundEth: "2",
  domainBound: false,
  allowInsecureSrs: false,
  local: true,
};

/** `hardhat node` on 127.0.0.1:port, resolved once it serves JSON-RPC. */
async function startNode(port: number): Promise<ChildProcess> {
  const node = spawn(path.join(ROOT, "node_modules/.bin/hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
  });
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
  return node;
}

async function stopNode(node: ChildProcess | undefined): Promise<void> {
  if (node === undefined || node.exitCode !== null) return;
  const exited = new Promise((resolve) => node.once("exit", resolve));
  node.kill();
  await exited;
}

async function deployAndClaim(connection: NetworkConnection<string>, opts: Partial<DeployRewardOptions> = {}) {
  const judge = new JudgeProver(await openProver(MODEL));
  const deployed = await deployJudgeReward(connection, hre.artifacts, hre.config.zk.models[MODEL]!, judge.prover.files.manifest, {
    ...OPTS,
    ...opts,
  });
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
    let node: ChildProcess | undefined;
    let port: number;
    let url: string;
    let nodeHre: Awaited<ReturnType<typeof nodeRuntime>>;
    const ignitionDir = path.join(ROOT, ".test-projects", "ignition-node");

    /** The workspace config with a network "devnode" at the test's own port. */
    async function nodeRuntime(network?: string) {
      const { createHardhatRuntimeEnvironment } = await import("hardhat/hre");
      const config = (await import("../../hardhat.config.js")).default;
      return createHardhatRuntimeEnvironment(
        {
          ...config,
          networks: { ...config.networks, devnode: { type: "http", url } },
          paths: { ...config.paths, ignition: path.relative(ROOT, ignitionDir) },
        },
        network !== undefined ? { network } : {},
        ROOT,
      );
    }

    before(async function () {
      port = await freePort();
      url = `http://127.0.0.1:${port}`;
      node = await startNode(port);
      nodeHre = await nodeRuntime();
    });
    after(() => stopNode(node));

    it("deploys through Ignition over JSON-RPC and claims", async function () {
      const connection = await nodeHre.network.create("devnode");
      expect(connection.networkConfig.type).to.equal("http");
      const { deployed, outcome } = await deployAndClaim(connection, { ignitionDir });
      expect(outcome.paid).to.equal(parseEther("0.5"));
      expect(await connection.ethers.provider.getCode(deployed.verifier)).to.not.equal("0x");
    });

    it("a changed --threshold or --reward on the same chain is a new deployment, not Ignition's reconciliation error", async function () {
      const connection = await nodeHre.network.create("devnode");
      const manifest = (await openProver(MODEL)).files.manifest;
      const model = hre.config.zk.models[MODEL]!;
      const first = await deployJudgeReward(connection, hre.artifacts, model, manifest, { ...OPTS, ignitionDir });
      const again = await deployJudgeReward(connection, hre.artifacts, model, manifest, { ...OPTS, ignitionDir });
      expect(again.deploymentId).to.equal(first.deploymentId);
      expect(again.reward, "same parameters: the journal's deployment is reused").to.equal(first.reward);
      expect(again.transactions).to.have.length(0);
      const raised = await deployJudgeReward(connection, hre.artifacts, model, manifest, {
        ...OPTS,
        ignitionDir,
        threshold: 0.7,
        rewardEth: "0.25",
      });
      expect(raised.deploymentId).to.not.equal(first.deploymentId);
      expect(raised.reward).to.not.equal(first.reward);
      const reward = await connection.ethers.getContractAt("JudgmentReward", raised.reward);
      expect(await reward.rewardAmount()).to.equal(parseEther("0.25"));
    });

    it("a fixed deployment id reused with other parameters gives the --reset hint, and --reset deploys afresh", async function () {
      const connection = await nodeHre.network.create("devnode");
      const manifest = (await openProver(MODEL)).files.manifest;
      const model = hre.config.zk.models[MODEL]!;
      const deploymentId = `test-fixed-${port}`;
      await deployJudgeReward(connection, hre.artifacts, model, manifest, { ...OPTS, ignitionDir, deploymentId });
      try {
        await deployJudgeReward(connection, hre.artifacts, model, manifest, { ...OPTS, ignitionDir, deploymentId, threshold: 0.9 });
        throw new Error("expected a refusal");
      } catch (e) {
        expectDeliberate(e);
        expect((e as Error).message.split("\n")).to.have.length(1);
        expect((e as Error).message).to.match(
          new RegExp(
            `deployment "${deploymentId}" was started with other contracts or parameters \\(.*\\); rerun with --reset to deploy afresh`,
          ),
        );
      }
      const reset = await deployJudgeReward(connection, hre.artifacts, model, manifest, {
        ...OPTS,
        ignitionDir,
        deploymentId,
        threshold: 0.9,
        reset: true,
      });
      const reward = await connection.ethers.getContractAt("JudgmentReward", reset.reward);
      expect(await reward.threshold()).to.equal(BigInt(Math.round(0.9 * 128)));
    });

    it("after the node restarts, zk deploy detects the stale journal, redeploys, and every printed address holds code", async function () {
      // As `npx hardhat zk deploy --network devnode`: a runtime whose selected network is the node.
      const cli = await nodeRuntime("devnode");
      const run = (args: Record<string, unknown>) =>
        captureLog(() => cli.tasks.getTask(["zk", "deploy"]).run({ model: MODEL, fund: 1, ...args }));
      const before = await run({ threshold: 0.55 });
      const id = /deployment\s+(\S+)/.exec(before)![1]!;
      const journal = JSON.parse(await readFile(path.join(deploymentDir(ignitionDir, id), "deployed_addresses.json"), "utf8")) as Record<
        string,
        string
      >;
      expect(Object.values(journal)).to.include(/JudgmentReward (0x[0-9a-fA-F]{40})/.exec(before)![1]!);

      await stopNode(node);
      node = await startNode(port);
      const restarted = await nodeHre.network.create("devnode");
      // The chain is new: the journal's contracts are gone.
      for (const address of Object.values(journal)) expect(await restarted.ethers.provider.getCode(address)).to.equal("0x");

      const after = await run({ threshold: 0.55 });
      expect(after).to.match(/records \d+ contract\(s\) that are not on this chain \(node restarted\?\); deploying afresh/);
      expect(/deployment\s+(\S+)/.exec(after)![1]).to.equal(id);
      for (const [, address] of after.matchAll(/(?:JudgmentReward|verifier)\s+(0x[0-9a-fA-F]{40})/g)) {
        expect(await restarted.ethers.provider.getCode(address!), address).to.not.equal("0x");
      }
      const reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(after)![1]!;
      const claimed = await captureLog(() => cli.tasks.getTask(["zk", "claim"]).run({ model: MODEL, reward, account: 4 }));
      expect(claimed).to.match(/claim tx 0x[0-9a-f]{64}, gas \d+, paid 0\.01 ETH/);
    });

    it("on a live network a stale journal is refused with the --reset hint", async function () {
      const connection = await nodeHre.network.create("devnode");
      const manifest = (await openProver(MODEL)).files.manifest;
      const model = hre.config.zk.models[MODEL]!;
      const deploymentId = `test-live-${port}`;
      await deployJudgeReward(connection, hre.artifacts, model, manifest, { ...OPTS, ignitionDir, deploymentId });
      await stopNode(node);
      node = await startNode(port);
      const fresh = await nodeHre.network.create("devnode");
      const live = { ...OPTS, ignitionDir, deploymentId, local: false, allowInsecureSrs: true };
      try {
        await deployJudgeReward(fresh, hre.artifacts, model, manifest, live);
        throw new Error("expected a refusal");
      } catch (e) {
        expectDeliberate(e);
        expect((e as Error).message).to.match(
          /Ignition's journal .* records contracts that are not on this chain \(.* at 0x[0-9a-fA-F]{40}\); check --network, or rerun with --reset to deploy afresh/,
        );
      }
      const redeployed = await deployJudgeReward(fresh, hre.artifacts, model, manifest, { ...live, reset: true });
      expect(await fresh.ethers.provider.getCode(redeployed.reward)).to.not.equal("0x");
    });

    it("a node on a loopback URL under another network name is local", async function () {
      expect(await isLocalNetwork("devnode", nodeHre.config.networks.devnode)).to.equal(true);
    });
  });

  describe("safety", function () {
    it("refuses a dev-SRS verifier on a non-local network before connecting", async function () {
      // The workspace's own config and artifacts, as `npx hardhat zk deploy --network sepolia` sees them.
      const { createHardhatRuntimeEnvironment } = await import("hardhat/hre");
      const live = await createHardhatRuntimeEnvironment((await import("../../hardhat.config.js")).default, { network: "sepolia" }, ROOT);
      try {
        await live.tasks.getTask(["zk", "deploy"]).run({ model: MODEL });
        throw new Error("expected a refusal");
      } catch (e) {
        expectDeliberate(e);
        expect((e as Error).message).to.match(/insecure dev SRS; refusing to deploy its verifier to "sepolia".*--allow-insecure-srs/);
      }
    });

    it("classifies networks as local or live by their resolved URL", async function () {
      const { createHardhatRuntimeEnvironment } = await import("hardhat/hre");
      const config = (await import("../../hardhat.config.js")).default;
      const nets = (
        await createHardhatRuntimeEnvironment(
          {
            ...config,
            networks: {
              ...config.networks,
              anvil: { type: "http", url: "http://127.0.0.1:8545" },
              loopback6: { type: "http", url: "http://[::1]:9545" },
              named: { type: "http", url: "http://localhost:7545/rpc" },
            },
          },
          {},
          ROOT,
        )
      ).config.networks;
      expect(await isLocalNetwork("default", nets.default)).to.equal(true);
      expect(await isLocalNetwork("localhost", nets.localhost)).to.equal(true);
      expect(await isLocalNetwork("anvil", nets.anvil)).to.equal(true);
      expect(await isLocalNetwork("loopback6", nets.loopback6)).to.equal(true);
      expect(await isLocalNetwork("named", nets.named)).to.equal(true);
      expect(await isLocalNetwork("sepolia", nets.sepolia)).to.equal(false);
      // Other hosts are classified from the URL text alone (no network config holds them, nothing is sent).
      expect(isLoopbackUrl("http://192.168.1.20:8545"), "a LAN address").to.equal(false);
      expect(isLoopbackUrl("https://localhost.example.com"), "a look-alike name").to.equal(false);
    });

    it("refuses a verifier generated from other keys than the current ones", async function () {
      const model = hre.config.zk.models[MODEL]!;
      const manifest = (await openProver(MODEL)).files.manifest;
      await assertVerifierCurrent(model, manifest, hre.artifacts);
      // As after `zk setup --force`: new keys, while the verifier was generated from the old ones.
      const rebuilt: Manifest = structuredClone(manifest);
      const keys = rebuilt.steps.keys!.outputs;
      for (const rel of Object.keys(keys)) keys[rel] = "f".repeat(64);
      const fix =
        /VoiceJudgeSmallVerifier was generated from other keys than model "voiceJudgeSmall" has now \(zk setup rebuilt them\); run `npx hardhat zk verifier --model voiceJudgeSmall`/;
      try {
        await assertVerifierCurrent(model, rebuilt, hre.artifacts);
        throw new Error("expected a refusal");
      } catch (e) {
        expectDeliberate(e);
        expect((e as Error).message).to.match(fix);
      }
      const connection = await network.create();
      try {
        await deployJudgeReward(connection, hre.artifacts, model, rebuilt, OPTS);
        throw new Error("expected a refusal");
      } catch (e) {
        expect((e as Error).message).to.match(fix);
      }
      // A verifier compiled from another source than the recorded one is refused too.
      const edited: Manifest = structuredClone(manifest);
      edited.contracts!.verifier!.sha256 = "0".repeat(64);
      try {
        await assertVerifierCurrent(model, edited, hre.artifacts);
        throw new Error("expected a refusal");
      } catch (e) {
        expect((e as Error).message).to.match(
          /the compiled VoiceJudgeSmallVerifier is not built from the verifier recorded .*run `npx hardhat zk verifier --model voiceJudgeSmall`/,
        );
      }
    });

    it("a verifier over EIP-170 or the gas cap is refused with the fix", function () {
      expect(() => assertFits("big", { contract: "BigVerifier", bytecodeSize: 30_000, deployGas: 1n })).to.throw(
        ZkError,
        /30000 bytes, over the 24576-byte contract size limit \(EIP-170\); switch zk\.models\.big\.verifier to "reusable"/,
      );
      expect(() => assertFits("big", { contract: "BigVerifier", bytecodeSize: 100, deployGas: 20_000_000n })).to.throw(
        ZkError,
        /over the 16777216 per-transaction cap/,
      );
    });
  });

  describe("tasks", function () {
    it("zk deploy then zk claim print addresses, tx hashes, gas and the decoded judgment", async function () {
      const deployed = await captureLog(() => hre.tasks.getTask(["zk", "deploy"]).run({ model: MODEL, fund: 1 }));
      expect(deployed).to.match(/transactions:\n\s+0x[0-9a-f]{64} create 0x[0-9a-fA-F]{40} gas \d+/);
      const reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(deployed)![1]!;
      const claimed = await captureLog(() => hre.tasks.getTask(["zk", "claim"]).run({ model: MODEL, reward, account: 3 }));
      expect(claimed).to.match(/judgment: score 0\.\d+ .* for 0x[0-9a-fA-F]{40}/);
      expect(claimed).to.match(/claim tx 0x[0-9a-f]{64}, gas \d+, paid 0\.01 ETH/);
    });
  });
});
