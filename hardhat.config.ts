import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";
import hardhatZkml from "./tasks/index.js";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatZkml],
  solidity: {
    version: "0.8.20",
    // The pinned npm solc build: Hardhat never downloads a compiler.
    path: require.resolve("solc/soljson.js"),
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "shanghai" },
  },
  zk: {
    models: {
      tinyMlp: { onnx: "models/tinyMlp/model.onnx", inputScale: 7, paramScale: 7, decompBase: 1024, maxLogrows: 12 },
      tinyConv: { onnx: "models/tinyConv/model.onnx", output: "public", maxLogrows: 16 },
    },
  },
  test: { mocha: { timeout: 20 * 60 * 1000 } },
});
