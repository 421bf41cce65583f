import type { FastifyInstance } from "fastify";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { ServiceDeps } from "../app.js";
import { pageConfig } from "../page-config.js";
import { HttpProblem } from "../problem.js";
import { ownOrigin, requestOrigin } from "../request-origin.js";

const nullable = (schema: object) => ({ ...schema, nullable: true });

const configSchema = {
  type: "object",
  required: ["model", "pageSessions", "relayer", "reward", "expectedProofSeconds"],
  properties: {
    model: { type: "string", nullable: true, description: "The judge model the page proves recordings with" },
    pageSessions: { type: "boolean", description: "Whether the page may open sessions (ZK_PAGE)" },
    relayer: nullable({
      type: "object",
      required: ["address"],
      properties: { address: { type: "string" } },
      description: "The account that relays claims (POST /v1/jobs/{id}/claim); null: no relayer",
    }),
    reward: nullable({
      type: "object",
      required: ["address", "chainId", "round", "threshold", "amount", "mode", "domainBound"],
      properties: {
        address: { type: "string" },
        chainId: { type: "string", description: "decimal" },
        round: { type: "string", description: "decimal" },
        threshold: { type: "string", description: "the score that earns the reward, as a decimal number" },
        amount: { type: "string", description: "the reward, in wei (decimal)" },
        mode: { type: "string", enum: ["attested", "open"] },
        domainBound: {
          type: "boolean",
          description: "true: proofs bind the domain key (chain, contract, round, recipient); false: the bare address",
        },
      },
    }),
    expectedProofSeconds: { type: "number", nullable: true },
  },
} as const;

/** POST /v1/page-sessions (the page's way in, without an API key), GET /v1/page/config. */
export default async function pageRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  app.get(
    "/v1/page/config",
    {
      schema: {
        tags: ["page"],
        summary: "What the page shows: the model, the reward's threshold and amount, the relayer",
        response: { 200: configSchema, 503: { $ref: "Problem#" } },
      },
    },
    async () => {
      const model = deps.catalog.get(deps.reward?.model ?? deps.options.defaultModel ?? "");
      let terms;
      try {
        terms = deps.reward === undefined ? undefined : await deps.reward.terms();
      } catch (e) {
        throw new HttpProblem(503, "Service Unavailable", `the reward's terms could not be read from the chain (${(e as Error).message})`);
      }
      return pageConfig({
        model,
        pageSessions: deps.page !== undefined,
        relayer: deps.relayer?.address,
        terms,
        expectedRunMs: model === undefined ? undefined : await deps.queue.expectedRunMs(model.name),
      });
    },
  );

  const page = deps.page;
  if (page === undefined) return;
  const options = { points: page.options.sessionsPerHour, duration: 3600, keyPrefix: "zk-page-sessions" };
  const perAddress =
    deps.redis === undefined ? new RateLimiterMemory(options) : new RateLimiterRedis({ storeClient: deps.redis, ...options });
  app.post(
    "/v1/page-sessions",
    {
      schema: {
        tags: ["page"],
        summary: "Open a page session: a short-lived token that lets the page prove recordings without an API key",
        description:
          "The request's Origin must be this server's own origin or one in ZK_PAGE_ORIGINS; the session answers only requests from that origin.",
        body: { type: "object", additionalProperties: false, properties: {} },
        response: {
          201: {
            type: "object",
            required: ["token", "expiresAt", "limits"],
            properties: {
              token: { type: "string", description: "ps_<id>_<secret>: send as Authorization: Bearer" },
              expiresAt: { type: "string", format: "date-time" },
              limits: { type: "object", required: ["proofs"], properties: { proofs: { type: "integer" } } },
            },
          },
          403: { $ref: "Problem#" },
          429: { $ref: "Problem#" },
        },
      },
    },
    async (request, reply) => {
      const origin = requestOrigin(request);
      if (origin === undefined)
        throw new HttpProblem(403, "Forbidden", "page sessions are opened by the page: the request has no Origin header");
      if (origin !== ownOrigin(request) && !page.options.origins.includes(origin))
        throw new HttpProblem(
          403,
          "Forbidden",
          `page sessions are opened only from this server's page (${ownOrigin(request)}) or ZK_PAGE_ORIGINS, not ${origin}`,
        );
      try {
        await perAddress.consume(request.ip);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw new HttpProblem(
          429,
          "Too Many Requests",
          `this address has opened ${page.options.sessionsPerHour} page sessions in the last hour; retry in ${seconds} s`,
          { "retry-after": String(seconds) },
        );
      }
      const { session, token } = await page.sessions.create(origin, request.ip, page.options.ttlSeconds);
      return reply
        .status(201)
        .send({ token, expiresAt: new Date(session.expiresAt).toISOString(), limits: { proofs: page.options.proofsPerSession } });
    },
  );
}
