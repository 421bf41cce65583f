import path from "node:path";
import { z } from "zod";
import { ZkError } from "./errors.js";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 hex digest");
const shape = z.array(z.number().int().nullable());

const stepSchema = z
  .object({
    key: z.string(),
    outputs: z.record(sha256),
    seconds: z.number(),
    finishedAt: z.string(),
  })
  .passthrough();

const instanceSchema = z
  .object({
    index: z.number().int().min(0),
    source: z.enum(["input", "output"]),
    tensor: z.number().int().min(0),
    element: z.number().int().min(0),
    scale: z.number().int(),
  })
  .passthrough();

/** The manifest.json a build writes (see manifest.ts); unknown fields are kept at every level. */
export const manifestSchema = z
  .object({
    schema: z.number().int(),
    model: z.string(),
    toolchain: z.object({ ezkl: z.string(), engine: z.string(), solc: z.string() }),
    steps: z.record(stepSchema),
    srs: z
      .object({
        source: z.enum(["dev", "ceremony"]),
        insecure: z.boolean(),
        logrows: z.number().int(),
        file: z.string(),
        sha256,
      })
      .passthrough()
      .optional(),
    circuit: z
      .object({
        logrows: z.number().int(),
        calibratedLogrows: z.number().int(),
        numRows: z.number().int(),
        widestTableColumns: z.number().int(),
        inputScales: z.array(z.number().int()),
        outputScales: z.array(z.number().int()),
        visibility: z.object({ input: z.string(), output: z.string(), param: z.string() }),
      })
      .passthrough()
      .optional(),
    instances: z.array(instanceSchema).optional(),
    io: z
      .object({
        inputs: z.array(z.object({ name: z.string(), shape })),
        outputs: z.array(z.object({ name: z.string(), shape })),
      })
      .optional(),
    contracts: z.record(z.object({ file: z.string(), contract: z.string(), sha256, vk: sha256.optional() }).passthrough()).optional(),
    lastProof: z.object({ ms: z.number(), keys: z.string(), at: z.string() }).optional(),
    attester: z
      .object({
        decimals: z.array(z.number().int()),
        bits: z.array(z.number().int()),
        instanceOffset: z.number().int(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/**
 * Checks a parsed manifest against the schema this version writes. A hand-edited or
 * older manifest is one ZkError naming the first bad field and the rebuild command.
 */
export function parseManifest(file: string, parsed: unknown, schemaVersion: number): z.infer<typeof manifestSchema> {
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
