import { expect } from "chai";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { HardhatPluginError } from "hardhat/plugins";
import { asPluginError } from "../../tasks/actions/guard.js";
import { writeModelTypes } from "../../tasks/lib/api/model-types.js";
import { resolveZkConfig } from "../../tasks/config/resolve.js";
import { validateZkUserConfig } from "../../tasks/config/validate.js";
import hardhatZkml from "../../tasks/index.js";
import { runDoctor } from "@hardhat-zkml/core/doctor/checks.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { installPython } from "@hardhat-zkml/core/ezkl/install-python.js";
import { installedPackageVersion } from "@hardhat-zkml/core/installed-versions.js";
import { MANIFEST_SCHEMA, readManifest } from "@hardhat-zkml/core/manifest.js";
import { PLUGIN_CONTRACTS, withPluginContracts } from "../../tasks/lib/plugin-contracts.js";
import { toolPaths, useProjectPython } from "@hardhat-zkml/core/project-paths.js";
import { PACKAGE_ROOT } from "../../tasks/lib/plugin-paths.js";
import { buildModel } from "../helpers/fixtures.js";
import { captureLog } from "../helpers/temp-project.js";
import { expectDeliberate } from "../helpers/errors.js";

/** Runs fn with ZK_PYTHON set to python (or unset), then restores it. */
async function withZkPython<T>(python: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const saved = process.env.ZK_PYTHON;
  if (python === undefined) delete process.env.ZK_PYTHON;
  else process.env.ZK_PYTHON = python;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.ZK_PYTHON;
    else process.env.ZK_PYTHON = saved;
  }
}

function oneLine(e: unknown, pattern: RegExp): void {
  expectDeliberate(e);
  expect((e as Error).message).to.match(pattern);
  expect((e as Error).message.split("\n")).to.have.length(1);
}

