import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ZkError } from "@hardhat-zkml/core/errors.js";

/** An HTTP error answered as RFC 9457 problem details. */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
    /** A problem type of this service (`urn:hardhat-zkml:problem/<name>`); default about:blank. */
    readonly type?: string,
  ) {
    super(detail);
  }
}

/** The URI of one of this service's problem types: clients match the last segment ("already-paid"). */
export function problemType(name: string): string {
  return `urn:hardhat-zkml:problem/${name}`;
}

/** A client's mistake: 400 with a detail that says what to send instead. */
export function badRequest(detail: string): HttpProblem {
  return new HttpProblem(400, "Bad Request", detail);
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  /** With Ajv's `verbose` option: the schema the failing keyword is in. */
  parentSchema?: unknown;
}

/**
 * Ajv's errors in a client's words: an unknown field is named, a value's place is given
 * as a JSON pointer into the request part (body, querystring, ...).
 */
export function schemaErrorText(errors: SchemaError[], part: string): string {
  // Ajv lists a failed oneOf's branch errors before the oneOf itself: inputs|features is reported as one choice.
  const choice = errors.find((x) => x.keyword === "oneOf" && JSON.stringify(x.parentSchema).includes('{"required":["features"]}'));
  if (choice !== undefined) return "send exactly one of inputs (one array per model input) or features (the single input's values)";
  const e = errors[0];
  if (e === undefined) return `${part} is invalid`;
  const where = `${part}${e.instancePath}`;
  if (e.keyword === "additionalProperties") {
    return `${where} has an unknown field "${String(e.params.additionalProperty)}"; remove it (the fields are listed in /openapi.json)`;
  }
  const described = (e.parentSchema as { description?: string } | undefined)?.description;
  if ((e.keyword === "pattern" || e.keyword === "format") && described !== undefined) return `${where} must be ${described}`;
  return `${where} ${e.message ?? "is invalid"}`;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** busboy's messages for a broken multipart body (they carry no status code). */
const MALFORMED_MULTIPART = /^(Multipart: |Unexpected end of (form|file|multipart data)|Malformed part header|Part terminated early)/;

/** Every error becomes application/problem+json; a user's mistake never becomes a 5xx. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpProblem | ZkError, request, reply) => {
    // A body error on a path no route takes (QUERY without a content type): the path's answer wins.
    if (request.is404) return noRoute(request, reply);
    let status: number;
    let detail: string;
    let type = "about:blank";
    let title: string | undefined;
    if (error instanceof HttpProblem) {
      status = error.statusCode;
      detail = error.detail;
      if (error.type !== undefined) [type, title] = [error.type, error.title];
      reply.headers(error.headers);
    } else if (error instanceof ZkError) {
      // The server's own configuration or build (a missing artifact, a bad setting): its
      // fix is for the operator, so it is logged here and the client sees a 500.
      status = 500;
      detail = "internal error; see the server log";
    } else if ((error as FastifyError).validation !== undefined) {
      status = 400;
      const e = error as FastifyError;
      detail = schemaErrorText(e.validation as SchemaError[], e.validationContext ?? "request");
    } else if (MALFORMED_MULTIPART.test(error.message)) {
      status = 400;
      detail = error.message;
    } else {
      const code = (error as FastifyError).statusCode;
      status = typeof code === "number" && code >= 400 && code < 600 ? code : 500;
      detail = status >= 500 ? "internal error; see the server log" : error.message;
    }
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      if (process.env.ZK_DEBUG_ERRORS === "1") console.error(error);
    }
    reply
      .status(status)
      .type("application/problem+json")
      .send({
        type,
        title: title ?? TITLES[status] ?? "Error",
        status,
        detail,
        instance: request.url.split("?")[0],
      });
  });
  // Known paths answer an undeclared method with 405 and Allow (not 404).
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook("onRoute", (route) => {
    if (route.url.includes("*")) return; // a wildcard (CORS preflight) answers every path itself
    const segments = route.url.split("/").map((p) => (p.startsWith(":") ? "[^/]+" : p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")));
    const pattern = new RegExp("^" + segments.join("/") + "/?$");
    const methods = [route.method].flat().map(String);
    const known = routes.find((r) => r.pattern.source === pattern.source);
    if (known === undefined) routes.push({ pattern, methods });
    else known.methods.push(...methods.filter((m) => !known.methods.includes(m)));
  });
  const noRoute = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0]!;
    const allowed = routes.find((r) => r.pattern.test(path))?.methods;
    const status = allowed === undefined ? 404 : 405;
    if (allowed !== undefined) reply.header("allow", allowed.join(", "));
    reply
      .status(status)
      .type("application/problem+json")
      .send({
        type: "about:blank",
        title: TITLES[status],
        status,
        detail:
          allowed === undefined
            ? `no route ${request.method} ${path}`
            : `${path} does not answer ${request.method}; use ${allowed.join(", ")}`,
        instance: path,
      });
  };
  app.setNotFoundHandler(noRoute);
}
