import path from "node:path";
import { z } from "zod";
import { ZkError } from "./errors.js";

/**
 * The manifest.json a build writes: this schema is its only definition. The types below
 * are inferred from it, so what setup writes is what the next read accepts. Unknown
 * fields are kept at every level (a newer build's extra fields survive an older reader).
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 hex digest");
const shape = z.array(z.number().int().nullable());
const int = z.number().int();

const stepSchema = z
  .object({
    /** Hash of everything the step read (input hashes and options). */
    key: z.string(),
    /** Output file (relative to the project root) -> sha256. */
    outputs: z.record(sha256),
    seconds: z.number(),
    finishedAt: z.string(),
  })
  .passthrough();

/** One public instance of the proof: what it is and how to read it. */
const instanceSchema = z
  .object({
    index: int.min(0),
    /** "inputHash": the Poseidon hash of input `tensor` (hashed input visibility). */
    source: z.enum(["input", "output", "inputHash"]),
    /** Which ONNX input/output, and the element in it (flattened). */
    tensor: int.min(0),
    element: int.min(0),
    /** Fixed-point scale in bits: value = felt / 2^scale. */
    scale: int,
  })
  .passthrough();

const decompositionSchema = z.object({ decompBase: int, decompLegs: int });

const costEstimateSchema = z.object({ logrows: int, blocks: int, tableColumns: int, columns: int, cost: z.number() });

/** One layout the sizing search measured, with its estimated cost (or why it was dropped). */
const sizingCandidateSchema = decompositionSchema
  .extend({
    numInnerCols: int,
    numRows: int.optional(),
    estimate: costEstimateSchema.optional(),
    rejected: z.string().optional(),
  })
  .passthrough();

/** One scale the error-budget scan calibrated: its error, and its cost before the decomposition. */
const scaleProbeSchema = z
  .object({
    input: int,
    param: int,
    maxAbsError: z.number().optional(),
    logrows: int.optional(),
    estimatedCost: z.number().optional(),
    rejected: z.string().optional(),
  })
  .passthrough();

/** How the circuit was sized: the choice, the candidates tried and their estimated cost. */
const sizingSchema = z
  .object({
    mode: z.enum(["auto", "ezkl"]),
    chosen: decompositionSchema
      .extend({ numInnerCols: int, logrows: int, numRows: int, estimatedCost: z.number().optional() })
      .passthrough(),
    /** ezkl's own calibration (its default decomposition unless set), made to fit the engine rule. */
    ezkl: decompositionSchema
      .extend({ logrows: int, numRows: int, estimatedCost: z.number(), maxAbsError: z.number() })
      .passthrough()
      .optional(),
    /** Max abs error of the outputs against onnxruntime on the calibration data. */
    maxAbsError: z.number().optional(),
    scales: z.object({ input: int, param: int, rebase: z.number() }).passthrough(),
    /** maxError: the budget and each scale the search calibrated below ezkl's, with its error. */
    budget: z
      .object({
        maxError: z.number(),
        scan: z.array(scaleProbeSchema),
      })
      .passthrough()
      .optional(),
    /** Largest decomposed value on the calibration data is below 2^decompBits; the range covers 2^(decompBits + marginBits). */
    decompBits: int.optional(),
    marginBits: int,
    candidates: z.array(sizingCandidateSchema),
    /** Calibration attempts before one succeeded (decomposition legs raised on failure). */
    attempts: z.array(z.string()),
    reason: z.string(),
  })
  .passthrough();

/**
 * polycommit: input `input`'s KZG commitment is proof bytes [proofOffset, proofOffset +
 * proofLength), uncompressed G1 points (x || y, big-endian). hashed: its Poseidon hash is
 * public instance `instanceIndex`.
 */
const inputCommitmentSchema = z
  .object({
    visibility: z.enum(["polycommit", "hashed"]),
    tensors: z.array(
      z
        .object({ input: int.min(0), proofOffset: int.optional(), proofLength: int.optional(), instanceIndex: int.optional() })
        .passthrough(),
    ),
  })
  .passthrough();

