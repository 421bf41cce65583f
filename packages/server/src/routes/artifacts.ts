import type { FastifyInstance } from "fastify";
import type { ServiceDeps } from "../app.js";
import { ARTIFACT_KINDS, type ArtifactKind } from "../model-artifacts.js";
import { HttpProblem } from "../problem.js";
import { problemResponses } from "../schemas.js";
import { servedModel } from "../submit.js";

/** How long a browser may keep a model's file without asking again (its ETag changes with every rebuild). */
const MAX_AGE_SECONDS = 3600;

/** GET /v1/models/{model}/artifacts/{kind}: a served model's built files, for proving in the browser. */
export default async function artifactRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  app.get<{ Params: { model: string; kind: ArtifactKind } }>(
    "/v1/models/:model/artifacts/:kind",
    {
      config: { scope: "prove", pageSession: true },
      schema: {
        tags: ["models"],
        summary: "A served model's built file (settings, compiled circuit, verifying or proving key, SRS), for proving in the browser",
        security: [{ bearer: [] }],
        params: {
          type: "object",
          required: ["model", "kind"],
          properties: { model: { type: "string", maxLength: 100 }, kind: { type: "string", enum: [...ARTIFACT_KINDS] } },
        },
        response: {
          200: {
            description: "The file's bytes (settings: its JSON); ETag is its sha256 as the model's manifest records it",
            content: {
              "application/octet-stream": { schema: { type: "string", format: "binary" } },
              "application/json": { schema: { type: "object" } },
            },
          },
          304: { type: "null", description: "Not modified (If-None-Match matched the ETag)" },
          ...problemResponses,
          404: { $ref: "Problem#" },
          503: { $ref: "Problem#" },
        },
      },
    },
    async (request, reply) => {
      const { model, kind } = request.params;
      servedModel(deps.catalog, model);
      if (deps.readArtifact === undefined) throw new HttpProblem(503, "Service Unavailable", "this server does not hand out model files");
      const file = await deps.readArtifact(model, kind);
      const etag = `"${file.sha256}"`;
      reply.header("etag", etag).header("cache-control", `public, max-age=${MAX_AGE_SECONDS}`);
      if (request.headers["if-none-match"] === etag) return reply.status(304).send();
      return reply
        .type(kind === "settings" ? "application/json" : "application/octet-stream")
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    },
  );
}
