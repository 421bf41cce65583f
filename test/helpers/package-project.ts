import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { TSCONFIG as INIT_TSCONFIG } from "../../tasks/lib/init/init-project.js";
import { freePort } from "./ports.js";

export { freePort };

/**
 * A fresh Hardhat 3 project outside this repository that installs the plugin from its
 * `npm pack` tarball, as README's "Install in your project" describes.
 */

/**
 * The environment of a command in the user's project: PATH with the Node running these
 * tests first (npm and hardhat run under Node 22), without the HARDHAT_* variables the
 * test runner sets for its own global options (HARDHAT_CONFIG would point at this repository).
 */
export function nodeEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HARDHAT_") && k !== "HH_TEST"));
  return { ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? nodeEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGTERM"), opts.timeoutMs ?? 180_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ code, stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${stdout}\n${stderr}`));
    });
  });
}

/**
 * Starts `hardhat <args>` in the project and resolves once `ready()` (a request to 127.0.0.1)
 * succeeds; rejects with the process's output if it exits or does not answer in time.
 */
async function startHardhatProcess(
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<ChildProcess> {
  const child = spawn(path.join(dir, "node_modules", ".bin", "hardhat"), args, { cwd: dir, env });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}: ${output}`);
    try {
      if (await ready()) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`${what} did not answer: ${output}`);
}

/** `hardhat node` of the project on 127.0.0.1:port, resolved once it answers JSON-RPC. */
export function startNode(dir: string, port: number): Promise<ChildProcess> {
  const ready = async () =>
    (
      await fetch(`http://127.0.0.1:${port}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      })
    ).ok;
  return startHardhatProcess(
    dir,
    ["node", "--hostname", "127.0.0.1", "--port", String(port)],
    nodeEnv(),
    `hardhat node on port ${port}`,
    ready,
    60_000,
  );
}

export async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The start of every user config here: the toolbox, the plugin, the npm solc (README "Install in your project"). */
const CONFIG_HEAD = `import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";
import hardhatZkml from "hardhat-zkml";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatZkml],
  solidity: {
    version: "0.8.20",
    // The npm solc the plugin installs: nothing is downloaded. ezkl's verifiers need the optimizer.
    path: require.resolve("solc/soljson.js"),
    settings: { optimizer: { enabled: true, runs: 200 } },
  },
`;

/** The user's hardhat.config.ts: the toolbox, the plugin, one judge model, `localhost` on a chosen port. */
export const USER_CONFIG = `${CONFIG_HEAD}  // A proof takes seconds (more on a busy machine): above mocha's default 40 s.
  test: { mocha: { timeout: 300_000 } },
  networks: {
    localhost: { type: "http", url: process.env.LOCAL_NODE_URL ?? "http://127.0.0.1:8545" },
  },
  zk: {
    python: process.env.ZK_PYTHON_PATH ?? ".venv/bin/python",
    models: {
      voiceJudgeSmall: {
        onnx: "models/voiceJudgeSmall/model.onnx",
        calibrationData: "models/voiceJudgeSmall/calibration.json",
        input: "polycommit", // the reward pays each committed recording once
        inputScale: 7, paramScale: 7, // circuit size: found by zk setup (sizing "auto")
        ignoreRangeCheckInputsOutputs: true,
        boundAddress: { input: 0, output: 0 },
      },
    },
  },
});
`;

/** The config a user writes before `npx hardhat zk init`: the plugins and solc, no models. */
export const INIT_CONFIG = `${CONFIG_HEAD}});
`;

/** A script that runs `zk deploy` then `zk claim` in one process, so both see the in-process chain. */
export const DEPLOY_AND_CLAIM = `import hre from "hardhat";

const model = "voiceJudgeSmall";
const deployed = await hre.tasks.getTask(["zk", "deploy"]).run({ model });
const claimed = await hre.tasks.getTask(["zk", "claim"]).run({ model, reward: deployed.reward, account: 1 });
console.log("RESULT " + JSON.stringify({
  reward: deployed.reward, recipient: claimed.proved.judgment.recipient, paid: claimed.paid.toString(),
}));
`;

/** A user's own test, written against the plugin's typed API and chai matchers. */
export const USER_TEST = `import { readFile } from "node:fs/promises";
import { expect, use } from "chai";
import { network } from "hardhat";
import { chaiZk } from "hardhat-zkml/testing";

use(chaiZk);

describe("voiceJudgeSmall", function () {
  it("proves a judgment for alice that the deployed verifier accepts", async function () {
    const { zk, ethers } = await network.create();
    const [, alice] = await ethers.getSigners();
    const judge = zk.model("voiceJudgeSmall");
    const input = JSON.parse(await readFile("models/voiceJudgeSmall/input.json", "utf8"));

    const proof = await judge.prove([input.input_data[1]], { prover: alice });
    expect(proof.boundAddress).to.equal(alice.address);
    expect(await judge.verify(proof)).to.equal(true);
    expect(await judge.calldata(proof)).to.match(/^0x1e8e1e13/);

    const { verifier } = await judge.deployVerifier();
    await expect(proof).to.verifyOn(verifier);
  });
});
`;

