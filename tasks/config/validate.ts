import { validateUserConfigZodType } from "@nomicfoundation/hardhat-zod-utils";
import { z } from "zod";
import type { HardhatUserConfigValidationError } from "hardhat/types/hooks";
import { DEFAULT_GATE_OPTIONS } from "@hardhat-zkml/audio/gate.js";
import { PROVER_BACKENDS } from "@hardhat-zkml/core/prover/backends.js";

const visibility = z.enum(["public", "private", "fixed", "hashed", "polycommit"]);
const scale = z.number().int().min(0).max(30);
/** Every threshold of the recording gate, each optional (README "The recording gate"). */
const gateShape = Object.fromEntries(Object.keys(DEFAULT_GATE_OPTIONS).map((k) => [k, z.number().finite().optional()]));

const modelSchema = z
  .object({
    onnx: z.string().min(1, "must be the path of the model's ONNX file"),
    calibrationData: z.string().min(1).optional(),
    input: visibility.optional(),
    output: visibility.optional(),
    param: visibility.optional(),
    inputScale: scale.optional(),
    paramScale: scale.optional(),
    calibrationTarget: z.enum(["resources", "accuracy"]).optional(),
    maxLogrows: z.number().int().min(6).max(26).optional(),
    srs: z
      .union([z.literal("dev"), z.object({ path: z.string().min(1) }).strict()], {
        errorMap: () => ({ message: 'must be "dev" or { path: "<ceremony SRS file>" }' }),
      })
      .optional(),
    verifier: z.enum(["single", "reusable"]).optional(),
    ignoreRangeCheckInputsOutputs: z.boolean().optional(),
    decompBase: z.number().int().min(2).optional(),
    decompLegs: z.number().int().min(1).optional(),
    sizing: z.enum(["auto", "ezkl"]).optional(),
    maxError: z.number().finite().positive("must be a positive number (max abs error of the outputs)").optional(),
    attest: z
      .object({
        source: z.enum(["input", "output"]),
        decimals: z.array(z.number().int().min(0).max(77)).min(1),
      })
      .strict()
      .optional(),
    boundAddress: z
      .union([z.literal(true), z.object({ input: z.number().int().min(0), output: z.number().int().min(0) }).strict()], {
        errorMap: () => ({ message: "must be true (the build adds the key) or { input, output } (the model already carries it)" }),
      })
      .optional(),
    score: z
      .object({ output: z.number().int().min(0), element: z.number().int().min(0).optional() })
      .strict("must be { output, element }: the score's output of the model and its element")
      .optional(),
    prover: z
      .object({
        backend: z.enum(PROVER_BACKENDS).optional(),
        threads: z.number().int().min(1).max(256).optional(),
        workers: z.number().int().min(1).max(256).optional(),
        recycleAfter: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    gate: z
      .union([
        z.literal(false),
        z.object(gateShape).strict(`must be false or an object of gate thresholds (${Object.keys(gateShape).join(", ")})`),
      ])
      .optional(),
  })
  .strict()
  .refine(
    (m) =>
      m.boundAddress === undefined ||
      m.ignoreRangeCheckInputsOutputs === true ||
      (m.boundAddress === true && m.ignoreRangeCheckInputsOutputs === undefined),
    {
      message: "boundAddress needs ignoreRangeCheckInputsOutputs: true (a 160-bit address fails the default input range check)",
      path: ["ignoreRangeCheckInputsOutputs"],
    },
  )
  .refine((m) => m.maxError === undefined || (m.inputScale === undefined && m.paramScale === undefined), {
    message: "maxError lets the sizing search choose the scales; remove inputScale/paramScale or maxError",
    path: ["maxError"],
  })
  .refine((m) => m.maxError === undefined || m.sizing !== "ezkl", {
    message: 'maxError needs sizing "auto" (sizing "ezkl" keeps ezkl\'s calibration as it is); remove sizing or maxError',
    path: ["maxError"],
  });

const zkSchema = z
  .object({
    models: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "model names start with a letter"), modelSchema).optional(),
    artifactsDir: z.string().min(1).optional(),
    generatedContractsDir: z.string().min(1).optional(),
    python: z.string().min(1, "must be the path of a Python interpreter with ezkl 21.0.3").optional(),
  })
  .strict();

/** Validates `zk` in the user config (Hardhat's zod helper); each error names the model and the field. */
export function validateZkUserConfig(zk: unknown): HardhatUserConfigValidationError[] {
  if (zk === undefined) return [];
  return validateUserConfigZodType({ zk }, z.object({ zk: zkSchema })).map(({ path, message }) => {
    const model = path[1] === "models" && path.length > 2 ? `model "${String(path[2])}": ` : "";
    return { path, message: `${model}${path.join(".")}: ${message}` };
  });
}
