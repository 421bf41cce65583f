import { access, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { ZkError } from "./errors.js";
import { sha256File } from "./hash.js";
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
  source: "input" | "output";
  /** Which ONNX input/output, and the element in it (flattened). */
  tensor: number;
  element: number;
  /** Fixed-point scale in bits: value = felt / 2^scale. */
  scale: number;
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
  contracts?: Record<string, { file: string; contract: string; sha256: string }>;
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
  let parsed: Manifest;
  try {
    parsed = JSON.parse(text) as Manifest;
  } catch {
    throw new ZkError(`${file} is not valid JSON; delete it or rerun with --force`);
  }
  if (parsed.schema !== MANIFEST_SCHEMA) return undefined; // older layout: rebuild from scratch
  return parsed;
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
