import cors from "@fastify/cors";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { installAuth } from "./auth.js";
import type { JobEventOptions } from "./job-events.js";
import type { ArtifactReader } from "./model-artifacts.js";
import type { PageSessionStore } from "./page-sessions.js";
import type { QuotaCounter } from "./quotas.js";
import type { ClaimRelayer } from "./relayer.js";
import artifactRoutes from "./routes/artifacts.js";
import claimRoutes from "./routes/claim.js";
import eventRoutes from "./routes/events.js";
import pageRoutes from "./routes/page.js";
import webRoutes, { ISOLATION_HEADERS } from "./routes/web.js";
import type { CallbackAllowList } from "./callback-targets.js";
import type { KeyStore } from "./key-store.js";
import type { ServiceMetrics } from "./metrics.js";
import type { ServedModel } from "./model-catalog.js";
import { finishDocument, type OpenApiDocument } from "./openapi.js";
import { HttpProblem, installProblemHandler } from "./problem.js";
import type { JobQueue } from "./queue/job-queue.js";
import healthRoutes from "./routes/health.js";
import infernetRoutes from "./routes/infernet.js";
import jobRoutes from "./routes/jobs.js";
import legacyProveRoutes from "./routes/legacy-prove.js";
import modelRoutes from "./routes/models.js";
import proofRoutes from "./routes/proofs.js";
import seedHelperRoutes from "./routes/seed-helpers.js";
import verifyRoutes from "./routes/verify.js";
import { jobSchema, modelSchema, problemSchema, resultSchema } from "./schemas.js";
import type { FeatureExtractor, ServiceReward, SubmissionChecks } from "./submit.js";

export interface HttpOptions {
  /** Largest JSON body, in bytes. */
  bodyLimit: number;
  /** Largest uploaded recording, in bytes. */
  audioLimit: number;
  /** Origins allowed by CORS (empty: CORS off). */
  corsOrigins: string[];
  /** Requests per minute for a key that sets none. */
  defaultRatePerMinute: number;
  /** Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges; empty: none). */
  trustProxy: string[];
  /** Wrong API keys a client address may send per window before it is answered 429. */
  authFailureLimit: number;
  authFailureWindowSeconds: number;
  /** Upper bound of ?wait. */
  maxWaitSeconds: number;
  retentionSeconds: number;
  /** The model /prove and /service_output use when none is named. */
  defaultModel?: string;
  logger?: boolean;
  /** How GET /v1/jobs/{id}/events polls and keeps the stream alive (default 250 ms, 15 s). */
  jobEvents?: JobEventOptions;
}

/** The singer's page and its sessions (ZK_PAGE, ZK_PAGE_*, ZK_WEB_DIR). */
export interface PageOptions {
  /** Origins besides the server's own that may open page sessions (ZK_PAGE_ORIGINS; also allowed by CORS). */
  origins: string[];
  /** Page sessions a client address may open per hour. */
  sessionsPerHour: number;
  /** Proofs one page session may submit. */
  proofsPerSession: number;
  /** How long a page session lasts, in seconds. */
  ttlSeconds: number;
  /** The built page (ZK_WEB_DIR, else @hardhat-zkml/web's dist/), if found. */
  webDir?: string;
}

/** Everything the routes need, passed in (tests build it with real parts). */
export interface ServiceDeps {
  catalog: Map<string, ServedModel>;
  queue: JobQueue;
  keys: KeyStore;
  metrics: ServiceMetrics;
  /** Off-chain verification against a served model's verifying key. */
  verifyProof: (model: string, proofJson: Uint8Array) => Promise<boolean>;
  /** The ezkl witness JSON of a served model's inputs (for a bound model, `prover` fills the address input; default 0). */
  generateWitness?: (model: string, inputs: number[][], prover?: string) => Promise<Uint8Array>;
  callbackSecret?: string;
  /** Where callbacks may go besides public addresses (ZK_CALLBACK_ALLOW). */
  callbackAllow?: CallbackAllowList;
  /** The reward the default judge model is proved for (`--reward`). */
  reward?: ServiceReward;
  /** The audio pipeline; without it, multipart submissions are refused (415). */
  extractFeatures?: FeatureExtractor;
  /** The recording gate and attestation quotas at submission. */
  checks?: SubmissionChecks;
  /** Shares rate-limit counters between API processes. */
  redis?: Redis;
  /** Page sessions and the page (absent: ZK_PAGE=0). `proofs` counts each session's proofs. */
  page?: { sessions: PageSessionStore; proofs: QuotaCounter; options: PageOptions };
  /** Sends claims from the relayer's account (ZK_RELAYER_KEY). */
  relayer?: ClaimRelayer;
  /** A served model's built files (hash-checked), for GET /v1/models/{m}/artifacts/{kind}. */
  readArtifact?: ArtifactReader;
  options: HttpOptions;
}

