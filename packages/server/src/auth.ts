import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { ApiKey, KeyStore, Scope } from "./key-store.js";
import { sessionOwner, type PageSession, type PageSessionStore } from "./page-sessions.js";
import { HttpProblem } from "./problem.js";
import { requestOrigin } from "./request-origin.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are open (health, OpenAPI). */
    scope?: Scope;
    /** A page session may call this route (it is in its scope: proving recordings, its own jobs). */
    pageSession?: boolean;
  }
  interface FastifyRequest {
    apiKey?: ApiKey;
    /** Set when the request came with a page session's token instead of an API key. */
    pageSession?: PageSession;
  }
}

/** The scope a route needs, read from its config. */
export function routeScope(request: FastifyRequest): Scope | undefined {
  return request.routeOptions.config?.scope;
}

export interface AuthFailureLimit {
  /** Wrong keys a client address may send per window; the next request is a 429. */
  limit: number;
  windowSeconds: number;
  /** Counts shared by every API process (else counted in this process). */
  redis?: Redis;
}

/** Failed authentications per client address: in Redis when the API is scaled out. */
export function authFailureCounter(o: AuthFailureLimit): RateLimiterAbstract {
  const options = { points: o.limit, duration: o.windowSeconds, keyPrefix: "zk-auth-fail" };
  return o.redis === undefined ? new RateLimiterMemory(options) : new RateLimiterRedis({ storeClient: o.redis, ...options });
}

/**
 * Bearer API keys: 401 without a valid key, 403 when the key lacks the route's scope.
 * `admin` implies every scope. A client address that sent `failures.limit` wrong keys
 * within the window is answered 429 (any key) until the window ends.
 */
export function installAuth(app: FastifyInstance, keys: KeyStore, failures: AuthFailureLimit, sessions?: PageSessionStore): void {
  const counter = authFailureCounter(failures);
  app.addHook("onRequest", async (request) => {
    const scope = routeScope(request);
    if (scope === undefined) return;
    const counted = await counter.get(request.ip).catch(() => null);
    if (counted !== null && counted.consumedPoints >= failures.limit) {
      const seconds = Math.max(1, Math.ceil(counted.msBeforeNext / 1000));
      throw new HttpProblem(
        429,
        "Too Many Requests",
        `too many requests with a wrong API key from this address (${failures.limit} in ${failures.windowSeconds} s); retry in ${seconds} s with a valid key`,
        { "retry-after": String(seconds) },
      );
    }
    const header = request.headers.authorization;
    const challenge = { "www-authenticate": 'Bearer realm="zk"' };
    if (header === undefined || !/^Bearer /i.test(header)) {
      throw new HttpProblem(
        401,
        "Unauthorized",
        "missing API key; send `Authorization: Bearer <key>` (the server's operator issues keys)",
        challenge,
      );
    }
    const token = header.slice(7).trim();
    if (token.startsWith("ps_")) {
      request.pageSession = await pageSessionOf(
        request,
        token,
        sessions,
        async () => void (await counter.penalty(request.ip, 1).catch(() => undefined)),
      );
      return;
    }
    const key = keys.authenticate(token);
    if (key === undefined) {
      await counter.penalty(request.ip, 1).catch(() => undefined);
      throw new HttpProblem(401, "Unauthorized", "unknown or revoked API key", challenge);
    }
    if (!key.scopes.includes(scope) && !key.scopes.includes("admin")) {
      throw new HttpProblem(403, "Forbidden", `this key lacks the "${scope}" scope; create a key with --scopes ${scope}`);
    }
    request.apiKey = key;
  });
}

/**
 * A page session's token: 401 when unknown or expired; 403 on a route outside its scope,
 * or from another origin than the one the session was created from.
 */
async function pageSessionOf(
  request: FastifyRequest,
  token: string,
  sessions: PageSessionStore | undefined,
  penalty: () => Promise<void>,
): Promise<PageSession> {
  const session = sessions === undefined ? undefined : await sessions.authenticate(token);
  if (session === undefined) {
    await penalty();
    throw new HttpProblem(401, "Unauthorized", "unknown or expired page session; start a new one (POST /v1/page-sessions)", {
      "www-authenticate": 'Bearer realm="zk"',
    });
  }
  if (request.routeOptions.config?.pageSession !== true) {
    throw new HttpProblem(
      403,
      "Forbidden",
      "a page session may only list models, prove recordings and follow its own jobs; this route needs an API key",
    );
  }
  if (requestOrigin(request) !== session.origin) {
    throw new HttpProblem(403, "Forbidden", `this page session belongs to the page at ${session.origin}; send it from that page`);
  }
  return session;
}

/** Who owns the jobs this request creates: the API key's id or the page session's. */
export function requestOwner(request: FastifyRequest): string | undefined {
  return request.pageSession !== undefined ? sessionOwner(request.pageSession) : request.apiKey?.id;
}

/** Whether the caller may see a job: its own, or any with the admin scope. */
export function mayAccess(request: FastifyRequest, ownerKeyId: string | undefined): boolean {
  if (request.pageSession !== undefined) return ownerKeyId === sessionOwner(request.pageSession);
  const key = request.apiKey;
  return key === undefined || key.scopes.includes("admin") || ownerKeyId === key.id;
}
