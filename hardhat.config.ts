import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import hardhatZkml from "./tasks/index.js";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatZkml],
  solidity: {
    version: "0.8.20",
    // The pinned npm solc build: Hardhat never downloads a compiler.
    path: require.resolve("solc/soljson.js"),
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "shanghai" },
    // Contracts and Solidity tests compile apart: test/solidity/ imports a generated verifier,
    // which must not stop `hardhat test mocha` (which builds it) or `zk verifier` from compiling.
    splitTestsCompilation: true,
  },
  zk: {
    // Circuits are sized automatically (sizing: "auto"). The judges and the fraud score keep
    // scale 7: at ezkl's own choice (11) their lookup tables would need logrows 14-16.
    models: {
      // The Cryptoidol judge, (key, x) -> [key, score]: key is the prover's address,
      // carried through unchanged (so range checks on inputs/outputs are off; see README).
      voiceJudgeSmall: {
        onnx: "models/voiceJudgeSmall/model.onnx",
        calibrationData: "models/voiceJudgeSmall/calibration.json",
        input: "polycommit",
        inputScale: 7,
        paramScale: 7,
        ignoreRangeCheckInputsOutputs: true,
        boundAddress: { input: 0, output: 0 },
      },
      voiceJudge: {
        onnx: "models/voiceJudge/model.onnx",
        calibrationData: "models/voiceJudge/calibration.json",
        inputScale: 7,
        paramScale: 7,
        decompBase: 1024,
        input: "polycommit",
        maxLogrows: 18,
        ignoreRangeCheckInputsOutputs: true,
        boundAddress: { input: 0, output: 0 },
        verifier: "reusable",
        sizing: "ezkl",
      },
      // Logistic-regression fraud score over features read from a contract (data attester).
      fraudScore: {
        onnx: "models/fraudScore/model.onnx",
        calibrationData: "models/fraudScore/calibration.json",
        input: "public",
        inputScale: 7,
        paramScale: 7,
        attest: { source: "input", decimals: [18, 0, 0, 0] },
      },
      tinyMlp: { onnx: "models/tinyMlp/model.onnx" },
      tinyConv: { onnx: "models/tinyConv/model.onnx", verifier: "reusable" },
    },
  },
  // Testnets: RPC URLs and the deployer key are configuration variables, kept in the
  // encrypted keystore (`npx hardhat keystore set SEPOLIA_RPC_URL`, ... DEPLOYER_PRIVATE_KEY).
  networks: {
    // A `hardhat node` (tests start one on a free port and set LOCAL_NODE_URL).
    localhost: { type: "http", url: process.env.LOCAL_NODE_URL ?? "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      chainType: "l1",
      chainId: 11155111,
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    holesky: {
      type: "http",
      chainType: "l1",
      chainId: 17000,
      url: configVariable("HOLESKY_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      chainId: 84532,
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
  test: {
    mocha: { timeout: 20 * 60 * 1000 },
    // test/solidity/*.t.sol read the proof fixture `zk prove --fixture` writes (`npm run test:solidity`).
    solidity: { fsPermissions: { readFile: ["artifacts-zk/voiceJudgeSmall/proofs/fixture.json"] } },
  },
});
