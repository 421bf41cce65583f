import { expect } from "chai";
import path from "node:path";
import type { ZkModelUserConfig } from "@hardhat-zkml/core/config-types.js";
import { readManifest } from "@hardhat-zkml/core/manifest.js";
import { captureLog, tempProject } from "../helpers/temp-project.js";

const BASE: ZkModelUserConfig = {
  onnx: "models/tinyMlp/model.onnx",
  inputScale: 7,
  paramScale: 7,
  decompBase: 1024,
  maxLogrows: 15,
};

// Every input visibility, built by the real `zk setup`: what setup writes, the next read accepts.
const VISIBILITIES = ["private", "public", "hashed", "polycommit"] as const;
const SOURCES: Record<(typeof VISIBILITIES)[number], string[]> = {
  private: ["output"],
  public: ["input", "output"],
  hashed: ["inputHash", "output"],
  polycommit: ["output"],
};

describe("manifest: write -> read round trip through zk setup", function () {
  for (const input of VISIBILITIES) {
    it(`input "${input}": the manifest setup writes passes its schema, and a second setup reuses the build`, async function () {
      const model = `mlp_${input}`;
      const { hre, dir } = await tempProject(`manifest-${input}`, { [model]: { ...BASE, input } });
      const setup = () => captureLog(() => hre.tasks.getTask(["zk", "setup"]).run({ model, quiet: true }));
      await setup();
      const file = path.join(dir, "artifacts-zk", model, "manifest.json");
      const manifest = await readManifest(file);
      expect(manifest, "manifest written").to.not.equal(undefined);
      expect([...new Set(manifest!.instances!.map((s) => s.source))]).to.deep.equal(SOURCES[input]);
      if (input === "hashed" || input === "polycommit") expect(manifest!.inputCommitment?.visibility).to.equal(input);
      const stepsBefore = JSON.stringify(manifest!.steps);
      await setup();
      expect(JSON.stringify((await readManifest(file))!.steps), "no step reran").to.equal(stepsBefore);
    });
  }
});
