import type { FromSchema } from "json-schema-to-ts";
import { attesterCalldata } from "@hardhat-zkml/core/prover/attester-calldata.js";
import type { ServiceApp, ServiceDeps } from "../app.js";
import { problemResponses, addressSchema, modelProofRequestSchema, type proofRequestSchema, proverSchema } from "../schemas.js";
import { checkInputs, normalizeProver } from "../submit.js";
import { encodeOrReject, proofObject } from "./verify.js";

const hexNo0x = (h: string) => h.replace(/^0x/, "");

/** Seed 002's hex: no 0x. */
const calldataResponse = {
  type: "object",
  properties: { calldata: { type: "string", pattern: "^([0-9a-f]{2})*$", description: "Hex-encoded calldata, no 0x (seed 002's HexStr)" } },
} as const;

/** The witness JSON as ezkl writes it. */
const witnessResponse = {
  type: "object",
  additionalProperties: true,
  description: "The witness JSON as ezkl writes it",
  properties: {
    inputs: { type: "array", items: { type: "array", items: { type: "string" } } },
    outputs: { type: "array", items: { type: "array", items: { type: "string" } } },
    processed_inputs: { nullable: true },
    processed_params: { nullable: true },
    processed_outputs: { nullable: true },
    max_lookup_inputs: { type: "integer" },
    min_lookup_inputs: { type: "integer" },
  },
} as const;

/**
 * Seed 002's helper endpoints, with its bodies: POST /get_verifier_calldata (the proof
 * JSON), /get_data_attester_calldata (the proof JSON and verifier_address) and
 * /generate_witness (WitnessInputData `{input_data}` for the default model).
 */
export default async function seedHelperRoutes(app: ServiceApp, deps: ServiceDeps): Promise<void> {
  const common = { config: { scope: "prove" as const } };
  app.post(
    "/get_verifier_calldata",
    {
      ...common,
      schema: {
        tags: ["infernet"],
        summary: "Seed 002: verifyProof calldata for a proof JSON (the body is the proof as ezkl writes it)",
        security: [{ bearer: [] }],
        body: proofObject,
        response: { 200: calldataResponse, ...problemResponses, 422: { $ref: "Problem#" } },
      },
    },
    async (request) => ({ calldata: hexNo0x(encodeOrReject(request.body)) }),
  );

  app.post(
    "/get_data_attester_calldata",
    {
      ...common,
      schema: {
        tags: ["infernet"],
        summary: "Seed 002: verifyWithDataAttestation calldata for a proof JSON and the verifier's address",
        security: [{ bearer: [] }],
        body: {
          ...proofObject,
          required: [...proofObject.required, "verifier_address"],
          properties: { ...proofObject.properties, verifier_address: addressSchema },
        },
        response: { 200: calldataResponse, ...problemResponses, 422: { $ref: "Problem#" } },
      },
    },
    async (request) => {
      const { verifier_address: verifier, ...proof } = request.body;
      return { calldata: hexNo0x(attesterCalldata(verifier.toLowerCase(), encodeOrReject(proof))) };
    },
  );

  const model = deps.options.defaultModel === undefined ? undefined : deps.catalog.get(deps.options.defaultModel);
  const witness = deps.generateWitness;
  if (model === undefined || witness === undefined) return;
  // The default model's exact input schema, under seed 002's field name; typed as any
  // request's inputs (arrays of numbers), which the exact schema narrows at run time.
  const request = modelProofRequestSchema(model, false) as { properties: { inputs: typeof proofRequestSchema.properties.inputs } };
  app.post(
    "/generate_witness",
    {
      ...common,
      schema: {
        tags: ["infernet"],
        summary: `Seed 002: the witness of the default model (${model.name}) for WitnessInputData {input_data}`,
        description:
          "input_data holds the inputs a client sends (Model.inputs, without the bound-address input). " +
          "For a model that binds an address, prover fills that input (default 0). output_data is accepted and ignored: the witness computes the outputs.",
        security: [{ bearer: [] }],
        body: {
          type: "object",
          additionalProperties: false,
          required: ["input_data"],
          properties: {
            input_data: request.properties.inputs,
            output_data: { description: "Ignored (the witness computes the outputs)" },
            ...(model.boundAddress !== undefined ? { prover: proverSchema } : {}),
          },
        },
        response: {
          200: witnessResponse,
          ...problemResponses,
          422: { $ref: "Problem#" },
        },
      },
    },
    async (request) => {
      // `prover` is in the schema only for a model that binds an address.
      const given = "prover" in request.body && typeof request.body.prover === "string" ? request.body.prover : undefined;
      const prover = normalizeProver(given);
      const inputs = checkInputs(model, { model: model.name, inputs: request.body.input_data, prover: prover ?? ZERO_KEY })!;
      const bytes = await witness(model.name, inputs, prover);
      return JSON.parse(new TextDecoder().decode(bytes)) as FromSchema<typeof witnessResponse>;
    },
  );
}

/** checkInputs asks a bound model for a prover; the witness of no one's address uses key 0. */
const ZERO_KEY = "0x" + "0".repeat(41);
