import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import hre from "hardhat";
import { extractFeatures } from "@hardhat-zkml/audio/node.js";
import { startService, type RunningService } from "@hardhat-zkml/server/service.js";
import type { ServiceConfig } from "@hardhat-zkml/server/options.js";
import { buildModel } from "../helpers/fixtures.js";
import { createKey, removeDir, testServiceConfig } from "../helpers/service.js";

/**
 * Bounded: a few examples per operation and a time cap (about 1,000 cases in 80 s here), so
 * the whole test takes under two minutes. The config file lists the statuses that count as
 * accepting (422: schema-valid but not processable) and refusing (413: over the body limit).
 */
const MAX_EXAMPLES = 5;
const CONFIG = path.join(hre.config.paths.root, "test", "fixtures", "schemathesis", "schemathesis.toml");

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
    // No callback secret: the served models' documents then take no callbackUrl, so no generated
    // URL is ever POSTed to (tests send traffic only to 127.0.0.1).
    // The wrong-key limit is raised: the fuzzer sends many requests without a key on purpose, and
    // each must be answered 401 (the limit itself is tested in test/unit/routes.test.ts).
    config = await testServiceConfig(["voiceJudgeSmall"], { ZK_MAX_WAIT: "2", ZK_AUTH_FAILURE_LIMIT: "1000000" }, { concurrency: 1 });
    service = await startService(config, { extractFeatures }); // multipart routes too
  });
  after(async function () {
    await service?.close();
    await removeDir(config.dataDir);
  });

  it("finds no failure of any check (--checks all) in any documented operation", async function () {
    const token = createKey(config.dataDir, ["admin"], 1_000_000);
    const bin = path.join(hre.config.paths.root, ".venv", "bin", "schemathesis");
    const { code, output } = await run(bin, [
      "--config-file",
      CONFIG,
      "run",
      `${service.url}/openapi.json`,
      "--url",
      service.url,
      "--checks",
      "all",
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
      "80",
      "--no-color",
    ]);
    // On failure, show each failing operation's check and response (without the long curl lines).
    const report = output
      .slice(Math.max(0, output.indexOf("= FAILURES =")))
      .split("\n")
      .filter((line) => !line.trimStart().startsWith("curl "))
      .join("\n")
      .slice(0, 8000);
    expect(output, report).to.match(/operations? tested|API Operations|Test cases/i);
    expect(output, report).to.not.match(/Server error|failures? found|FAILURES/i);
    expect(code, report).to.equal(0);
  });
});
