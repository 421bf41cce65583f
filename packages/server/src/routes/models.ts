import type { FastifyInstance } from "fastify";
import type { ServiceDeps } from "../app.js";
import { servedModel } from "../submit.js";
import { problemResponses } from "../schemas.js";

/** GET /v1/models, GET /v1/models/{model}: shapes, instance layout, verifier size and gas, SRS kind. */
export default async function modelRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  const withTiming = async (name: string) => {
    const expected = await deps.queue.expectedRunMs(name);
    return { ...servedModel(deps.catalog, name), expectedRunMs: expected };
  };
  app.get(
    "/v1/models",
    {
      config: { scope: "prove", pageSession: true },
      schema: {
        tags: ["models"],
        summary: "Served models",
        security: [{ bearer: [] }],
        response: { 200: { type: "object", properties: { models: { type: "array", items: { $ref: "Model#" } } } }, ...problemResponses },
      },
    },
    async () => ({ models: await Promise.all([...deps.catalog.keys()].map(withTiming)) }),
  );

  app.get<{ Params: { model: string } }>(
    "/v1/models/:model",
    {
      config: { scope: "prove", pageSession: true },
      schema: {
        tags: ["models"],
        summary: "One served model",
        security: [{ bearer: [] }],
        params: { type: "object", properties: { model: { type: "string", maxLength: 100 } }, required: ["model"] },
        response: { 200: { $ref: "Model#" }, ...problemResponses, 404: { $ref: "Problem#" } },
      },
    },
    async (request) => withTiming(request.params.model),
  );
}
