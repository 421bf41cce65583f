import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { modelArtifacts } from "../artifacts.js";
import { sha256 } from "../hash.js";
import { keysIdentity } from "../manifest.js";
import type { ModelInputs, ModelProver, ProofResult } from "./model-prover.js";

/**
 * Proves once and reuses the proof on later runs: cached under
 * artifacts-zk/<model>/proofs/cache/, keyed by the exact input and the proving key.
 * A cached proof is used only if the engine still verifies it with the current keys.
 */
export async function cachedProof(
  prover: ModelProver,
  artifactsDir: string,
  inputs: ModelInputs,
  bound?: string | bigint,
): Promise<ProofResult & { cached: boolean }> {
  const input = prover.inputJson(inputs, bound);
  const pkHash = keysIdentity(prover.files.manifest);
  const dir = path.join(modelArtifacts(artifactsDir, prover.model.name).proofsDir, "cache");
  const file = path.join(dir, `${sha256(pkHash + "\n" + input).slice(0, 32)}.proof.json`);
  const existing = await readFile(file).catch(() => undefined);
  if (existing !== undefined && prover.verify(existing)) return { ...prover.decode(existing), cached: true };
  const result = await prover.prove(inputs, bound);
  await mkdir(dir, { recursive: true });
  await writeFile(file, result.proofJson);
  return { ...result, cached: false };
}
