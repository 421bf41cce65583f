import path from "node:path";
import { writeUtf8File } from "@nomicfoundation/hardhat-utils/fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { modelArtifacts } from "@hardhat-zkml/core/artifacts.js";
import { parseAddress } from "@hardhat-zkml/core/chain-errors.js";
import { expectedProofMs, keysIdentity, recordProofTime } from "@hardhat-zkml/core/manifest.js";
import { readModelInputs } from "@hardhat-zkml/core/prover/model-inputs.js";
import { backendOverride } from "@hardhat-zkml/core/prover/backends.js";
import { ModelProver } from "@hardhat-zkml/core/prover/model-prover.js";
import { proofFixture, writeProofFixture } from "@hardhat-zkml/core/prover/proof-fixture.js";
import { withProgress } from "@hardhat-zkml/core/progress.js";
import { selectModel } from "@hardhat-zkml/core/select-models.js";

interface Args {
  model?: string;
  input?: string;
  audio?: string;
  prover?: string;
  out?: string;
  fixture?: string;
  backend?: string;
  skipGate?: boolean;
}

export default async function zkProve(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  const model = selectModel(hre.config.zk, args.model);
  const proverAddress = args.prover !== undefined ? parseAddress(args.prover, "--prover") : undefined;
  const prover = await ModelProver.open(hre.config.paths.root, hre.config.zk.artifactsDir, model, backendOverride(args.backend));
  try {
    const inputs = await readModelInputs(model, prover.files.manifest.io, {
      file: args.input,
      audio: args.audio,
      gate: args.skipGate ? false : (model.gate ?? {}),
    });
    const manifest = prover.files.manifest;
    prover.inputJson(inputs, proverAddress); // input mistakes are reported before the proof starts
    const result = await withProgress(`[${model.name}] proving (${prover.backend} backend)`, expectedProofMs(manifest), () =>
      prover.prove(inputs, proverAddress),
    );
    const paths = modelArtifacts(hre.config.zk.artifactsDir, model.name);
    await recordProofTime(paths.manifest, keysIdentity(manifest), result.proveMs!);
    const outDir = args.out !== undefined ? path.resolve(args.out) : paths.proofsDir;
    const stem = path.join(outDir, `${model.name}-${Date.now()}`);
    // The proof is ezkl's JSON text; writeUtf8File creates the folder.
    await writeUtf8File(`${stem}.proof.json`, new TextDecoder().decode(result.proofJson));
    await writeUtf8File(`${stem}.calldata`, result.calldata + "\n");
    console.log(
      `[${model.name}] proof in ${(result.proveMs! / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), stem)}.proof.json (+ .calldata)`,
    );
    if (args.fixture !== undefined) {
      const fixtureFile = path.resolve(args.fixture);
      await writeProofFixture(fixtureFile, proofFixture(model, manifest, result));
      console.log(`  Solidity test fixture -> ${path.relative(process.cwd(), fixtureFile)}`);
    }
    if (result.boundAddress) console.log(`  bound address: ${result.boundAddress}`);
    for (const s of result.instances) {
      // A bound key is an address or hash, not a fixed-point number.
      const shown = s.address ?? s.key ?? `${s.value} (felt ${s.felt})`;
      console.log(`  instance [${s.index}] ${s.source} ${s.tensor}.${s.element} = ${shown}`);
    }
  } finally {
    await prover.close();
  }
}