export const manifestSchema = z
  .object({
    schema: int,
    model: z.string(),
    toolchain: z.object({ ezkl: z.string(), engine: z.string(), solc: z.string() }).passthrough(),
    steps: z.record(stepSchema),
    srs: z
      .object({
        source: z.enum(["dev", "ceremony"]),
        insecure: z.boolean(),
        logrows: int,
        file: z.string(),
        sha256,
        /** Ceremony SRS: the configured file it was copied from (relative to the project root). */
        origin: z.string().optional(),
      })
      .passthrough()
      .optional(),
    circuit: z
      .object({
        logrows: int,
        calibratedLogrows: int,
        numRows: int,
        /** ezkl's num_inner_cols: advice columns per block (rows spread over blocks when they exceed 2^logrows). */
        numInnerCols: int.optional(),
        widestTableColumns: int,
        inputScales: z.array(int),
        outputScales: z.array(int),
        visibility: z.object({ input: z.string(), output: z.string(), param: z.string() }).passthrough(),
      })
      .passthrough()
      .optional(),
    instances: z.array(instanceSchema).optional(),
    sizing: sizingSchema.optional(),
    /**
     * Where the prover's address enters and leaves the built graph. `rewritten`
     * (boundAddress: true): the graph is a copy of the user's file (hashes in `from`) with
     * the key added, kept at `onnx`.
     */
    boundAddress: z
      .object({
        input: int.min(0),
        output: int.min(0),
        rewritten: z
          .object({ from: z.object({ onnx: sha256, calibrationData: sha256 }), onnx: z.string(), sha256 })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    /** The ONNX model's inputs and outputs (names, shapes), checked before every proof. */
    io: z
      .object({
        inputs: z.array(z.object({ name: z.string(), shape })),
        outputs: z.array(z.object({ name: z.string(), shape })),
      })
      .optional(),
    /** Generated contracts by role; `vk` is the verifying key's hash they were generated from (absent in older manifests). */
    contracts: z.record(z.object({ file: z.string(), contract: z.string(), sha256, vk: sha256.optional() }).passthrough()).optional(),
    /** The last proof made with these keys (optional; older manifests lack it): the expected time of the next. */
    lastProof: z.object({ ms: z.number(), keys: z.string(), at: z.string() }).passthrough().optional(),
    /** Where the commitment to each private input sits (polycommit or hashed input visibility). */
    inputCommitment: inputCommitmentSchema.optional(),
    /** Data attester constructor parameters (besides the data source). */
    attester: z
      .object({
        decimals: z.array(int),
        bits: z.array(int),
        instanceOffset: int,
      })
      .optional(),
  })
  .passthrough();

export type Manifest = z.infer<typeof manifestSchema>;
export type StepRecord = z.infer<typeof stepSchema>;
export type InstanceSlot = z.infer<typeof instanceSchema>;
export type InputCommitmentRecord = z.infer<typeof inputCommitmentSchema>;
export type SizingRecord = z.infer<typeof sizingSchema>;
export type SizingCandidate = z.infer<typeof sizingCandidateSchema>;
export type ScaleProbe = z.infer<typeof scaleProbeSchema>;

/**
 * Checks a parsed manifest against the schema this version writes. A hand-edited or
 * older manifest is one ZkError naming the first bad field and the rebuild command.
 */
export function parseManifest(file: string, parsed: unknown, schemaVersion: number): Manifest {
  const model = path.basename(path.dirname(file));
  const rebuild = `rebuild it with \`npx hardhat zk setup --model ${model} --force\``;
  const version = (parsed as { schema?: unknown } | null)?.schema;
  if (typeof version === "number" && version !== schemaVersion) {
    throw new ZkError(`${file} has manifest schema ${version} but this hardhat-zkml reads schema ${schemaVersion}; ${rebuild}`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    throw new ZkError(`${file} is not a valid hardhat-zkml manifest (${where}: ${issue.message}); ${rebuild}`);
  }
  return result.data;
}
