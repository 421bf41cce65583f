import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { access, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ROOT } from "../helpers/temp-project.js";
import {
  INIT_CONFIG,
  SERVER_STACK,
  freePort,
  installedPackages,
  nodeEnv,
  packWorkspace,
  run,
  startNode,
  startServe,
  stopNode,
  writeUserProject,
  type Tarballs,
} from "../helpers/package-project.js";

/**
 * The plugin as a user gets it: `npm pack`, a fresh Hardhat 3 project in a temporary
 * folder with only hardhat, the toolbox and the tarball installed, one small model,
 * then the zk tasks on the in-process network and on a local `hardhat node`.
 * Python: the workspace's .venv through `zk.python` (creating another venv would
 * download the ezkl/onnxruntime wheels again on every run; `zk install-python` is
 * what a user without one runs).
 */
describe("hardhat-zkml installed from its tarball in a fresh project", function () {
  this.timeout(5 * 60 * 1000);
  let tmp: string;
  let dir: string;
  let tarballs: Tarballs;
  const workspace = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const HARDHAT = workspace.devDependencies.hardhat!;
  const TOOLBOX = workspace.devDependencies["@nomicfoundation/hardhat-toolbox-mocha-ethers"]!;
  const TYPES_MOCHA = workspace.devDependencies["@types/mocha"]!;
  // ZK_PYTHON would override zk.python: left out so the config field is what is used.
  const { ZK_PYTHON: _unused, ...baseEnv } = nodeEnv({ ZK_PYTHON_PATH: path.join(ROOT, ".venv", "bin", "python") });
  const env = baseEnv as NodeJS.ProcessEnv;
  /** hardhat, the toolbox, @types/mocha (for `tsc --noEmit`) and the given tarballs, exact versions, as README says. */
  const install = (into: string, packages: string[]) =>
    run(
      "npm",
      [
        "install",
        "--no-fund",
        "--no-audit",
        "--loglevel=error",
        "--save-exact",
        `hardhat@${HARDHAT}`,
        `@nomicfoundation/hardhat-toolbox-mocha-ethers@${TOOLBOX}`,
        `@types/mocha@${TYPES_MOCHA}`,
        ...packages,
      ],
      { cwd: into, env },
    );
  const hardhat = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    run(path.join(dir, "node_modules", ".bin", "hardhat"), args, { cwd: dir, env: { ...env, ...extra } });

  before(async function () {
    tmp = await mkdtemp(path.join(os.tmpdir(), "hardhat-zkml-user-"));
    dir = path.join(tmp, "project");
    tarballs = await packWorkspace(ROOT, tmp, env);
    await writeUserProject(dir, ROOT);
    await install(dir, [tarballs.plugin, tarballs.core, tarballs.audio]);
  });

  after(async function () {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it("installs with only hardhat, the toolbox, @types/mocha and the plugin's tarballs, and zk doctor passes with zk.python", async function () {
    const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).to.deep.equal([
      "@hardhat-zkml/audio",
      "@hardhat-zkml/core",
      "@nomicfoundation/hardhat-toolbox-mocha-ethers",
      "@types/mocha",
      "hardhat",
      "hardhat-zkml",
    ]);
    const modules = path.join(dir, "node_modules");
    for (const file of [
      "hardhat-zkml/dist/tasks/index.js",
      "hardhat-zkml/dist/tasks/index.d.ts",
      "hardhat-zkml/contracts/JudgmentReward.sol",
      "hardhat-zkml/contracts/interfaces/IHalo2Verifier.sol",
      "hardhat-zkml/models/voiceJudgeSmall/model.onnx",
      "@hardhat-zkml/core/dist/ezkl/bridge.py",
      "@hardhat-zkml/core/dist/ezkl/solc-shim.cjs",
      "@hardhat-zkml/core/dist/prover/engine-worker.mjs",
      "@hardhat-zkml/core/requirements.txt",
      "@hardhat-zkml/audio/dist/index.js",
    ]) {
      await access(path.join(modules, file));
    }
    const doctor = await hardhat(["zk", "doctor"]);
    expect(doctor.stdout).to.include(`ok   python    ${path.join(ROOT, ".venv", "bin", "python")}`);
    expect(doctor.stdout).to.match(/ok {3}ezkl +ezkl 21\.0\.3/);
    expect(doctor.stdout).to.match(/ok {3}engine +@ezkljs\/engine 21\.0\.0/);
    expect(doctor.stdout).to.not.include("FAIL");
  });

  it("brings in none of the proving server's stack (npm ls), and zk serve names the package to add", async function () {
    const installed = await installedPackages(dir, env);
    expect(installed).to.include("hardhat-zkml");
    expect(installed.filter((name) => SERVER_STACK.some((s) => name === s || name.startsWith(`${s}/`)))).to.deep.equal([]);
    expect(installed).to.not.include("@hardhat-zkml/server");
    const serve = await hardhat(["zk", "serve"]).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(serve).to.match(
      /the proving server is a separate package: install it next to hardhat-zkml \(`npm install @hardhat-zkml\/server`/,
    );
  });

  it("zk setup and zk verifier build the model and compile the plugin's contracts in the project", async function () {
    await hardhat(["zk", "setup"]);
    await hardhat(["zk", "verifier"]);
    await access(path.join(dir, "contracts", "generated", "VoiceJudgeSmallVerifier.sol"));
    await access(path.join(dir, "artifacts", "hardhat-zkml", "contracts", "JudgmentReward.sol", "JudgmentReward.json"));
    const manifest = JSON.parse(await readFile(path.join(dir, "artifacts-zk", "voiceJudgeSmall", "manifest.json"), "utf8"));
    expect(manifest.toolchain).to.deep.equal({ ezkl: "21.0.3", engine: "21.0.0", solc: "0.8.20" });
  });

  it("zk setup declares the model names and input shapes: a wrong name or input count does not compile", async function () {
    const declared = await readFile(path.join(dir, "types", "hardhat-zkml", "zk-models.d.ts"), "utf8");
    expect(declared).to.include('declare module "hardhat-zkml/types"');
    expect(declared).to.include('"voiceJudgeSmall": { inputs: [number[] /* x: 1x1x16x20 */] }');
    // typescript comes with the toolbox (typechain); @ts-expect-error lines fail the check if they compile.
    await run(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir, env });
  });

  it("zk prove writes a proof bound to the --prover address", async function () {
    const prover = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".toLowerCase();
    const { stdout } = await hardhat(["zk", "prove", "--model", "voiceJudgeSmall", "--prover", prover, "--out", "proofs"]);
    expect(stdout.toLowerCase()).to.include(`bound address: ${prover}`);
    const file = /-> (\S+\.proof\.json)/.exec(stdout)?.[1];
    expect(file, stdout).to.be.a("string");
    const proof = JSON.parse(await readFile(path.resolve(dir, file!), "utf8")); // printed relative to the project
    expect(proof.instances[0]).to.have.length(2);
  });

  it("zk deploy and zk claim pay the claimant on the in-process network", async function () {
    const { stdout } = await hardhat(["run", "scripts/deploy-and-claim.ts"]);
    const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, stdout).to.be.a("string");
    const result = JSON.parse(line!.slice("RESULT ".length)) as { reward: string; recipient: string; paid: string };
    expect(result.recipient).to.equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"); // account 1
    expect(result.paid).to.equal((10n ** 16n).toString()); // the default --reward 0.01
  });

  it("a test suite in the project proves, verifies and checks on-chain through zk.model and the chai matchers", async function () {
    const { stdout } = await hardhat(["test", "mocha"]);
    expect(stdout).to.match(/1 passing/);
    expect(stdout).to.not.match(/failing/);
  });

  describe("on a local hardhat node", function () {
    let node: ChildProcess | undefined;
    let url: string;

    before(async function () {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      node = await startNode(dir, port);
    });

    after(async function () {
      if (node !== undefined) await stopNode(node);
    });

    it("zk deploy and zk claim pay the claimant, and the contract keeps the rest of its funds", async function () {
      const deploy = await hardhat(["zk", "deploy", "--model", "voiceJudgeSmall", "--network", "localhost", "--fund", "0.1"], {
        LOCAL_NODE_URL: url,
      });
      const reward = /JudgmentReward (0x[0-9a-fA-F]{40})/.exec(deploy.stdout)?.[1];
      expect(reward, deploy.stdout).to.be.a("string");
      const claim = await hardhat(
        ["zk", "claim", "--model", "voiceJudgeSmall", "--network", "localhost", "--reward", reward!, "--account", "2"],
        {
          LOCAL_NODE_URL: url,
        },
      );
      expect(claim.stdout).to.match(/for 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC/i); // account 2
      expect(claim.stdout).to.include("paid 0.01 ETH");
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: [reward, "latest"] }),
      });
      const { result } = (await res.json()) as { result: string };
      expect(BigInt(result)).to.equal(9n * 10n ** 16n); // 0.1 funded - 0.01 paid
    });
  });

  describe("zk init in a project with only the plugins in its config", function () {
    let initDir: string;
    const initHardhat = (args: string[]) =>
      run(path.join(initDir, "node_modules", ".bin", "hardhat"), args, {
        cwd: initDir,
        env: { ...env, ZK_PYTHON: path.join(ROOT, ".venv", "bin", "python") },
      });

    before(async function () {
      initDir = path.join(tmp, "init-project");
      await mkdir(initDir, { recursive: true });
      await writeFile(path.join(initDir, "package.json"), JSON.stringify({ name: "zk-init-project", private: true, type: "module" }));
      await writeFile(path.join(initDir, "hardhat.config.ts"), INIT_CONFIG);
      // The packages the first project installed from the same tarballs (a second install would take a minute more).
      await symlink(path.join(dir, "node_modules"), path.join(initDir, "node_modules"), "dir");
    });

    it("writes the example judge from the package, its config entry, tsconfig.json and .gitignore, and prints the next commands", async function () {
      const { stdout } = await initHardhat(["zk", "init"]);
      for (const file of ["model.onnx", "calibration.json", "input.json"]) {
        const written = await readFile(path.join(initDir, "models", "voiceJudgeSmall", file));
        expect(written.equals(await readFile(path.join(ROOT, "models", "voiceJudgeSmall", file))), file).to.equal(true);
      }
      expect(await readFile(path.join(initDir, "hardhat.config.ts"), "utf8")).to.include('onnx: "models/voiceJudgeSmall/model.onnx"');
      await access(path.join(initDir, "tsconfig.json"));
      const ignored = (await readFile(path.join(initDir, ".gitignore"), "utf8")).split("\n");
      expect(ignored).to.include.members([".venv/", "artifacts-zk/", ".zk-service/", "types/", "contracts/generated/"]);
      expect(stdout).to.include("npx hardhat zk setup --model voiceJudgeSmall");
      const again = await initHardhat(["zk", "init"]);
      expect(again.stdout).to.include("kept    models/voiceJudgeSmall/model.onnx (exists; --force overwrites it)");
      expect(again.stdout).to.include("zk.models.voiceJudgeSmall is there already");
    });

    it("the config entry it wrote builds (zk setup) and the project type-checks with `tsc --noEmit`", async function () {
      // The first project's build of the same files: setup finds every step up to date.
      await cp(path.join(dir, "artifacts-zk"), path.join(initDir, "artifacts-zk"), { recursive: true });
      const setup = await initHardhat(["zk", "setup", "--model", "voiceJudgeSmall"]);
      expect(setup.stdout).to.include("[voiceJudgeSmall] keys: up to date");
      await access(path.join(initDir, "types", "hardhat-zkml", "zk-models.d.ts"));
      await writeFile(
        path.join(initDir, "check.ts"),
        'import { network } from "hardhat";\nconst { zk } = await network.create();\n// @ts-expect-error -- not a model of this project\nzk.model("noSuchModel");\n',
      );
      const tsconfig = JSON.parse(await readFile(path.join(initDir, "tsconfig.json"), "utf8"));
      await writeFile(path.join(initDir, "tsconfig.json"), JSON.stringify({ ...tsconfig, include: [...tsconfig.include, "check.ts"] }));
      await run(process.execPath, [path.join(initDir, "node_modules", "typescript", "bin", "tsc"), "--noEmit"], { cwd: initDir, env });
    });
  });

  describe("a second fresh project with the proving server's package", function () {
    let serverDir: string;
    let serve: ChildProcess | undefined;

    before(async function () {
      serverDir = path.join(tmp, "server-project");
      await writeUserProject(serverDir, ROOT);
      // The circuit the first project built: serving needs only the build outputs.
      await cp(path.join(dir, "artifacts-zk"), path.join(serverDir, "artifacts-zk"), { recursive: true });
      await install(serverDir, [tarballs.plugin, tarballs.core, tarballs.audio, tarballs.server]);
    });

    after(async function () {
      if (serve !== undefined) await stopNode(serve);
    });

    it("installs the server's stack with it, and serves a proof over HTTP", async function () {
      expect(await installedPackages(serverDir, env)).to.include.members(["@hardhat-zkml/server", "fastify", "bullmq"]);
      const keys = await run(path.join(serverDir, "node_modules", ".bin", "hardhat"), ["zk", "keys", "create", "--name", "e2e"], {
        cwd: serverDir,
        env,
      });
      const token = keys.stdout.trim().split("\n").pop()!;
      expect(token).to.match(/^zk_/);
      const port = await freePort();
      serve = await startServe(serverDir, port, env);
      const input = JSON.parse(await readFile(path.join(serverDir, "models", "voiceJudgeSmall", "input.json"), "utf8"));
      const res = await fetch(`http://127.0.0.1:${port}/v1/models/voiceJudgeSmall/proofs?wait=120`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ features: input.input_data[1], prover: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }),
      });
      const body = (await res.json()) as { job: { status: string }; result?: { proof?: { instances?: unknown[][] } } };
      expect(res.status, JSON.stringify(body)).to.equal(200);
      expect(body.job.status).to.equal("succeeded");
      expect(body.result?.proof?.instances?.[0]).to.have.length(2);
    });
  });
});