describe("the plugin as a package", function () {
  let tmp: string;
  before(async () => (tmp = await mkdtemp(path.join(os.tmpdir(), "zk-plugin-"))));
  after(() => rm(tmp, { recursive: true, force: true }));

  describe("plugin object", function () {
    it("declares its npm package and loads hardhat-ethers and hardhat-ignition-ethers as dependencies", async function () {
      expect(hardhatZkml.npmPackage).to.equal("hardhat-zkml");
      const deps = await Promise.all(hardhatZkml.dependencies!().map((load) => load));
      expect(deps.map((d) => d.default.id)).to.deep.equal(["hardhat-ethers", "hardhat-ignition-ethers"]);
      expect(Object.keys(hardhatZkml.hookHandlers!)).to.include.members(["config", "network", "clean"]);
    });

    it("lists doctor and install-python among its tasks", function () {
      const names = hardhatZkml.tasks!.map((t) => t.id.join(" "));
      expect(names).to.include.members(["zk doctor", "zk install-python", "zk setup", "zk deploy", "zk claim"]);
    });
  });

  describe("contracts in a user's project", function () {
    it("adds the shipped contracts to npmFilesToBuild in another project, not in this repository", function () {
      const base = hre.config.solidity;
      expect(withPluginContracts(base, PACKAGE_ROOT)).to.equal(base);
      const user = withPluginContracts(base, path.join(tmp, "user"));
      expect(user.npmFilesToBuild).to.include.members(PLUGIN_CONTRACTS.map((f) => `hardhat-zkml/${f}`));
      expect(withPluginContracts(user, path.join(tmp, "user")).npmFilesToBuild).to.have.length(user.npmFilesToBuild.length);
    });
  });

  describe("zk.python", function () {
    it("resolves against the project root and is the interpreter ezkl runs in", async function () {
      const root = path.join(tmp, "proj");
      const zk = resolveZkConfig({ python: "py/bin/python" }, root);
      expect(zk.python).to.equal(path.join(root, "py", "bin", "python"));
      useProjectPython(root, zk.python);
      await withZkPython(undefined, () => expect(toolPaths(root).python).to.equal(zk.python));
      expect(resolveZkConfig({}, root).python).to.equal(path.join(root, ".venv", "bin", "python"));
    });

    it("rejects an empty interpreter path", function () {
      const [error] = validateZkUserConfig({ python: "" });
      expect(error?.message).to.match(/zk\.python: must be the path of a Python interpreter/);
    });
  });

  describe("zk doctor", function () {
    it("passes every check in this workspace", async function () {
      const checks = await runDoctor(hre.config.paths.root);
      expect(checks.map((c) => c.name)).to.deep.equal(["node", "python", "ezkl", "solc shim", "engine"]);
      expect(
        checks.filter((c) => !c.ok),
        JSON.stringify(checks),
      ).to.deep.equal([]);
    });

    it("names the missing interpreter and says to run zk install-python", async function () {
      const checks = await withZkPython(path.join(tmp, "no-python"), () => runDoctor(hre.config.paths.root));
      const python = checks.find((c) => c.name === "python")!;
      expect(python.ok).to.equal(false);
      expect(python.fix).to.match(/npx hardhat zk install-python/);
      expect(checks.find((c) => c.name === "ezkl")!.ok).to.equal(false);
      expect(checks.find((c) => c.name === "engine")!.ok).to.equal(true);
    });

    it("fails the task with one line when a check fails", async function () {
      const error = await withZkPython(path.join(tmp, "no-python"), () =>
        captureLog(() => hre.tasks.getTask(["zk", "doctor"]).run({})).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      oneLine(error, /zk doctor: python, ezkl not ready/);
    });
  });

  describe("zk install-python", function () {
    it("says how to get Python when the base interpreter does not exist", async function () {
      try {
        await installPython({ venv: path.join(tmp, "venv"), basePython: path.join(tmp, "no-python3"), log: () => {} });
        expect.fail("installed without Python");
      } catch (e) {
        oneLine(e, /no-python3 not found; install Python .*--python/);
      }
    });
  });

  describe("manifest", function () {
    let file: string;
    before(async function () {
      await buildModel("tinyMlp");
      file = path.join(tmp, "tinyMlp", "manifest.json");
      await mkdir(path.dirname(file), { recursive: true });
    });

    it("reads the manifest a build wrote, with the installed engine and solc versions", async function () {
      const manifest = (await readManifest(path.join(hre.config.zk.artifactsDir, "tinyMlp", "manifest.json")))!;
      expect(manifest.toolchain.engine).to.equal(installedPackageVersion("@ezkljs/engine"));
      expect(manifest.toolchain.solc).to.equal(installedPackageVersion("solc"));
      expect(manifest.toolchain.engine).to.equal("21.0.0");
    });

    it("a hand-edited manifest is one line naming the field and the rebuild command", async function () {
      const good = JSON.parse(await readFile(path.join(hre.config.zk.artifactsDir, "tinyMlp", "manifest.json"), "utf8"));
      good.instances[0].scale = "seven";
      await writeFile(file, JSON.stringify(good));
      try {
        await readManifest(file);
        expect.fail("read an invalid manifest");
      } catch (e) {
        oneLine(
          e,
          /is not a valid hardhat-zkml manifest \(instances\.0\.scale: Expected number, received string\); rebuild it with `npx hardhat zk setup --model tinyMlp --force`/,
        );
      }
    });

    it("a manifest of another schema version is one line with the rebuild command", async function () {
      await writeFile(file, JSON.stringify({ schema: MANIFEST_SCHEMA + 1, model: "tinyMlp" }));
      try {
        await readManifest(file);
        expect.fail("read a manifest of another schema");
      } catch (e) {
        oneLine(
          e,
          new RegExp(`has manifest schema ${MANIFEST_SCHEMA + 1} but this hardhat-zkml reads schema ${MANIFEST_SCHEMA}; rebuild it`),
        );
      }
    });
  });

  describe("model types", function () {
    it("declares the built models beside typechain's output, against the package in a user's project", async function () {
      await buildModel("tinyMlp");
      const root = path.join(tmp, "typed");
      const zk = {
        ...hre.config.zk,
        models: { tinyMlp: hre.config.zk.models.tinyMlp!, notBuilt: { ...hre.config.zk.models.tinyMlp!, name: "notBuilt" } },
      };
      const file = await writeModelTypes(zk, root, "types/ethers-contracts");
      expect(file).to.equal(path.join(root, "types", "hardhat-zkml", "zk-models.d.ts"));
      const source = await readFile(file, "utf8");
      expect(source).to.include('declare module "hardhat-zkml/types"');
      expect(source).to.include('"tinyMlp": { inputs: [number[] /* x: 1x4 */] };');
      expect(source).to.not.include("notBuilt");
    });
  });

  describe("task boundary", function () {
    it("turns a ZkError (a deliberate error) into a one-line HardhatPluginError that keeps the cause", function () {
      const cause = new ZkError('model "x" is unknown; add it to zk.models');
      const wrapped = asPluginError(cause);
      expect(wrapped).to.be.instanceOf(HardhatPluginError);
      expect((wrapped as HardhatPluginError).pluginId).to.equal("hardhat-zkml");
      expect((wrapped as Error).message).to.equal(cause.message);
      expect((wrapped as Error).cause).to.equal(cause);
    });

    it("lets a bug (a TypeError in our own code) through unchanged, with its stack", function () {
      const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
      expect(asPluginError(bug)).to.equal(bug);
    });

    it("passes Hardhat's own errors through unchanged", function () {
      const error = new HardhatPluginError("hardhat-zkml", "already one line");
      expect(asPluginError(error)).to.equal(error);
    });

    it("a task that fails inside a library call reports a ZkError, not a bare Error", async function () {
      try {
        // Not a proof: the engine throws inside the action, which does not catch it itself.
        const junk = path.join(tmp, "junk.proof.json");
        await writeFile(junk, "not a proof");
        await hre.tasks.getTask(["zk", "calldata"]).run({ proof: junk });
        expect.fail("calldata of a directory");
      } catch (e) {
        expectDeliberate(e);
        expect((e as Error).message.split("\n")).to.have.length(1);
      }
    });
  });
});
