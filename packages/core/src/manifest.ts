import { access, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "./errors.js";
import { sha256File } from "./hash.js";
import { parseManifest, type Manifest, type StepRecord } from "./manifest-schema.js";

export const MANIFEST_SCHEMA = 1;

export type { InputCommitmentRecord, InstanceSlot, Manifest, StepRecord } from "./manifest-schema.js";

export function emptyManifest(model: string, toolchain: Manifest["toolchain"]): Manifest {
  return { schema: MANIFEST_SCHEMA, model, toolchain, steps: {} };
}

export async function readManifest(file: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ZkError(`${file} is not valid JSON; delete it or rerun with --force`);
  }
  return parseManifest(file, parsed, MANIFEST_SCHEMA);
}

/** Written atomically so an interrupted build never leaves a half manifest. */
export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await rename(tmp, file);
}

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that each recorded output still has the hash the manifest holds.
 * Throws a ZkError naming the first stale file.
 */
export async function assertOutputsMatch(root: string, record: StepRecord, step: string): Promise<void> {
  for (const [rel, want] of Object.entries(record.outputs)) {
    const file = path.join(root, rel);
    if (!(await exists(file))) {
      throw new ZkError(`${rel} is missing (built by step "${step}"); run \`npx hardhat zk setup\` to rebuild it`);
    }
    const got = await sha256File(file);
    if (got !== want) {
      throw new ZkError(
        `${rel} does not match the hash in its manifest (changed since step "${step}" built it); rebuild with \`npx hardhat zk setup --force\``,
      );
    }
  }
}

/** The sha256 of each key file the "keys" step recorded (none before `zk setup` made keys). */
export function keyHashes(manifest: Manifest): string[] {
  return Object.values(manifest.steps.keys?.outputs ?? {});
}

/** The proving keys' identity in a manifest (their recorded hashes), to tie records to one key set. */
export function keysIdentity(manifest: Manifest): string {
  return keyHashes(manifest).join(":");
}

/** The previous proof time with the same keys, if any: what the next proof is expected to take. */
export function expectedProofMs(manifest: Manifest): number | undefined {
  const last = manifest.lastProof;
  return last !== undefined && last.keys === keysIdentity(manifest) ? last.ms : undefined;
}

/**
 * Records how long a proof took, re-reading the manifest so a concurrent build is not
 * overwritten; skipped if the keys changed meanwhile.
 */
export async function recordProofTime(file: string, keys: string, ms: number): Promise<void> {
  const manifest = await readManifest(file);
  if (manifest === undefined || keysIdentity(manifest) !== keys) return;
  manifest.lastProof = { ms: Math.round(ms), keys, at: new Date().toISOString() };
  await writeManifest(file, manifest);
}
