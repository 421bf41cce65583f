import { existsSync } from "node:fs";
import path from "node:path";
import staticFiles from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { ServiceDeps } from "../app.js";

/** Served with every answer, page and API: the page is cross-origin isolated (threaded WASM needs SharedArrayBuffer). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
});

export const BUILD_HINT = "the page is not built; run `npm run build -w @hardhat-zkml/web` (or set ZK_WEB_DIR to a built page)";

/** The singer's page at `/`: the built files of @hardhat-zkml/web (or ZK_WEB_DIR), else a line saying how to build it. */
export default async function webRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  if (deps.page === undefined) return; // ZK_PAGE=0
  const dir = deps.page.options.webDir;
  if (dir !== undefined && existsSync(path.join(dir, "index.html"))) {
    // One route per built file (no wildcard): every other path keeps the API's 404/405 answers.
    await app.register(staticFiles, { root: dir, wildcard: false, index: "index.html", schemaHide: true });
    return;
  }
  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    reply
      .status(404)
      .type("text/plain; charset=utf-8")
      .send(BUILD_HINT + "\n"),
  );
}