/** Type-checked only: the names and input shapes `zk setup` declared for zk.model. */
export const TYPED_API = `import { network } from "hardhat";

const { zk } = await network.create();
const judge = zk.model("voiceJudgeSmall");
const proof = await judge.prove([new Array(320).fill(0)], { prover: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" });
const ok: boolean = await judge.verify(proof);
console.log(ok);
// @ts-expect-error -- not a model of this project
zk.model("noSuchModel");
// @ts-expect-error -- voiceJudgeSmall has one input besides the bound address
await judge.prove([[1], [2]]);
`;

/** The tsconfig `zk init` writes, for the config, scripts and generated types only (this project's test is not type-checked). */
export const TSCONFIG = JSON.stringify(
  {
    compilerOptions: { ...INIT_TSCONFIG.compilerOptions, types: ["node"] },
    include: ["hardhat.config.ts", "scripts/**/*.ts", "types/**/*.ts"],
  },
  null,
  2,
);

/** Writes the project (package.json, config, scripts, test, one model copied from this repository). */
export async function writeUserProject(dir: string, repoRoot: string): Promise<void> {
  await mkdir(path.join(dir, "models", "voiceJudgeSmall"), { recursive: true });
  await mkdir(path.join(dir, "scripts"), { recursive: true });
  await mkdir(path.join(dir, "test"), { recursive: true });
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "zk-user-project", private: true, type: "module" }, null, 2));
  await writeFile(path.join(dir, "hardhat.config.ts"), USER_CONFIG);
  await writeFile(path.join(dir, "scripts", "deploy-and-claim.ts"), DEPLOY_AND_CLAIM);
  await writeFile(path.join(dir, "test", "zk.test.ts"), USER_TEST);
  await writeFile(path.join(dir, "scripts", "typed-api.ts"), TYPED_API);
  await writeFile(path.join(dir, "tsconfig.json"), TSCONFIG);
  for (const file of ["model.onnx", "calibration.json", "input.json"]) {
    await copyFile(path.join(repoRoot, "models", "voiceJudgeSmall", file), path.join(dir, "models", "voiceJudgeSmall", file));
  }
}

/** The proving server's own dependencies: none of them may reach a plugin-only install. */
export const SERVER_STACK = ["fastify", "@fastify", "bullmq", "ioredis", "prom-client", "@hardhat-zkml/server"];

export interface Tarballs {
  plugin: string;
  core: string;
  audio: string;
  server: string;
}

/** Builds every package once, then `npm pack`s the plugin and each workspace package into `dest`. */
export async function packWorkspace(root: string, dest: string, env: NodeJS.ProcessEnv): Promise<Tarballs> {
  await run("npm", ["run", "build", "--loglevel=error"], { cwd: root, env, timeoutMs: 300_000 });
  const pack = async (args: string[]) => {
    const { stdout } = await run("npm", ["pack", ...args, "--ignore-scripts", "--pack-destination", dest, "--loglevel=error"], {
      cwd: root,
      env,
    });
    return stdout.trim().split("\n").pop()!;
  };
  return {
    plugin: path.join(dest, await pack([])),
    core: path.join(dest, await pack(["--workspace", "@hardhat-zkml/core"])),
    audio: path.join(dest, await pack(["--workspace", "@hardhat-zkml/audio"])),
    server: path.join(dest, await pack(["--workspace", "@hardhat-zkml/server"])),
  };
}

/** Every package installed in the project (names, from `npm ls --all --parseable`). */
export async function installedPackages(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await run("npm", ["ls", "--all", "--parseable", "--loglevel=error"], { cwd: dir, env });
  const names = stdout
    .split("\n")
    .filter((line) => line.includes(`${path.sep}node_modules${path.sep}`))
    .map((line) => {
      const rest = line.slice(line.lastIndexOf(`${path.sep}node_modules${path.sep}`) + "/node_modules/".length);
      return rest.startsWith("@") ? rest.split(path.sep).slice(0, 2).join("/") : rest.split(path.sep)[0]!;
    });
  return [...new Set(names)].sort();
}

/** Starts `hardhat zk serve` in `dir` on 127.0.0.1:port; resolves once /health answers. */
export function startServe(dir: string, port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const ready = async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok;
  return startHardhatProcess(
    dir,
    ["zk", "serve", "--host", "127.0.0.1", "--port", String(port)],
    env,
    `zk serve on port ${port}`,
    ready,
    120_000,
  );
}
