import type { FastifyError, FastifyInstance } from "fastify";
import { ZkError } from "@hardhat-zkml/core/errors.js";

/** An HTTP error answered as RFC 9457 problem details. */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** busboy's messages for a broken multipart body (they carry no status code). */
const MALFORMED_MULTIPART = /^(Multipart: |Unexpected end of (form|file|multipart data)|Malformed part header|Part terminated early)/;

/** Every error becomes application/problem+json; a user's mistake never becomes a 5xx. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpProblem | ZkError, request, reply) => {
    let status: number;
    let detail: string;
    if (error instanceof HttpProblem) {
      status = error.statusCode;
      detail = error.detail;
      reply.headers(error.headers);
    } else if (error instanceof ZkError) {
      status = 400;
      detail = error.message.replace(/^HHE\d+: /, "");
    } else if ((error as FastifyError).validation !== undefined || MALFORMED_MULTIPART.test(error.message)) {
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
        type: "about:blank",
        title: TITLES[status] ?? "Error",
        status,
        detail,
        instance: request.url.split("?")[0],
      });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type("application/problem+json")
      .send({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        detail: `no route ${request.method} ${request.url.split("?")[0]}`,
        instance: request.url.split("?")[0],
      });
  });
}
