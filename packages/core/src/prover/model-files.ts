import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ModelArtifacts } from "../artifacts.js";
import { ZkError } from "../errors.js";
import { sha256 } from "../hash.js";
import { readManifest, type Manifest } from "../manifest.js";

/** The artifacts the WASM engine needs to prove and verify one model, as bytes. */
export interface ModelFiles {
  model: string;
  manifest: Manifest;
  compiled: Uint8Array;
  pk: Uint8Array;
  vk: Uint8Array;
  settings: Uint8Array;
  srs: Uint8Array;
  /** Where the proving files are on disk (the native backend reads them there). */
  paths?: { compiled: string; pk: string; srs: string };
}

/**
 * Reads a model's artifacts once and checks each against its manifest hash, so a
 * proof is never made from a stale or swapped key. Errors name the file and the fix.
 */
export async function loadModelFiles(root: string, model: string, paths: ModelArtifacts): Promise<ModelFiles> {
  const manifest = await readManifest(paths.manifest);
  const fix = `run \`npx hardhat zk setup --model ${model}\``;
  if (manifest === undefined) throw new ZkError(`model "${model}" has no build (${path.relative(root, paths.manifest)} missing); ${fix}`);
  const recorded = new Map<string, string>();
  for (const step of Object.values(manifest.steps)) for (const [rel, h] of Object.entries(step.outputs)) recorded.set(rel, h);

  const read = async (file: string): Promise<Uint8Array> => {
    const rel = path.relative(root, file);
    const want = recorded.get(rel);
    if (want === undefined) throw new ZkError(`model "${model}": ${rel} is not in its manifest; ${fix}`);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new ZkError(`model "${model}": ${rel} is missing; ${fix}`);
    }
    if (sha256(bytes) !== want) {
      throw new ZkError(`model "${model}": ${rel} does not match its manifest hash (stale or modified); ${fix} --force`);
    }
    return bytes;
  };
  const [compiled, pk, vk, settings, srs] = await Promise.all([
    read(paths.compiled),
    read(paths.pk),
    read(paths.vk),
    read(paths.settings),
    read(paths.srs),
  ]);
  return { model, manifest, compiled, pk, vk, settings, srs, paths: { compiled: paths.compiled, pk: paths.pk, srs: paths.srs } };
}
