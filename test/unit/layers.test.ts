import { expect } from "chai";
import { build } from "esbuild";
import { ESLint } from "eslint";
import path from "node:path";
import { ROOT } from "../helpers/temp-project.js";

/** Lints `code` as if it were the file at `file` (relative to the repository root); returns the rule ids hit. */
async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe("layers point one way", function () {
  this.timeout(120_000);

  it("the audio package's root bundles for a browser with no Node built-in", async function () {
    const result = await build({
      entryPoints: [path.join(ROOT, "packages", "audio", "src", "index.ts")],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.includes("packages/audio/src/index.ts"))).to.equal(true);
    expect(inputs.filter((f) => f.startsWith("node:") || /(^|\/)ffmpeg\.ts$/.test(f))).to.deep.equal([]);
    expect(result.outputFiles[0]!.text.length).to.be.greaterThan(10_000);
  });

  it("the audio package's node entry does not bundle for a browser (it needs ffmpeg and the file system)", async function () {
    const attempt = build({
      entryPoints: [path.join(ROOT, "packages", "audio", "src", "node.ts")],
      bundle: true,
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    await attempt.then(
      () => expect.fail("node.ts bundled for the browser"),
      (e: Error) => expect(e.message).to.match(/node:/),
    );
  });

  it("lint fails when core imports Hardhat, the plugin or the server", async function () {
    expect(await ruleIdsFor("packages/core/src/example.ts", 'import { task } from "hardhat/config";\nexport const t = task;\n')).to.include(
      "no-restricted-imports",
    );
    expect(
      await ruleIdsFor(
        "packages/core/src/example.ts",
        'import { ZkError } from "../../../tasks/lib/plugin-paths.js";\nexport const e = ZkError;\n',
      ),
    ).to.include("no-restricted-imports");
    expect(
      await ruleIdsFor(
        "packages/core/src/example.ts",
        'import { startService } from "@hardhat-zkml/server/service.js";\nexport const s = startService;\n',
      ),
    ).to.include("no-restricted-imports");
  });

  it("lint fails when the audio package's root imports Node or another package, and allows it in node.ts", async function () {
    const nodeImport = 'import { readFile } from "node:fs/promises";\nexport const r = readFile;\n';
    expect(await ruleIdsFor("packages/audio/src/example.ts", nodeImport)).to.include("no-restricted-imports");
    expect(
      await ruleIdsFor(
        "packages/audio/src/example.ts",
        'import { ZkError } from "@hardhat-zkml/core/errors.js";\nexport const e = ZkError;\n',
      ),
    ).to.include("no-restricted-imports");
    expect(await ruleIdsFor("packages/audio/src/node.ts", nodeImport)).to.not.include("no-restricted-imports");
  });

  it("core may import the audio package and its own modules", async function () {
    const ok =
      'import { ZkError } from "@hardhat-zkml/audio/errors.js";\nimport { sha256File } from "../hash.js";\nexport const x = [ZkError, sha256File];\n';
    expect(await ruleIdsFor("packages/core/src/prover/example.ts", ok)).to.not.include("no-restricted-imports");
  });
});
