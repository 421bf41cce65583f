import { attesterCalldata } from "@hardhat-zkml/core/prover/attester-calldata.js";
import { engineCalldata } from "@hardhat-zkml/core/prover/engine-ops.js";
import type { ServiceApp, ServiceDeps } from "../app.js";
import { HttpProblem } from "../problem.js";
import { addressSchema, problemResponses } from "../schemas.js";
import { servedModel } from "../submit.js";

export const proofObject = {
  type: "object",
  additionalProperties: true,
  required: ["instances", "proof", "hex_proof", "transcript_type"],
  description: "A proof JSON as ezkl writes it (or as /result returns it)",
  properties: {
    instances: {
      type: "array",
      maxItems: 64,
      items: { type: "array", maxItems: 4096, items: { type: "string", pattern: "^[0-9a-f]{64}$" } },
    },
    proof: { type: "array", maxItems: 1_000_000, items: { type: "integer", minimum: 0, maximum: 255 } },
    hex_proof: { type: "string", pattern: "^0x([0-9a-fA-F]{2})*$" },
    transcript_type: { type: "string", enum: ["EVM", "Poseidon"] },
  },
} as const;
const calldataResponse = { type: "object", properties: { calldata: { type: "string" } } } as const;

export function proofBytes(proof: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(proof));
}

/** The engine throws on malformed proofs; that is the client's mistake, not the server's. */
export function encodeOrReject(proof: unknown, vkAddress?: string): string {
  try {
    return "0x" + Buffer.from(engineCalldata(proofBytes(proof), vkAddress)).toString("hex");
  } catch (e) {
    throw new HttpProblem(
      422,
      "Unprocessable Content",
      `not an ezkl proof the engine can encode (${String((e as Error).message ?? e).slice(0, 200)})`,
    );
  }
}

/** POST /v1/verify, /v1/calldata/verifier, /v1/calldata/attester (seed 002's helpers). */
export default async function verifyRoutes(app: ServiceApp, deps: ServiceDeps): Promise<void> {
  app.post(
    "/v1/verify",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["verify"],
        summary: "Verify a proof off-chain against a served model's key",
        security: [{ bearer: [] }],
        body: {
          type: "object",
          required: ["model", "proof"],
          properties: { model: { type: "string", maxLength: 100 }, proof: proofObject },
        },
        response: { 200: { type: "object", properties: { valid: { type: "boolean" } } }, ...problemResponses, 404: { $ref: "Problem#" } },
      },
    },
    async (request) => {
      const served = servedModel(deps.catalog, request.body.model);
      return { valid: await deps.verifyProof(served.name, proofBytes(request.body.proof)) };
    },
  );

  app.post(
    "/v1/calldata/verifier",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["verify"],
        summary: "verifyProof calldata for a proof (reusable verifiers: give the VK artifact's address)",
        security: [{ bearer: [] }],
        body: { type: "object", required: ["proof"], properties: { proof: proofObject, vkAddress: addressSchema } },
        response: { 200: calldataResponse, ...problemResponses, 422: { $ref: "Problem#" } },
      },
    },
    async (request) => ({ calldata: encodeOrReject(request.body.proof, request.body.vkAddress) }),
  );

  app.post(
    "/v1/calldata/attester",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["verify"],
        summary: "verifyWithDataAttestation calldata for the data attester",
        security: [{ bearer: [] }],
        body: {
          type: "object",
          required: ["proof", "verifier"],
          properties: { proof: proofObject, verifier: addressSchema, vkAddress: addressSchema },
        },
        response: { 200: calldataResponse, ...problemResponses, 422: { $ref: "Problem#" } },
      },
    },
    async (request) => ({
      calldata: attesterCalldata(request.body.verifier.toLowerCase(), encodeOrReject(request.body.proof, request.body.vkAddress)),
    }),
  );
}
