import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "../lib/artifacts.js";
import { ZkError } from "../lib/errors.js";
import { backendOverride } from "../lib/prover/backends.js";
import { ModelProver } from "../lib/prover/model-prover.js";
import { inputFileFor, selectModels } from "../lib/select-models.js";

interface Args { model: string; input: string; prover: string; out: string; backend: string }

export default async function zkProve(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.model === "") throw new ZkError("--model is required");
  const [model] = selectModels(hre.config.zk, args.model);
  const inputFile = inputFileFor(model!, args.input);
  let data: { input_data?: unknown };
  try {
    data = JSON.parse(await readFile(inputFile, "utf8"));
  } catch {
    throw new ZkError(`cannot read input file ${inputFile} as JSON ({"input_data": [[...], ...]})`);
  }
  if (!Array.isArray(data.input_data)) throw new ZkError(`${inputFile} has no "input_data" array`);
  let inputs = data.input_data as number[][];
  const bound = model!.boundAddress;
  const prover = await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model!, backendOverride(args.backend));
  try {
    // An input file may carry a placeholder at the bound input; the --prover address replaces it.
    if (bound !== undefined && inputs.length === prover.files.manifest.io!.inputs.length) {
      inputs = inputs.filter((_, i) => i !== bound.input);
    }
    console.log(`[${model!.name}] proving in WASM...`);
    const result = await prover.prove(inputs, args.prover !== "" ? args.prover : undefined);
    const outDir = args.out !== "" ? path.resolve(args.out) : modelArtifacts(hre.config.zk.artifactsDir, model!.name).proofsDir;
    await mkdir(outDir, { recursive: true });
    const stem = path.join(outDir, `${model!.name}-${Date.now()}`);
    await writeFile(`${stem}.proof.json`, result.proofJson);
    await writeFile(`${stem}.calldata`, result.calldata + "\n");
    console.log(`[${model!.name}] proof in ${(result.proveMs! / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), stem)}.proof.json (+ .calldata)`);
    if (result.boundAddress) console.log(`  bound address: ${result.boundAddress}`);
    for (const s of result.instances) {
      // A bound key is an address or hash, not a fixed-point number.
      const shown = s.felt === result.boundKey ? `0x${s.felt.toString(16)}` : `${s.value} (felt ${s.felt})`;
      console.log(`  instance [${s.index}] ${s.source} ${s.tensor}.${s.element} = ${shown}`);
    }
  } finally {
    await prover.close();
  }
}
