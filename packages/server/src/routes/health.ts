import type { ServiceApp, ServiceDeps } from "../app.js";
import { HttpProblem } from "../problem.js";
import { problemResponses } from "../schemas.js";

/** GET /health (alive), GET /ready (models loaded, queue reachable), GET /metrics (Prometheus, admin). */
export default async function healthRoutes(app: ServiceApp, deps: ServiceDeps): Promise<void> {
  app.get(
    "/health",
    {
      schema: { tags: ["ops"], summary: "Liveness", response: { 200: { type: "object", properties: { status: { type: "string" } } } } },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["ops"],
        summary: "Readiness: the queue answers and models are served",
        response: {
          200: {
            type: "object",
            properties: {
              ready: { type: "boolean" },
              queue: { type: "string" },
              models: { type: "array", items: { type: "string" } },
              queued: { type: "integer" },
              running: { type: "integer" },
            },
          },
          503: { $ref: "Problem#" },
        },
      },
    },
    async () => {
      let depth;
      try {
        depth = await deps.queue.depth();
      } catch (e) {
        throw new HttpProblem(503, "Service Unavailable", `the job queue does not answer (${(e as Error).message})`);
      }
      return { ready: true, queue: deps.queue.kind, models: [...deps.catalog.keys()], ...depth };
    },
  );

  app.get(
    "/metrics",
    {
      config: { scope: "admin" },
      schema: {
        tags: ["ops"],
        summary: "Prometheus metrics",
        security: [{ bearer: [] }],
        produces: ["text/plain"],
        response: { 200: { type: "string" }, ...problemResponses },
      },
    },
    async (_request, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
}
