#!/usr/bin/env node
// Stands in for the native solc 0.8.20 that ezkl's Solidity generation runs to write a
// contract's ABI. It is the same compiler release, run from the pinned npm `solc`
// (soljson) build, so nothing is downloaded and nothing is compiled differently.
// Speaks the two forms ezkl uses: `--version` and `--standard-json` (input on stdin).
"use strict";

const solc = require("solc");

const EXPECTED = process.env.ZK_SOLC_EXPECTED_VERSION || "0.8.20";
const full = solc.version(); // e.g. 0.8.20+commit.a1b79de6.Emscripten.clang
if (!full.startsWith(`${EXPECTED}+`)) {
  process.stderr.write(`solc shim: npm solc is ${full}, ezkl needs ${EXPECTED}; reinstall with npm ci\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${full}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write(`solc shim: only --version and --standard-json are supported (got: ${args.join(" ")})\n`);
  process.exit(1);
}

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const output = solc.compile(Buffer.concat(chunks).toString("utf8"));
  process.stdout.write(output);
});
