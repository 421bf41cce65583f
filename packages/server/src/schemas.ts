import type { ServedInput, ServedModel } from "./model-catalog.js";

/** JSON schemas shared by the routes: they validate requests, shape responses and make /openapi.json. */

export const problemSchema = {
  $id: "Problem",
  type: "object",
  description: "RFC 9457 problem details",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
  },
  required: ["type", "title", "status", "detail"],
} as const;

export const instanceSlotSchema = {
  type: "object",
  properties: {
    index: { type: "integer" },
    source: { type: "string", enum: ["input", "output", "inputHash"] },
    tensor: { type: "integer" },
    element: { type: "integer" },
    scale: { type: "integer" },
  },
} as const;

export const modelSchema = {
  $id: "Model",
  type: "object",
  properties: {
    name: { type: "string" },
    inputs: {
      type: "array",
      description:
        "The inputs a client sends, in the order of a proof request's `inputs`: every ONNX input except the bound-address one " +
        "(boundAddress.input), which the server fills from `prover`. `index` is the input's position among the ONNX inputs.",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          index: { type: "integer", description: "Position among the ONNX model's inputs (boundAddress.input counts in the same way)" },
          shape: { type: "array", items: { type: ["integer", "null"] } },
          elements: { type: "integer", description: "How many numbers to send (the shape's product)" },
          min: {
            type: "number",
            description: "Smallest value accepted: the calibration data's minimum, widened by ezkl's lookup margin (2x)",
          },
          max: {
            type: "number",
            description: "Largest value accepted: the calibration data's maximum, widened by ezkl's lookup margin (2x)",
          },
        },
      },
    },
    outputs: {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" }, shape: { type: "array", items: { type: ["integer", "null"] } } } },
    },
    instances: { type: "array", items: instanceSlotSchema },
    boundAddress: {
      type: "object",
      description: "The prover's address is ONNX input `input` (not listed in `inputs`) and comes back as ONNX output `output`",
      properties: { input: { type: "integer" }, output: { type: "integer" } },
    },
    judge: { type: "boolean" },
    logrows: { type: "integer" },
    srs: { type: "object", properties: { source: { type: "string" }, insecure: { type: "boolean" } } },
    contracts: {
      type: "array",
      items: {
        type: "object",
        properties: {
          role: { type: "string" },
          contract: { type: "string" },
          bytecodeSize: { type: "integer" },
          deployGas: { type: "string" },
        },
      },
    },
    artifactsId: { type: "string" },
    expectedRunMs: { type: "number" },
  },
} as const;

const hex = { type: "string", pattern: "^0x[0-9a-fA-F]*$" } as const;
export const addressSchema = {
  type: "string",
  pattern: "^0x[0-9a-fA-F]{40}$",
  description: "a 20-byte address, 0x + 40 hex digits",
} as const;

export const links = {
  type: "object",
  properties: { self: { type: "string" }, result: { type: "string" }, cancel: { type: "string" } },
} as const;

const dateTime = { type: "string", format: "date-time" } as const;

export const jobSchema = {
  $id: "Job",
  type: "object",
  properties: {
    id: { type: "string" },
    model: { type: "string" },
    status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "canceled"] },
    stage: { type: "string", enum: ["features", "witness", "proving", "verifying"] },
    stages: {
      type: "object",
      description: "When each stage of the last attempt began (features only for recordings)",
      properties: { features: dateTime, witness: dateTime, proving: dateTime, verifying: dateTime },
    },
    createdAt: { type: "string", format: "date-time" },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    queuedMs: { type: "integer", description: "Time spent waiting for a prover" },
    runMs: { type: "integer", description: "Time spent proving (so far, while running)" },
    expectedRunMs: { type: "integer", description: "Mean run time of this model's recent jobs" },
    queuePosition: { type: "integer" },
    attempts: { type: "integer" },
    error: { type: "string" },
    links,
  },
  required: ["id", "model", "status", "createdAt", "attempts", "links"],
} as const;

