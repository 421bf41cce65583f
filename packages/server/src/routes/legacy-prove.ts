import type { ServiceApp, ServiceDeps } from "../app.js";
import { clientError } from "../job-view.js";
import { HttpProblem } from "../problem.js";
import { problemResponses } from "../schemas.js";
import { submitProof } from "../submit.js";
import { audioSubmission, multipartBody } from "./proofs.js";

/** Seed 000's proof wait: its Celery call blocks until the proof is there. */
const LEGACY_WAIT_MS = 300_000;

/**
 * POST /prove: seed 000's form (`address`, `audio`) on the default judge model,
 * answered as that backend did: {status: "ok", res: {output_data: score, proof}}.
 */
export default async function legacyProveRoutes(app: ServiceApp, deps: ServiceDeps): Promise<void> {
  app.post(
    "/prove",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["proofs"],
        summary: "Seed-compatible form: address + audio -> score and proof (blocking)",
        security: [{ bearer: [] }],
        consumes: ["multipart/form-data"],
        body: multipartBody,
        response: {
          200: {
            type: "object",
            properties: {
              status: { type: "string" },
              job: { type: "string" },
              res: {
                type: "object",
                properties: {
                  output_data: { type: "number" },
                  score: { type: "number" },
                  proof: { type: "string" },
                  calldata: { type: "string" },
                  instances: { type: "array", items: { type: "string" } },
                  claim: { type: "object", properties: { function: { type: "string" }, args: { type: "array", items: {} } } },
                  attestation: {
                    type: "object",
                    additionalProperties: { type: "string" },
                    description: "With an attested reward (--reward): the attester's signature",
                  },
                },
              },
            },
          },
          ...problemResponses,
          404: { $ref: "Problem#" },
          415: { $ref: "Problem#" },
          422: { $ref: "Problem#" },
          504: { $ref: "Problem#" },
        },
      },
    },
    async (request) => {
      const model = deps.options.defaultModel;
      if (model === undefined || !deps.catalog.get(model)?.judge)
        throw new HttpProblem(404, "Not Found", "this server has no default judge model (--default-model)");
      const b = request.body ?? {};
      const sub = await audioSubmission(
        deps,
        model,
        typeof b.address === "string" ? b.address : undefined,
        Buffer.isBuffer(b.audio) ? b.audio : undefined,
      );
      const { job } = await submitProof(deps, { ...sub, keyId: request.apiKey?.id });
      const done = await deps.queue.waitUntilFinished(job.id, LEGACY_WAIT_MS);
      if (done?.status === "failed") throw new HttpProblem(422, "Unprocessable Content", `proving failed: ${clientError(done.error)}`);
      if (done?.status !== "succeeded" || done.result?.judgment === undefined)
        throw new HttpProblem(504, "Gateway Timeout", `job ${job.id} did not finish in time; poll /v1/jobs/${job.id}`);
      const r = done.result;
      return {
        status: "ok",
        job: job.id,
        res: {
          output_data: Number(BigInt(r.judgment!.scoreFelt)),
          score: r.judgment!.score,
          proof: r.verifierArgs.proof,
          calldata: r.verifierCalldata,
          instances: r.verifierArgs.instances,
          claim: r.claim,
          attestation: r.attestation,
        },
      };
    },
  );
}
