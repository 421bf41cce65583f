/**
 * End-to-end demo on Hardhat's embedded chain: build a model's circuit with ezkl,
 * generate its Solidity verifier, prove in WASM, verify off-chain and on-chain.
 *
 *   npm run demo            (after `npm run setup`)
 */
import { readFile } from "node:fs/promises";
import hre, { network } from "hardhat";
import { modelArtifacts } from "../tasks/lib/artifacts.js";
import { engineProve, engineVerify, engineWitness } from "../tasks/lib/prover/engine-ops.js";
import { loadModelFiles } from "../tasks/lib/prover/model-files.js";
import { parseProof, verifierArgs } from "../tasks/lib/prover/proof-json.js";
import { generateVerifier, verifierNames } from "../tasks/lib/pipeline/generate-verifier.js";
import { setupCircuit } from "../tasks/lib/pipeline/setup-circuit.js";
import { feltToFixedPoint } from "../tasks/lib/felt.js";

const MODEL = process.env.ZK_DEMO_MODEL ?? "tinyMlp";
const timings: [string, number][] = [];
async function timed<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const out = await fn();
  timings.push([label, (performance.now() - t) / 1000]);
  return out;
}

const root = hre.config.paths.root;
const model = hre.config.zk.models[MODEL]!;
const ctx = {
  root, artifactsDir: hre.config.zk.artifactsDir, generatedContractsDir: hre.config.zk.generatedContractsDir,
  log: (l: string) => console.log(l),
};

await timed("circuit (settings, calibrate, compile, SRS, keys)", () => setupCircuit(model, ctx));
await timed("Solidity verifier (ezkl + offline solc 0.8.20)", () => generateVerifier(model, ctx));
await timed("hardhat build", () => hre.tasks.getTask("build").run({ quiet: true }));

const files = await loadModelFiles(root, MODEL, modelArtifacts(ctx.artifactsDir, MODEL));
const input = await readFile(model.calibrationData, "utf8");
const witness = await timed("WASM witness", () => engineWitness(files, input));
const proofBytes = await timed("WASM proof", () => engineProve(files, witness));
const offChain = await timed("WASM verify", () => engineVerify(files, proofBytes));

const { ethers } = await network.create();
const verifier = await timed("deploy verifier", () => ethers.deployContract(verifierNames(MODEL).verifier));
const deployReceipt = await verifier.deploymentTransaction()!.wait();
const { proof, instances } = verifierArgs(parseProof(proofBytes));
const tx = await timed("on-chain verifyProof", async () => (await verifier.verifyProof(proof, instances)).wait());

const outputs = instances.map((v, i) => feltToFixedPoint(v, files.manifest.instances![i]!.scale));
console.log(`
Demo summary (${MODEL})
  circuit: logrows ${files.manifest.circuit!.logrows}, ${files.manifest.circuit!.numRows} rows, SRS ${files.manifest.srs!.source}${files.manifest.srs!.insecure ? " (insecure, local only)" : ""}
  public outputs: ${outputs.map((o) => o.toFixed(4)).join(", ")}
  WASM proof verified off-chain: ${offChain}
  on-chain verifyProof: ${tx!.status === 1 ? "accepted" : "REJECTED"} (gas ${tx!.gasUsed}); verifier deployment gas ${deployReceipt!.gasUsed}
  timings:
${timings.map(([l, s]) => `    ${l.padEnd(50)} ${s.toFixed(2)} s`).join("\n")}`);
if (!offChain || tx!.status !== 1) process.exitCode = 1;