export const resultSchema = {
  $id: "ProofResult",
  type: "object",
  properties: {
    model: { type: "string" },
    proof: { type: "object", additionalProperties: true, description: "The proof JSON as ezkl writes it" },
    instances: {
      type: "array",
      items: {
        type: "object",
        properties: {
          ...instanceSlotSchema.properties,
          felt: hex,
          value: { type: ["number", "null"], description: "felt / 2^scale; null at the bound-address output" },
          address: { type: "string", description: "At the bound-address output: the address bound into the proof" },
          key: { type: "string", description: "At the bound-address output, for a domain-bound key: the key (0x hex)" },
        },
      },
    },
    verifierCalldata: hex,
    verifierArgs: { type: "object", properties: { proof: hex, instances: { type: "array", items: { type: "string" } } } },
    boundAddress: { type: "string" },
    claim: {
      type: "object",
      description: "JudgmentReward.claim (or claimAttested) arguments, for judge models",
      properties: { function: { type: "string" }, args: { type: "array", items: {} } },
    },
    judgment: { type: "object", properties: { recipient: { type: "string" }, score: { type: "number" }, scoreFelt: hex } },
    attestation: {
      type: "object",
      description: "Attested reward: the attester's EIP-712 signature over the commitment of the recording's features",
      properties: {
        commitment: hex,
        recipient: { type: "string" },
        round: { type: "string" },
        deadline: { type: "string" },
        signature: hex,
      },
    },
    features: { type: "array", items: { type: "number" }, description: "Recordings: the features computed from the audio" },
    verified: { type: "boolean" },
    proveMs: { type: "integer" },
    backend: { type: "string" },
  },
} as const;

/**
 * The address (above 0xffff: JudgmentReward refuses lower ones as RecipientNotAllowed), or a
 * domain-bound key (0x + 41 to 64 hex digits, a field element).
 */
export const proverSchema = {
  type: "string",
  pattern: "^0x((?!0{36})[0-9a-fA-F]{40}|[0-9a-fA-F]{41,64})$",
  description: "the address bound into the proof (above 0xffff), or a 0x field element of 41-64 hex digits: a domain-bound key",
} as const;

const numberIn = (input: ServedInput) => ({
  type: "number",
  ...(input.min !== undefined ? { minimum: input.min } : {}),
  ...(input.max !== undefined ? { maximum: input.max } : {}),
});
const valuesOf = (input: ServedInput) => ({
  type: "array",
  minItems: input.elements,
  maxItems: input.elements,
  items: numberIn(input),
  description: `${input.name}: ${input.elements} numbers (shape ${input.shape.join("x")}), row-major`,
});

/** One served model's proof request, exact: its input sizes and ranges, and `prover` iff it binds an address. */
export function modelProofRequestSchema(served: ServedModel, callbacks: boolean): Record<string, unknown> {
  const inputs = served.inputs;
  const properties: Record<string, unknown> = {
    inputs: {
      type: "array",
      minItems: inputs.length,
      maxItems: inputs.length,
      description: `One array per input, in order: ${inputs.map((i) => i.name).join(", ")}`,
      items: inputs.length === 1 ? valuesOf(inputs[0]!) : { anyOf: inputs.map(valuesOf) },
    },
  };
  if (inputs.length === 1) properties.features = { ...valuesOf(inputs[0]!), description: "The single input's values, row-major" };
  if (served.boundAddress !== undefined) properties.prover = proverSchema;
  if (callbacks) properties.callbackUrl = proofRequestSchema.properties.callbackUrl;
  return {
    type: "object",
    additionalProperties: false,
    required: served.boundAddress !== undefined ? ["prover"] : [],
    properties,
    oneOf: inputs.length === 1 ? [{ required: ["inputs"] }, { required: ["features"] }] : [{ required: ["inputs"] }],
  };
}

export const proofRequestSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    inputs: {
      type: "array",
      maxItems: 16,
      description: "Per model input (the bound-address input left out), its values flattened row-major",
      items: { type: "array", maxItems: 1_000_000, items: { type: "number" } },
    },
    features: {
      type: "array",
      maxItems: 1_000_000,
      items: { type: "number" },
      description: "Shorthand for a model with one input besides the address",
    },
    prover: proverSchema,
    callbackUrl: {
      type: "string",
      format: "uri",
      maxLength: 2048,
      pattern: "^https?://",
      description: "POSTed the job when it ends, signed (x-zk-signature; see callbacks)",
    },
  },
  oneOf: [{ required: ["inputs"] }, { required: ["features"] }],
} as const;

export const problemResponses = {
  400: { $ref: "Problem#" },
  401: { $ref: "Problem#" },
  403: { $ref: "Problem#" },
  429: { $ref: "Problem#" },
} as const;
