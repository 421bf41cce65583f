import { access, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "./errors.js";
import { sha256File } from "./hash.js";
import { parseManifest } from "./manifest-schema.js";
import type { SizingRecord } from "./pipeline/sizing/search.js";

export const MANIFEST_SCHEMA = 1;

export interface StepRecord {
  /** Hash of everything the step read (input hashes and options). */
  key: string;
  /** Output file (relative to the project root) -> sha256. */
  outputs: Record<string, string>;
  seconds: number;
  finishedAt: string;
}

/** One public instance of the proof: what it is and how to read it. */
export interface InstanceSlot {
  index: number;
  /** "inputHash": the Poseidon hash of input `tensor` (hashed input visibility). */
  source: "input" | "output" | "inputHash";
  /** Which ONNX input/output, and the element in it (flattened). */
  tensor: number;
  element: number;
  /** Fixed-point scale in bits: value = felt / 2^scale. */
  scale: number;
}

/**
 * polycommit: input `input`'s KZG commitment is proof bytes [proofOffset, proofOffset +
 * proofLength), uncompressed G1 points (x || y, big-endian). hashed: its Poseidon hash is
 * public instance `instanceIndex`.
 */
export interface InputCommitmentRecord {
  visibility: "polycommit" | "hashed";
  tensors: { input: number; proofOffset?: number; proofLength?: number; instanceIndex?: number }[];
}

export interface Manifest {
  schema: number;
  model: string;
  toolchain: { ezkl: string; engine: string; solc: string };
  steps: Record<string, StepRecord>;
  srs?: { source: "dev" | "ceremony"; insecure: boolean; logrows: number; file: string; sha256: string };
  circuit?: {
    logrows: number;
    calibratedLogrows: number;
    numRows: number;
    /** ezkl's num_inner_cols: advice columns per block (rows spread over blocks when they exceed 2^logrows). */
    numInnerCols?: number;
    widestTableColumns: number;
    inputScales: number[];
    outputScales: number[];
    visibility: { input: string; output: string; param: string };
  };
  instances?: InstanceSlot[];
  /** How the circuit was sized: the choice, the candidates tried and their estimated cost. */
  sizing?: SizingRecord;
  /** The ONNX model's inputs and outputs (names, shapes), checked before every proof. */
  io?: { inputs: { name: string; shape: (number | null)[] }[]; outputs: { name: string; shape: (number | null)[] }[] };
  /** Generated contracts by role; `vk` is the verifying key's hash they were generated from (absent in older manifests). */
  contracts?: Record<string, { file: string; contract: string; sha256: string; vk?: string }>;
  /** The last proof made with these keys (optional; older manifests lack it): the expected time of the next. */
  lastProof?: { ms: number; keys: string; at: string };
  /** Where the commitment to each private input sits (polycommit or hashed input visibility). */
  inputCommitment?: InputCommitmentRecord;
  /** Data attester constructor parameters (besides the data source). */
  attester?: { decimals: number[]; bits: number[]; instanceOffset: number };
}

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
  return parseManifest(file, parsed, MANIFEST_SCHEMA) as Manifest;
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

/** The proving keys' identity in a manifest (their recorded hashes), to tie records to one key set. */
export function keysIdentity(manifest: Manifest): string {
  return Object.values(manifest.steps.keys?.outputs ?? {}).join(":");
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
