import { AbiCoder } from "ethers";
import { stripBoundPlaceholder } from "@hardhat-zkml/core/bound-address.js";
import type { ServiceApp, ServiceDeps } from "../app.js";
import { clientError } from "../job-view.js";
import { HttpProblem } from "../problem.js";
import { problemResponses, proverSchema } from "../schemas.js";
import { checkInputs, normalizeProver, submitProof } from "../submit.js";

/** Infernet's InfernetInputSource: 0 = CHAIN, 1 = OFFCHAIN. */
const CHAIN = 0;
/** Infernet calls /service_output with a 180 s timeout; answer before it. */
const INFERNET_WAIT_MS = 170_000;

const hexNo0x = (h: string) => h.replace(/^0x/, "");

/**
 * POST /service_output: an Infernet container's endpoint (seed 002). Offchain data
 * `{input_data, model?, prover?}` is proved on the spot and answered with hex fields.
 */
export default async function infernetRoutes(app: ServiceApp, deps: ServiceDeps): Promise<void> {
  app.post(
    "/service_output",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["infernet"],
        summary: "Infernet service endpoint: prove offchain input data",
        security: [{ bearer: [] }],
        body: {
          type: "object",
          additionalProperties: false,
          required: ["source", "data"],
          description: "Infernet's InfernetInput: source 1 (OFFCHAIN) with WitnessInputData; source 0 (CHAIN) is answered 422",
          properties: {
            source: { type: "integer", enum: [0, 1], description: "0 = CHAIN (not supported), 1 = OFFCHAIN" },
            data: { description: "OFFCHAIN: {input_data, model?, prover?}; CHAIN: hex or an object" },
          },
          oneOf: [
            { properties: { source: { enum: [0] }, data: { anyOf: [{ type: "string", maxLength: 1_000_000 }, { type: "object" }] } } },
            {
              properties: {
                source: { enum: [1] },
                data: {
                  type: "object",
                  additionalProperties: false,
                  required: ["input_data"],
                  properties: {
                    input_data: {
                      type: "array",
                      maxItems: 16,
                      items: { type: "array", maxItems: 1_000_000, items: {} },
                      description:
                        "One array per input of the model (Model.inputs), optionally with a placeholder at the bound-address input; " +
                        "arrays that do not fit the model are answered 422",
                    },
                    input_shapes: { type: "array", description: "Accepted as the seed sends it; the model's shapes are used" },
                    output_data: { description: "Accepted as the seed sends it; the proof computes the outputs" },
                    model: { type: "string", maxLength: 100 },
                    prover: proverSchema,
                  },
                },
              },
            },
          ],
        },
        response: {
          200: {
            type: "object",
            properties: {
              processed_input: { type: ["string", "null"] },
              processed_output: { type: ["string", "null"] },
              raw_input: { type: ["string", "null"] },
              raw_output: { type: ["string", "null"] },
              proof: { type: ["string", "null"] },
            },
          },
          ...problemResponses,
          404: { $ref: "Problem#" },
          422: { $ref: "Problem#" },
          504: { $ref: "Problem#" },
        },
      },
    },
    async (request) => {
      const { source, data } = request.body;
      if (source === CHAIN)
        throw new HttpProblem(
          422,
          "Unprocessable Content",
          "chain-sourced input (source 0) is not supported; send source 1 with data {input_data: [[...]]}",
        );
      if (typeof data !== "object" || data === null || !Array.isArray((data as { input_data?: unknown }).input_data)) {
        throw new HttpProblem(
          400,
          "Bad Request",
          "offchain data must be an object with input_data: [[...], ...] (one array per model input)",
        );
      }
      const d = data as { input_data: (number | string)[][]; model?: string; prover?: string };
      const model = d.model ?? deps.options.defaultModel;
      if (model === undefined)
        throw new HttpProblem(422, "Unprocessable Content", "name the model in data.model (this server has no default model)");
      const served = deps.catalog.get(model);
      // Like ezkl's input JSON, input_data may carry a placeholder at the bound-address input.
      const inputs = served === undefined ? d.input_data : stripBoundPlaceholder(d.input_data, served.boundAddress, served.inputs.length);
      if (inputs.some((row) => row.some((v) => typeof v !== "number")))
        throw new HttpProblem(422, "Unprocessable Content", "input_data values must be numbers");
      // The document cannot say which model data.model names: input_data that does not fit it is a 422.
      if (served !== undefined) {
        try {
          checkInputs(served, { model, inputs: inputs as number[][], prover: normalizeProver(d.prover) });
        } catch (e) {
          if (e instanceof HttpProblem && e.statusCode === 400) throw new HttpProblem(422, "Unprocessable Content", e.detail);
          throw e;
        }
      }
      const { job } = await submitProof(deps, { model, inputs: inputs as number[][], prover: d.prover, keyId: request.apiKey?.id });
      const done = await deps.queue.waitUntilFinished(job.id, INFERNET_WAIT_MS);
      if (done?.status === "failed") throw new HttpProblem(422, "Unprocessable Content", `proving failed: ${clientError(done.error)}`);
      if (done?.status !== "succeeded" || done.result === undefined)
        throw new HttpProblem(504, "Gateway Timeout", `job ${job.id} did not finish in time; poll /v1/jobs/${job.id}`);
      const r = done.result;
      const abi = AbiCoder.defaultAbiCoder();
      const outputs = r.instances.filter((s) => s.source === "output").map((s) => BigInt(s.felt));
      const inputsPublic = r.instances.filter((s) => s.source === "input").map((s) => BigInt(s.felt));
      return {
        processed_input: inputsPublic.length > 0 ? hexNo0x(abi.encode(["uint256[]"], [inputsPublic])) : null,
        processed_output: hexNo0x(abi.encode(["uint256[]"], [outputs])),
        raw_input: Buffer.from(JSON.stringify(inputs)).toString("hex"),
        // The bound-address output shows as its address (or domain-bound key), the others as numbers.
        raw_output: Buffer.from(
          JSON.stringify(r.instances.filter((s) => s.source === "output").map((s) => s.address ?? s.key ?? s.value)),
        ).toString("hex"),
        proof: hexNo0x(r.verifierCalldata),
      };
    },
  );
}
