import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServiceDeps } from "../app.js";
import { mayAccess } from "../auth.js";
import type { JobRecord } from "../job-types.js";
import { clientError, jobView } from "../job-view.js";
import { HttpProblem } from "../problem.js";
import { problemResponses } from "../schemas.js";

const params = { type: "object", properties: { id: { type: "string", maxLength: 100 } }, required: ["id"] } as const;

/**
 * The job a request names, if the caller may see it: another key's job answers as missing
 * (ids are not a way to probe other users' work); a page session is told it is not its own.
 */
export async function findJob(request: FastifyRequest<{ Params: { id: string } }>, deps: ServiceDeps): Promise<JobRecord> {
  const job = await deps.queue.get(request.params.id);
  if (job !== undefined && request.pageSession !== undefined && !mayAccess(request, job.request.keyId))
    throw new HttpProblem(403, "Forbidden", `job ${job.id} was not created by this page session`);
  if (job === undefined || !mayAccess(request, job.request.keyId)) {
    throw new HttpProblem(
      404,
      "Not Found",
      `no job ${request.params.id} (finished jobs are deleted after ${deps.options.retentionSeconds} s)`,
    );
  }
  return job;
}

/** The path parameter of the job routes. */
export const jobParams = params;

/** GET /v1/jobs/{id}, GET /v1/jobs/{id}/result, DELETE /v1/jobs/{id}. */
export default async function jobRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  const find = (request: FastifyRequest<{ Params: { id: string } }>) => findJob(request, deps);
  const common = { config: { scope: "prove" as const, pageSession: true } };
  const responses = { ...problemResponses, 404: { $ref: "Problem#" }, 409: { $ref: "Problem#" } };

  app.get<{ Params: { id: string } }>(
    "/v1/jobs/:id",
    {
      ...common,
      schema: {
        tags: ["jobs"],
        summary: "A job's status, stage, timestamps and expected time",
        security: [{ bearer: [] }],
        params,
        response: { 200: { $ref: "Job#" }, ...responses },
      },
    },
    async (request) => jobView(await find(request), deps.queue),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/jobs/:id/result",
    {
      ...common,
      schema: {
        tags: ["jobs"],
        summary: "The proof, decoded instances, verifier calldata and claim arguments",
        security: [{ bearer: [] }],
        params,
        response: { 200: { $ref: "ProofResult#" }, ...responses },
      },
    },
    async (request) => {
      const job = await find(request);
      if (job.status === "succeeded" && job.result !== undefined) return job.result;
      const why = job.status === "failed" ? `the job failed: ${clientError(job.error)}` : `the job is ${job.status}`;
      throw new HttpProblem(409, "Conflict", `no result: ${why}`);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/jobs/:id",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["jobs"],
        summary: "Cancel a queued job",
        security: [{ bearer: [] }],
        params,
        response: { 200: { $ref: "Job#" }, ...responses },
      },
    },
    async (request) => {
      await find(request);
      const job = (await deps.queue.cancel(request.params.id))!;
      if (job.status !== "canceled")
        throw new HttpProblem(409, "Conflict", `job ${job.id} is ${job.status}; only a queued job can be canceled`);
      return jobView(job, deps.queue);
    },
  );
}
