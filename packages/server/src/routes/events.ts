import type { FastifyInstance } from "fastify";
import type { ServiceDeps } from "../app.js";
import { jobEventStream } from "../job-events.js";
import { problemResponses } from "../schemas.js";
import { findJob, jobParams } from "./jobs.js";

/** GET /v1/jobs/{id}/events: the job's changes as server-sent events (works with fetch and an Authorization header). */
export default async function eventRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  app.get<{ Params: { id: string } }>(
    "/v1/jobs/:id/events",
    {
      config: { scope: "prove", pageSession: true },
      schema: {
        tags: ["jobs"],
        summary: "The job's status and stage as server-sent events, until it finishes",
        description:
          "`event: job` with the job (as GET /v1/jobs/{id}) at once and at every change of status or stage; the stream ends after a finished status. `: heartbeat` comments every 15 s.",
        security: [{ bearer: [] }],
        params: jobParams,
        produces: ["text/event-stream"],
        response: {
          200: {
            type: "object",
            description: "One server-sent event: `event: job`, its data the job as GET /v1/jobs/{id} shows it (JSON)",
            required: ["event", "data"],
            properties: { event: { type: "string", enum: ["job"] }, data: { type: "string" } },
          },
          ...problemResponses,
          404: { $ref: "Problem#" },
        },
      },
    },
    async (request, reply) => {
      const job = await findJob(request, deps);
      const closed = new AbortController();
      reply.raw.on("close", () => closed.abort());
      return reply
        .header("content-type", "text/event-stream; charset=utf-8")
        .header("cache-control", "no-cache")
        .header("x-accel-buffering", "no")
        .send(jobEventStream(deps.queue, job, closed.signal, deps.options.jobEvents));
    },
  );
}
