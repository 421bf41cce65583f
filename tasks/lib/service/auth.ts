import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiKey, KeyStore, Scope } from "./key-store.js";
import { HttpProblem } from "./problem.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are open (health, OpenAPI). */
    scope?: Scope;
  }
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** The scope a route needs, read from its config. */
export function routeScope(request: FastifyRequest): Scope | undefined {
  return request.routeOptions.config?.scope;
}

/**
 * Bearer API keys: 401 without a valid key, 403 when the key lacks the route's scope.
 * `admin` implies every scope.
 */
export function installAuth(app: FastifyInstance, keys: KeyStore): void {
  app.addHook("onRequest", async (request) => {
    const scope = routeScope(request);
    if (scope === undefined) return;
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
    const key = keys.authenticate(header.slice(7).trim());
    if (key === undefined) throw new HttpProblem(401, "Unauthorized", "unknown or revoked API key", challenge);
    if (!key.scopes.includes(scope) && !key.scopes.includes("admin")) {
      throw new HttpProblem(403, "Forbidden", `this key lacks the "${scope}" scope; create a key with --scopes ${scope}`);
    }
    request.apiKey = key;
  });
}

/** Whether the caller may see a job: its own, or any with the admin scope. */
export function mayAccess(request: FastifyRequest, ownerKeyId: string | undefined): boolean {
  const key = request.apiKey;
  return key === undefined || key.scopes.includes("admin") || ownerKeyId === key.id;
}
