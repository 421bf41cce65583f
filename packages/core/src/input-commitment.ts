import { bn254 } from "@noble/curves/bn254";
import { clamped, loadEngine } from "./engine.js";
import { ZkError } from "./errors.js";
import type { InputCommitmentRecord } from "./manifest.js";
import { visibilityName, type EzklSettings } from "./settings.js";

/** Bytes of one uncompressed G1 point in an EVM proof: x and y, 32 bytes big-endian each. */
export const G1_POINT_BYTES = 64;

/** The engine's artifacts a KZG commitment is computed from. */
export interface CommitmentFiles {
  vk: Uint8Array;
  settings: Uint8Array;
  srs: Uint8Array;
}

/**
 * halo2's compressed G1 (x little-endian, y's parity in the top bit of the last byte) as the
 * proof carries it: x || y, big-endian.
 */
export function uncompressG1(compressedHexLe: string): Buffer {
  const bytes = Buffer.from(compressedHexLe, "hex");
  const yOdd = (bytes[31]! & 0x80) !== 0;
  bytes[31]! &= 0x3f;
  const x = BigInt("0x" + Buffer.from(bytes).reverse().toString("hex"));
  const Fp = bn254.fields.Fp;
  let y = Fp.sqrt(Fp.add(Fp.pow(x, 3n), 3n));
  if (((y & 1n) === 1n) !== yOdd) y = Fp.neg(y);
  bn254.G1.ProjectivePoint.fromAffine({ x, y }).assertValidity();
  return Buffer.from(x.toString(16).padStart(64, "0") + y.toString(16).padStart(64, "0"), "hex");
}

/** The engine's kzgCommit of felts (ezkl's JSON form): the G1 points as the proof carries them. */
export function kzgCommitFelts(files: CommitmentFiles, felts: string[]): Buffer {
  const out = loadEngine().kzgCommit(clamped(JSON.stringify(felts)), clamped(files.vk), clamped(files.settings), clamped(files.srs));
  const points = JSON.parse(new TextDecoder().decode(out)) as string[];
  return Buffer.concat(points.map(uncompressG1));
}

/** Values quantised exactly as witness generation does (f32 round trip, round(x * 2^scale)). */
export function quantise(values: number[], scale: number): string[] {
  const engine = loadEngine();
  return values.map((v) => JSON.parse(new TextDecoder().decode(engine.floatToFelt(v, scale, "f32"))) as string);
}

/**
 * Where each input's commitment sits, for the manifest. polycommit: the proof opens with the
 * commitments of the input columns, in input order; a tensor's point count is what kzgCommit
 * returns for it. hashed: one Poseidon hash per input, the first public instances.
 */
export function inputCommitmentRecord(
  settings: EzklSettings,
  inputSizes: number[],
  files: CommitmentFiles,
): InputCommitmentRecord | undefined {
  const visibility = visibilityName(settings.run_args.input_visibility);
  if (visibility === "hashed") {
    return { visibility: "hashed", tensors: inputSizes.map((_, input) => ({ input, instanceIndex: input })) };
  }
  if (visibility !== "kzgcommit" && visibility !== "polycommit") return undefined;
  let offset = 0;
  const tensors = inputSizes.map((size, input) => {
    const length = kzgCommitFelts(files, new Array<string>(size).fill("0".repeat(64))).length;
    const entry = { input, proofOffset: offset, proofLength: length };
    offset += length;
    return entry;
  });
  return { visibility: "polycommit", tensors };
}

/** The record of one input, or a ZkError saying how to get one. */
export function committedInput(model: string, record: InputCommitmentRecord | undefined, input: number) {
  const entry = record?.tensors.find((t) => t.input === input);
  if (record === undefined || entry === undefined) {
    throw new ZkError(
      `model "${model}" does not commit to its input ${input}; set zk.models.${model}.input to "polycommit" (or "hashed") and rerun \`npx hardhat zk setup --model ${model}\``,
    );
  }
  return { visibility: record.visibility, ...entry };
}
