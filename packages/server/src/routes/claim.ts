import type { FastifyInstance } from "fastify";
import type { ServiceDeps } from "../app.js";
import { claimProblem } from "../claim-refusal.js";
import { claimOfJob } from "../relayer.js";
import { problemResponses } from "../schemas.js";
import { findJob, jobParams } from "./jobs.js";

const relayedSchema = {
  type: "object",
  required: ["txHash", "blockNumber", "recipient", "amount", "gasUsed", "gasCostWei"],
  properties: {
    txHash: { type: "string" },
    blockNumber: { type: "integer" },
    recipient: { type: "string" },
    amount: { type: "string", description: "paid to the recipient, in wei (decimal)" },
    gasUsed: { type: "string", description: "decimal" },
    gasCostWei: { type: "string", description: "paid by the relayer, in wei (decimal)" },
  },
} as const;

/** POST /v1/jobs/{id}/claim: the server's relayer sends the job's claim, so the recipient needs no ETH for gas. */
export default async function claimRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  app.post<{ Params: { id: string }; Body: { via?: "relayer" } }>(
    "/v1/jobs/:id/claim",
    {
      config: { scope: "prove", pageSession: true },
      schema: {
        tags: ["jobs"],
        summary: "Claim the job's reward through the server's relayer (it pays the gas); answers once the claim is mined",
        description:
          "Simulated first: already paid (409), below the threshold (422), a reward that cannot pay (409), the relayer's gas budget for the round spent (429) and no relayer (503) are answered without a transaction.",
        security: [{ bearer: [] }],
        params: jobParams,
        body: { type: "object", additionalProperties: false, properties: { via: { type: "string", enum: ["relayer"] } } },
        response: {
          200: relayedSchema,
          ...problemResponses,
          404: { $ref: "Problem#" },
          409: { $ref: "Problem#" },
          422: { $ref: "Problem#" },
          502: { $ref: "Problem#" },
          503: { $ref: "Problem#" },
          504: { $ref: "Problem#" },
        },
      },
    },
    async (request) => {
      const claim = claimOfJob(await findJob(request, deps));
      if (deps.relayer === undefined)
        throw claimProblem(
          503,
          "no-relayer",
          "no relayer",
          "this server relays no claims (it has no ZK_RELAYER_KEY); claim with your own wallet",
        );
      return deps.relayer.relay(claim);
    },
  );
}
