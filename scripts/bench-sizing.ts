/**
 * Sizing benchmark: every fixture model and the extra models of
 * scripts/build-bench-models.py, each built twice in one run, at ezkl's defaults
 * (sizing "ezkl", decomposition 16384 x 2) and with sizing "auto": logrows, rows, proving
 * key size, native ezkl prove time, WASM prove time, verifier deploy gas and verifyProof
 * gas, and whether both give the same outputs. One proof per configuration.
 *
 *   npx hardhat run scripts/bench-sizing.ts          (BENCH_OUT=bench/sizing.md to save)
 *   BENCH_MODELS=tinyMlp,logReg npx hardhat run scripts/bench-sizing.ts
 *
 * WASM at ezkl's defaults is skipped at logrows >= BENCH_WASM_MAX_DEFAULT_LOGROWS (17):
 * minutes per proof on a shared machine.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hre from "hardhat";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import { compileGenerated } from "../tasks/actions/context.js";
import { isolatedBuildPaths } from "../tasks/lib/compile-generated.js";
import { resolveModel } from "../tasks/config/resolve.js";
import { besidesBoundInput } from "@hardhat-zkml/core/bound-address.js";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import type { ZkModelConfig } from "@hardhat-zkml/core/config-types.js";
import { runEzkl } from "@hardhat-zkml/core/ezkl/python.js";
import { toolPaths } from "@hardhat-zkml/core/project-paths.js";
import type { BuildContext } from "@hardhat-zkml/core/pipeline/context.js";
import { generateVerifier, type GeneratedContract } from "@hardhat-zkml/core/pipeline/generate-verifier.js";
import { setupCircuit } from "@hardhat-zkml/core/pipeline/setup-circuit.js";
import { ModelProver, type ModelInputs } from "@hardhat-zkml/core/prover/model-prover.js";
import hardhatZkml from "../tasks/index.js";
import { SOLC_VERSION } from "@hardhat-zkml/core/versions.js";

const require = createRequire(import.meta.url);
const root = hre.config.paths.root;
const work = path.join(root, ".bench-sizing");
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const EXTRA = ["mlpMulti", "smallConv", "logReg", "wideMlp"];
const ORDER = ["tinyMlp", "logReg", "fraudScore", "mlpMulti", "voiceJudgeSmall", "tinyConv", "smallConv", "wideMlp", "voiceJudge"];
const WASM_MAX_DEFAULT_LOGROWS = Number(process.env.BENCH_WASM_MAX_DEFAULT_LOGROWS ?? 17);
const wanted = process.env.BENCH_MODELS?.split(",");

await rm(work, { recursive: true, force: true });
await mkdir(path.join(work, "contracts"), { recursive: true });
await promisify(execFile)(toolPaths(root).python, [path.join(root, "scripts/build-bench-models.py"), path.join(work, "models")]);

// Both variants of every model: ezkl's defaults (only the model's own precision and
// visibility kept) and auto-sizing.
interface Bench {
  name: string;
  base: ZkModelConfig;
  inputFile: string;
}
const benches: Bench[] = [
  ...Object.values(hre.config.zk.models).map((m) => ({ name: m.name, base: m, inputFile: path.join(path.dirname(m.onnx), "input.json") })),
  ...EXTRA.map((name) => {
    const dir = path.join(work, "models", name);
    // Precision fixed at 7 bits, as the fixtures do: with ezkl's own scale choice (13 here) a sigmoid lookup alone needs logrows 14.
    const m = resolveModel(
      name,
      { onnx: path.join(dir, "model.onnx"), calibrationData: path.join(dir, "calibration.json"), inputScale: 7, paramScale: 7 },
      root,
    );
    return { name, base: m, inputFile: path.join(dir, "input.json") };
  }),
]
  .filter((b) => wanted === undefined || wanted.includes(b.name))
  // Smallest first: results are written after every model, so a cut-short run still reports.
  .sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
const variant = (b: Bench, sizing: "ezkl" | "auto"): ZkModelConfig => ({
  ...b.base,
  name: `${b.name}${sizing === "ezkl" ? "Defaults" : "Auto"}`,
  sizing,
  decompBase: undefined,
  decompLegs: undefined,
  maxLogrows: 17,
  verifier: b.name === "voiceJudge" || b.name === "wideMlp" ? "reusable" : "single",
});

const ctx: BuildContext = {
  root,
  artifactsDir: path.join(work, "artifacts-zk"),
  generatedContractsDir: path.join(work, "contracts", "generated"),
  log: (line) => console.log(line),
};
const benchHre = await createHardhatRuntimeEnvironment(
  {
    plugins: [hardhatToolboxMochaEthers, hardhatZkml],
    solidity: {
      version: SOLC_VERSION,
      path: require.resolve("solc/soljson.js"),
      settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "shanghai" },
    },
    ...isolatedBuildPaths(root, work),
  },
  {},
  root,
);

interface Measured {
  model: ZkModelConfig;
  logrows: number;
  rows: number;
  innerCols: number;
  decomp: string;
  pkMb: number;
  nativeS: number;
  wasmS?: number;
  outputs: string;
  contracts: GeneratedContract[];
  proof?: { proof: string; instances: bigint[] };
  deployGas?: bigint;
  verifyGas?: bigint | string;
  setupS: number;
}

const inputsOf = async (b: Bench): Promise<ModelInputs> => {
  const data = JSON.parse(await readFile(b.inputFile, "utf8")) as { input_data: number[][] };
  return besidesBoundInput(data.input_data, b.base.boundAddress);
};

async function measure(b: Bench, model: ZkModelConfig): Promise<Measured> {
  const t0 = performance.now();
  const setup = await setupCircuit(model, ctx);
  const setupS = (performance.now() - t0) / 1000;
  const contracts = await generateVerifier(model, ctx);
  const c = setup.manifest.circuit!;
  const paths = modelArtifacts(ctx.artifactsDir, model.name);
  const bound = model.boundAddress ? ALICE : undefined;
  const prover = await ModelProver.open(root, ctx.artifactsDir, model);
  const input = path.join(paths.dir, "bench.input.json");
  const inputs = await inputsOf(b);
  await writeFile(input, prover.inputJson(inputs, bound));
  const witness = path.join(paths.dir, "bench.witness.json");
  await runEzkl(root, "gen_witness", { data: input, compiled: paths.compiled, witness });
  const outputs = JSON.stringify(JSON.parse(await readFile(witness, "utf8")).outputs);
  const native = await runEzkl<{ seconds: number }>(root, "prove", {
    witness,
    compiled: paths.compiled,
    pk: paths.pk,
    proof: path.join(paths.dir, "bench.native.proof.json"),
    srs: paths.srs,
  });
  let wasmS: number | undefined;
  let proof: Measured["proof"];
  if (model.sizing === "auto" || c.logrows < WASM_MAX_DEFAULT_LOGROWS) {
    const result = await prover.prove(inputs, bound);
    wasmS = result.proveMs! / 1000;
    proof = result.args;
  }
  await prover.close();
  const pkMb = (await stat(paths.pk)).size / 2 ** 20;
  const row: Measured = {
    model,
    logrows: c.logrows,
    rows: c.numRows,
    innerCols: c.numInnerCols ?? 2,
    pkMb,
    nativeS: native.seconds,
    wasmS,
    outputs,
    contracts,
    proof,
    setupS,
    decomp: `${setup.manifest.sizing!.chosen.decompBase}x${setup.manifest.sizing!.chosen.decompLegs}`,
  };
  console.log(
    `[bench] ${model.name}: logrows ${row.logrows}, ${row.rows} rows, pk ${pkMb.toFixed(1)} MB, native ${native.seconds.toFixed(2)} s, WASM ${wasmS?.toFixed(2) ?? "skipped"} s`,
  );
  return row;
}

const { ethers } = await benchHre.network.create();
async function measureGas(m: Measured): Promise<void> {
  let gas = 0n;
  const deployed: Record<string, string> = {};
  for (const c of m.contracts) {
    const contract = await ethers.deployContract(c.contract);
    gas += (await contract.deploymentTransaction()!.wait())!.gasUsed;
    deployed[c.role] = await contract.getAddress();
  }
  m.deployGas = gas;
  if (!m.proof) return;
  const verifierAddress = deployed.verifier ?? deployed.reusableVerifier!;
  const abi = deployed.verifier
    ? ["function verifyProof(bytes proof, uint256[] instances) returns (bool)"]
    : ["function verifyProof(address vk, bytes proof, uint256[] instances) returns (bool)"];
  const verifier = new ethers.Contract(verifierAddress, abi, (await ethers.getSigners())[0]);
  const args = deployed.verifier ? [m.proof.proof, m.proof.instances] : [deployed.vka, m.proof.proof, m.proof.instances];
  try {
    const tx = await verifier.getFunction("verifyProof")(...args);
    m.verifyGas = (await tx.wait()).gasUsed;
  } catch (e) {
    m.verifyGas = `reverted (${(e as Error).message.slice(0, 60)})`;
  }
}

const results: [Bench, Measured, Measured][] = [];
const loadAtStart = new Map<string, string>();
for (const b of benches) {
  loadAtStart.set(b.name, loadavg()[0]!.toFixed(1));
  const defaults = await measure(b, variant(b, "ezkl"));
  // Keys of the defaults layout are large; the contracts and figures are all the bench needs.
  await rm(modelArtifacts(ctx.artifactsDir, defaults.model.name).pk, { force: true });
  const auto = await measure(b, variant(b, "auto"));
  await rm(modelArtifacts(ctx.artifactsDir, auto.model.name).pk, { force: true });
  await compileGenerated(benchHre, true);
  await measureGas(defaults);
  await measureGas(auto);
  results.push([b, defaults, auto]);
  await report();
}

async function report(): Promise<void> {
  const f = (n: number | undefined, d = 2) => (n === undefined ? "skipped" : n.toFixed(d));
  const g = (n: bigint | string | undefined) => (n === undefined ? "-" : typeof n === "string" ? n : n.toLocaleString("en-US"));
  const lines = [
    "| model | sizing | decomp | inner cols | logrows | rows | pk (MB) | native prove (s) | WASM prove (s) | WASM speed-up | verifier deploy gas | verifyProof gas | same outputs |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const [b, d, a] of results) {
    const same = d.outputs === a.outputs ? "yes" : "NO";
    const speedup = d.wasmS !== undefined && a.wasmS !== undefined ? `${(d.wasmS / a.wasmS).toFixed(1)}x` : "-";
    lines.push(
      `| ${b.name} | ezkl defaults | ${d.decomp} | ${d.innerCols} | ${d.logrows} | ${d.rows} | ${f(d.pkMb, 1)} | ${f(d.nativeS)} | ${f(d.wasmS)} | | ${g(d.deployGas)} | ${g(d.verifyGas)} | |`,
    );
    lines.push(
      `| ${b.name} | auto | ${a.decomp} | ${a.innerCols} | ${a.logrows} | ${a.rows} | ${f(a.pkMb, 1)} | ${f(a.nativeS)} | ${f(a.wasmS)} | ${speedup} | ${g(a.deployGas)} | ${g(a.verifyGas)} | ${same} |`,
    );
  }
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const table = lines.join("\n");
  console.log("\n" + table);
  if (process.env.BENCH_OUT) {
    await writeFile(
      process.env.BENCH_OUT,
      [
        "# Sizing benchmark",
        "",
        `Made by \`${wanted ? `BENCH_MODELS=${wanted.join(",")} ` : ""}BENCH_OUT=${process.env.BENCH_OUT} npx hardhat run scripts/bench-sizing.ts\` on ${new Date().toISOString().slice(0, 10)}; ${machine}.`,
        `Load average (1 min) when each model started: ${results.map(([b]) => `${b.name} ${loadAtStart.get(b.name)}`).join(", ")}.`,
        "",
        `"ezkl defaults" is sizing "ezkl" with ezkl's default decomposition (16384 x 2) and ezkl's own calibration (the`,
        'model\'s configured scales kept); "auto" is the default sizing search. One proof per configuration: native is',
        "ezkl.prove in Python (threaded), WASM is witness + proof in the engine (one worker thread). WASM at ezkl defaults",
        `is skipped at logrows >= ${WASM_MAX_DEFAULT_LOGROWS}. Gas on Hardhat's simulated chain; verifyProof with the WASM proof.`,
        "\"same outputs\": the witnesses' outputs for the model's input.json are identical.",
        "",
        table,
        "",
        ...(results.length < benches.length
          ? [
              `Not reached in this run: ${benches
                .slice(results.length)
                .map((b) => b.name)
                .join(", ")}.`,
              "",
            ]
          : []),
      ].join("\n"),
    );
  }
}

process.exit(0);
