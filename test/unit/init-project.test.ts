import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import ts from "typescript";
import { EXAMPLE_ENTRY, initProject, initReport, withZkEntry, type InitOptions } from "../../tasks/lib/init/init-project.js";
import { ROOT } from "../helpers/temp-project.js";

/** The config a user writes before `zk init` (README "Install in your project"). */
const MINIMAL = `import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";
import hardhatZkml from "hardhat-zkml";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatZkml],
  solidity: { version: "0.8.20", settings: { optimizer: { enabled: true, runs: 200 } } },
});
`;

/** Syntax errors of a TypeScript file (none: it parses). */
const syntaxErrors = (text: string) =>
  (ts.transpileModule(text, { reportDiagnostics: true }).diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  );

describe("zk init (initProject)", function () {
  let dir: string;
  let opts: InitOptions;
  const read = (file: string) => readFile(path.join(dir, file), "utf8");

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "zk-init-"));
    await writeFile(path.join(dir, "hardhat.config.ts"), MINIMAL);
    opts = {
      root: dir,
      configFile: path.join(dir, "hardhat.config.ts"),
      packageRoot: ROOT,
      outputs: { artifactsDir: path.join(dir, "artifacts-zk"), generatedContractsDir: path.join(dir, "contracts/generated") },
      force: false,
    };
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the example judge's files, its config entry, tsconfig.json and the .gitignore lines in an empty project", async function () {
    const result = await initProject(opts);
    expect(result.written).to.deep.equal([
      "models/voiceJudgeSmall/model.onnx",
      "models/voiceJudgeSmall/calibration.json",
      "models/voiceJudgeSmall/input.json",
      "tsconfig.json",
    ]);
    for (const file of ["model.onnx", "calibration.json", "input.json"]) {
      const shipped = await readFile(path.join(ROOT, "models", "voiceJudgeSmall", file));
      expect((await readFile(path.join(dir, "models", "voiceJudgeSmall", file))).equals(shipped), file).to.equal(true);
    }
    expect(result.config).to.equal("edited");
    const config = await read("hardhat.config.ts");
    expect(config).to.include(EXAMPLE_ENTRY);
    expect(config.replace(/\n {2}zk: \{[\s\S]*?\n {2}\},/, "")).to.equal(MINIMAL); // only the zk entry was added
    expect(syntaxErrors(config)).to.deep.equal([]);
    expect(JSON.parse(await read("tsconfig.json")).compilerOptions.types).to.deep.equal(["node", "mocha"]);
    const ignored = (await read(".gitignore")).split("\n");
    expect(ignored).to.include.members([".venv/", "artifacts-zk/", "contracts/generated/", ".zk-service/", "types/", ".tools/"]);
    const report = initReport(result, opts.configFile);
    expect(report).to.include("edited  hardhat.config.ts: added zk.models.voiceJudgeSmall");
    expect(report).to.include("npx hardhat zk setup --model voiceJudgeSmall");
    expect(report).to.include("npx tsc --noEmit");
  });

  it("run again, keeps every file (a changed input.json too) and adds nothing", async function () {
    await initProject(opts);
    await writeFile(path.join(dir, "models", "voiceJudgeSmall", "input.json"), "mine");
    const config = await read("hardhat.config.ts");
    const again = await initProject(opts);
    expect(again.written).to.deep.equal([]);
    expect(again.kept).to.have.length(4);
    expect(again.kept[2]).to.equal("models/voiceJudgeSmall/input.json (exists; --force overwrites it)");
    expect(again.config).to.equal("present");
    expect(again.gitignore).to.deep.equal([]);
    expect(await read("models/voiceJudgeSmall/input.json")).to.equal("mine");
    expect(await read("hardhat.config.ts")).to.equal(config);
  });

  it("with --force overwrites the example's files and tsconfig.json, never the config", async function () {
    await writeFile(path.join(dir, "tsconfig.json"), "{}");
    await writeFile(path.join(dir, "hardhat.config.ts"), MINIMAL.replace("plugins:", "zk: { models: {} },\n  plugins:"));
    const result = await initProject({ ...opts, force: true });
    expect(result.written).to.include("tsconfig.json");
    expect(JSON.parse(await read("tsconfig.json")).include).to.include("test/**/*.ts");
    expect(result.config).to.equal("snippet");
  });

  it("prints the entry to add when the config has a zk section or no single exported object", async function () {
    const withZk = MINIMAL.replace("plugins:", "zk: { models: {} },\n  plugins:");
    await writeFile(path.join(dir, "hardhat.config.ts"), withZk);
    const result = await initProject(opts);
    expect(result.config).to.equal("snippet");
    expect(await read("hardhat.config.ts")).to.equal(withZk);
    expect(initReport(result, opts.configFile)).to.include(`under zk.models (the file could not be edited safely):\n\n${EXAMPLE_ENTRY}`);
    expect(withZkEntry("const config = {};\nexport default config;\n")).to.equal(undefined);
    expect(syntaxErrors(withZkEntry("export default {\n  solidity: '0.8.20',\n};\n")!)).to.deep.equal([]);
  });

  it("adds only the .gitignore lines that are missing, after the user's own", async function () {
    await writeFile(path.join(dir, ".gitignore"), "node_modules\n/.venv\nmy-notes.txt");
    const result = await initProject(opts);
    expect(result.gitignore).to.not.include.members(["node_modules/", ".venv/"]);
    const text = await read(".gitignore");
    expect(text.startsWith("node_modules\n/.venv\nmy-notes.txt\n# hardhat-zkml\nartifacts-zk/\n")).to.equal(true);
  });
});