/** The Fastify app: schemas validate requests and produce /openapi.json; one plugin per resource. */
export async function buildApp(deps: ServiceDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.options.logger ?? false,
    bodyLimit: deps.options.bodyLimit,
    // Behind a proxy, request.ip (rate limits, failed-key counts) is the client it forwards for.
    trustProxy: deps.options.trustProxy.length > 0 ? deps.options.trustProxy : false,
    // Long path parameters reach their schema (maxLength: a 400) instead of a bare 414.
    routerOptions: { maxParamLength: 1000 },
    // JSON bodies are taken as sent: no coercion ("1" stays a string, null is not 0) and no
    // silent removal of unknown fields (additionalProperties: false makes them a 400).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, verbose: true, formats: { binary: true } } },
  });
  installProblemHandler(app);
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.headers(ISOLATION_HEADERS);
    return payload;
  });
  for (const schema of [problemSchema, jobSchema, resultSchema, modelSchema]) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "hardhat-zkml proving service", version: "1.0.0", description: "Zero-knowledge proofs of ezkl models, as a service" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
    transformObject: (doc) =>
      "openapiObject" in doc ? (finishDocument(doc.openapiObject as OpenApiDocument) as typeof doc.openapiObject) : doc.swaggerObject,
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // A page served from another origin (a development server) is let in by CORS as well.
  const corsOrigins = [...new Set([...deps.options.corsOrigins, ...(deps.page?.options.origins ?? [])])];
  if (corsOrigins.length > 0) {
    await app.register(cors, { origin: corsOrigins, exposedHeaders: ["location", "retry-after", "etag"] });
  }
  installAuth(
    app,
    deps.keys,
    { limit: deps.options.authFailureLimit, windowSeconds: deps.options.authFailureWindowSeconds, redis: deps.redis },
    deps.page?.sessions,
  );
  await app.register(rateLimit, {
    global: true,
    hook: "preHandler",
    timeWindow: 60_000,
    redis: deps.redis,
    nameSpace: "zk-rate-",
    keyGenerator: (request) => (request.apiKey !== undefined ? `key:${request.apiKey.id}` : `ip:${request.ip}`),
    max: (request) => request.apiKey?.ratePerMinute ?? deps.options.defaultRatePerMinute,
    allowList: (request) => request.routeOptions.config?.scope === undefined,
    errorResponseBuilder: (_request, ctx) =>
      new HttpProblem(429, "Too Many Requests", `rate limit of ${ctx.max} requests per minute reached; retry in ${ctx.after}`),
  });
  if (deps.extractFeatures !== undefined) {
    await app.register(multipart, { attachFieldsToBody: "keyValues", limits: { fileSize: deps.options.audioLimit, files: 1, fields: 10 } });
  }

  await app.register(healthRoutes, deps);
  await app.register(modelRoutes, deps);
  await app.register(proofRoutes, deps);
  await app.register(jobRoutes, deps);
  await app.register(verifyRoutes, deps);
  await app.register(infernetRoutes, deps);
  await app.register(seedHelperRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(claimRoutes, deps);
  await app.register(artifactRoutes, deps);
  await app.register(pageRoutes, deps);
  await app.register(webRoutes, deps);
  if (deps.extractFeatures !== undefined) await app.register(legacyProveRoutes, deps);
  return app;
}
