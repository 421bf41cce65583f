import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import hre from "hardhat";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { buildModel } from "./helpers/fixtures.js";
import { createKey, removeDir, testServiceConfig } from "./helpers/service.js";

/** Bounded: a few examples per operation, and a time cap, so the run takes about two minutes at most. */
const MAX_EXAMPLES = 10;

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("proving service: schema fuzzing (schemathesis against /openapi.json)", function () {
  let config: ServiceConfig;
  let service: RunningService;
  before(async function () {
    await buildModel("voiceJudgeSmall");
    config = await testServiceConfig(["voiceJudgeSmall"], { ZK_CALLBACK_SECRET: "fuzz", ZK_MAX_WAIT: "2" }, { concurrency: 1 });
    service = await startService(config, { extractFeatures }); // multipart routes too
  });
  after(async function () {
    await service?.close();
    await removeDir(config.dataDir);
  });

  it("finds no server error (5xx) in any documented operation", async function () {
    const token = createKey(config.dataDir, ["admin"], 1_000_000);
    const bin = path.join(hre.config.paths.root, ".venv", "bin", "schemathesis");
    const { code, output } = await run(bin, [
      "run",
      `${service.url}/openapi.json`,
      "--checks",
      "not_a_server_error",
      "--header",
      `Authorization: Bearer ${token}`,
      "--max-examples",
      String(MAX_EXAMPLES),
      "--phases",
      "examples,coverage,fuzzing",
      "--seed",
      "1",
      "--workers",
      "1",
      "--request-timeout",
      "30",
      "--max-time",
      "120",
      "--no-color",
    ]);
    expect(output, output.slice(-4000)).to.match(/operations? tested|API Operations|Test cases/i);
    expect(output, output.slice(-4000)).to.not.match(/Server error/i);
    expect(code, output.slice(-4000)).to.equal(0);
  });
});
