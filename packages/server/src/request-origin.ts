import type { FastifyRequest } from "fastify";

/** The origin a request came to (scheme://host[:port]), as the page the server serves has it. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * The origin of the page that sent a request: its Origin header; a browser leaves that out of
 * same-origin GETs but says `Sec-Fetch-Site: same-origin`, so then it is the server's own.
 * Undefined when neither says (a request from no page).
 */
export function requestOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin;
  return request.headers["sec-fetch-site"] === "same-origin" ? ownOrigin(request) : undefined;
}
