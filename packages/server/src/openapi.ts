import { SIGNATURE_HEADER, ATTEMPT_HEADER } from "./callbacks.js";
import { jobSchema, resultSchema } from "./schemas.js";

/** The parts of an OpenAPI 3.0 document this module edits. */
interface Operation {
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, Response>;
  callbacks?: Record<string, unknown>;
}
interface Response {
  description: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, { description: string; schema: unknown }>;
}
export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const PROBLEM = "application/problem+json";
const problem = (description: string): Response => ({
  description,
  content: { [PROBLEM]: { schema: { $ref: "#/components/schemas/Problem" } } },
});
const header = (description: string, schema: unknown = { type: "string" }) => ({ description, schema });

/** What a callback receiver gets: the finished job, signed. */
export const callbackBodySchema = {
  type: "object",
  required: ["id", "model", "status"],
  properties: {
    id: jobSchema.properties.id,
    model: jobSchema.properties.model,
    status: { type: "string", enum: ["succeeded", "failed", "canceled"] },
    error: { type: "string", description: "Why the job failed" },
    result: { ...resultSchema, $id: undefined, description: "The proof result, when the job succeeded" },
  },
} as const;

const callbacks = {
  jobFinished: {
    "{$request.body#/callbackUrl}": {
      post: {
        summary: "The finished job, POSTed to callbackUrl",
        description:
          `Signed with the server's ZK_CALLBACK_SECRET: \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>\`; ` +
          "check it and the timestamp's age (verifySignature in @hardhat-zkml/server/callbacks.js) before trusting the body. " +
          "Retried with exponential backoff until a 2xx answer; a delivery may repeat after a restart, so dedupe by id.",
        parameters: [
          {
            name: SIGNATURE_HEADER,
            in: "header",
            required: true,
            description: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
            schema: { type: "string", pattern: "^t=[0-9]+,v1=[0-9a-f]{64}$" },
          },
          {
            name: ATTEMPT_HEADER,
            in: "header",
            required: true,
            description: "1 for the first delivery, then 2, 3, ... for each retry",
            schema: { type: "integer", minimum: 1 },
          },
        ],
        requestBody: { required: true, content: { "application/json": { schema: callbackBodySchema } } },
        responses: { "2XX": { description: "Received; any other answer (or none within 10 s) is retried" } },
      },
    },
  },
};

/** The properties of an operation's request body of one media type. */
function bodyProperties(op: Operation, mediaType: string): Record<string, unknown> | undefined {
  const body = op.requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined;
  return body?.content?.[mediaType]?.schema?.properties;
}

/**
 * The generated document, completed with what the route schemas cannot say: errors are
 * problem+json, every body may be 413 or 415, 401 and 429 carry their headers, the proof
 * request's Location header and callbacks.
 */
export function finishDocument(doc: OpenApiDocument): OpenApiDocument {
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const responses = (op.responses ??= {});
      if (op.requestBody !== undefined) {
        responses["413"] ??= problem("The body is larger than the server's limit (ZK_BODY_LIMIT; recordings ZK_AUDIO_LIMIT)");
        responses["415"] ??= problem("The body's content type is not one this operation takes");
        responses["400"] ??= problem("The request does not match this document");
      }
      if (op.security !== undefined) {
        responses["401"] ??= problem("Missing, unknown or revoked API key");
        responses["401"].headers = { "WWW-Authenticate": header('Bearer realm="zk"') };
        responses["429"] ??= problem("Over the key's rate limit");
        responses["429"].headers = { "Retry-After": header("Seconds until a request is accepted again", { type: "integer" }) };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        response.content = { [PROBLEM]: { schema: { $ref: "#/components/schemas/Problem" } } };
      }
      const form = bodyProperties(op, "multipart/form-data");
      // The recording arrives as a file part (validated as the Buffer multipart makes of it).
      if (form?.audio !== undefined)
        form.audio = { type: "string", format: "binary", description: "The recording (WAV, FLAC, MP3, Ogg or WebM)" };
      if (/^\/v1\/models\/[^/]+\/proofs$/.test(path) && method === "post") {
        for (const status of ["200", "202"]) {
          const r = responses[status];
          if (r !== undefined) r.headers = { Location: header("The job's URL (/v1/jobs/{id})") };
        }
        if (bodyProperties(op, "application/json")?.callbackUrl !== undefined) op.callbacks = callbacks;
      }
    }
  }
  return doc;
}
