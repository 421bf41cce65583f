import type { FastifyInstance, FastifyReply } from "fastify";
import { sniffFormat } from "@hardhat-zkml/audio/sniff.js";
import type { ServiceDeps } from "../app.js";
import { mayAccess, requestOwner } from "../auth.js";
import { isFinished, type JobRecord } from "../job-types.js";
import { jobLinks, jobView } from "../job-view.js";
import { badRequest, HttpProblem } from "../problem.js";
import { modelProofRequestSchema, problemResponses, proofRequestSchema } from "../schemas.js";
import { checkPageProof, takePageProof } from "../page-proofs.js";
import { servedModel, submitProof, type ProofSubmission } from "../submit.js";

interface ProofBody {
  inputs?: number[][];
  features?: number[];
  prover?: string;
  callbackUrl?: string;
  /** multipart form fields */
  address?: string;
  audio?: Buffer;
}

/** Seed 000's addresses may be short hex ("0x1"): left-pad to 20 bytes. */
export function formAddress(text: string): string {
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{1,40}$/.test(hex)) throw badRequest(`address "${text}" is not hex of at most 20 bytes (0x + up to 40 hex digits)`);
  return "0x" + hex.padStart(40, "0");
}

/**
 * Multipart (address + audio): the job turns the recording into the model's input (its
 * "features" stage); here only its format is checked, so a file that is no recording is a 400.
 */
export async function audioSubmission(
  deps: ServiceDeps,
  model: string,
  address: string | undefined,
  audio: Buffer | undefined,
): Promise<ProofSubmission> {
  if (deps.extractFeatures === undefined)
    throw new HttpProblem(415, "Unsupported Media Type", "this server has no audio pipeline; send JSON features instead");
  servedModel(deps.catalog, model); // an unknown model is a 404 before the form is looked at
  if (address === undefined || audio === undefined) throw badRequest("send the form fields address and audio (a recording file)");
  const bytes = new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength);
  if (sniffFormat(bytes) === "unknown")
    throw new HttpProblem(422, "Unprocessable Content", "the audio field is not a recording; send a WAV, FLAC, MP3, Ogg or WebM file");
  return { model, audio: bytes, prover: formAddress(address) };
}

/** A form address: 0x + up to 40 hex digits (left-padded), above 0xffff. */
export const formAddressSchema = {
  type: "string",
  pattern: "^0x(?=[0-9a-fA-F]{1,40}$)0*[1-9a-fA-F][0-9a-fA-F]{4,}$",
  description: "the address bound into the proof: 0x + up to 40 hex digits (left-padded to 20 bytes), above 0xffff",
} as const;

export const multipartBody = {
  type: "object",
  additionalProperties: false,
  required: ["address", "audio"],
  properties: {
    address: formAddressSchema,
    audio: { description: "The recording (WAV, FLAC, MP3, Ogg or WebM), a file part" },
  },
} as const;

/** 202: the job; 200: the finished job and, if it succeeded, its result. */
async function proofAnswer(reply: FastifyReply, status: number, job: JobRecord, deps: ServiceDeps): Promise<FastifyReply> {
  const view = await jobView(job, deps.queue);
  if (status === 202) return reply.status(202).send(view);
  return reply.status(200).send({ job: view, result: job.status === "succeeded" ? job.result : undefined });
}

/** The general route's {model}: any name but a served one (those have routes of their own). */
function otherModelParams(deps: ServiceDeps) {
  const served = [...deps.catalog.keys()].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const model = { type: "string", minLength: 1, maxLength: 100, description: "a model this server does not serve (404)" };
  return {
    type: "object",
    required: ["model"],
    properties: { model: served.length === 0 ? model : { ...model, pattern: `^(?!(${served.join("|")})$)[\\s\\S]+$` } },
  };
}

/** Path, query and header values arrive as text: ?wait is the one number among them. */
function waitAsNumber(request: { query: unknown }): void {
  const query = request.query as { wait?: unknown };
  if (typeof query.wait === "string" && /^[0-9]{1,6}$/.test(query.wait)) query.wait = Number(query.wait);
}

/** POST /v1/models/{model}/proofs: queue a proof (202), or wait for it (?wait=N). */
export default async function proofRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  const bodyOf = (json: unknown) =>
    deps.extractFeatures === undefined
      ? json
      : { content: { "application/json": { schema: json }, "multipart/form-data": { schema: multipartBody } } };
  // Each served model has its own route with its exact request schema; the general one
  // answers models that are not served (404).
  for (const served of deps.catalog.values()) {
    proofRoute(app, deps, `/v1/models/${served.name}/proofs`, bodyOf(modelProofRequestSchema(served, deps.callbackSecret !== undefined)));
  }
  const { callbackUrl: _, ...withoutCallback } = proofRequestSchema.properties;
  const general = deps.callbackSecret !== undefined ? proofRequestSchema : { ...proofRequestSchema, properties: withoutCallback };
  proofRoute(app, deps, "/v1/models/:model/proofs", bodyOf(general));
}

function proofRoute(app: FastifyInstance, deps: ServiceDeps, url: string, body: unknown): void {
  const model = url.includes(":model") ? undefined : url.split("/")[3]!;
  app.post<{ Params: { model: string }; Querystring: { wait?: number }; Headers: { "idempotency-key"?: string }; Body: ProofBody }>(
    url,
    {
      config: { scope: "prove", pageSession: true },
      preValidation: async (request) => waitAsNumber(request),
      schema: {
        tags: ["proofs"],
        summary: "Prove a model's output for the given inputs (or audio)",
        security: [{ bearer: [] }],
        ...(model === undefined ? { params: otherModelParams(deps) } : {}),
        querystring: {
          type: "object",
          properties: {
            wait: { type: "integer", minimum: 0, maximum: deps.options.maxWaitSeconds, description: "Seconds to wait for the result" },
          },
        },
        headers: {
          type: "object",
          properties: {
            "idempotency-key": {
              type: "string",
              maxLength: 200,
              description:
                "A repeated request with the same key is answered as the first was (same status, same job); another request under it is a 422",
            },
          },
        },
        body,
        response: {
          200: {
            type: "object",
            description: "Finished within ?wait: the job, and its result if it succeeded (a failed job carries its error)",
            properties: { job: { $ref: "Job#" }, result: { $ref: "ProofResult#" } },
            required: ["job"],
          },
          202: { $ref: "Job#" },
          ...problemResponses,
          404: { $ref: "Problem#" },
          409: { $ref: "Problem#" },
          415: { $ref: "Problem#" },
          422: { $ref: "Problem#" },
        },
      },
    },
    async (request, reply) => {
      const b = request.body ?? {};
      const name = model ?? request.params.model;
      const multipart = request.headers["content-type"]?.startsWith("multipart/form-data") === true && deps.extractFeatures !== undefined;
      const session = request.pageSession;
      if (session !== undefined) checkPageProof(deps.catalog.get(name), multipart);
      const sub = multipart
        ? await audioSubmission(
            deps,
            name,
            typeof b.address === "string" ? b.address : undefined,
            Buffer.isBuffer(b.audio) ? b.audio : undefined,
          )
        : { model: name, inputs: b.inputs, features: b.features, prover: b.prover, callbackUrl: b.callbackUrl };
      const idempotencyKey = request.headers["idempotency-key"];
      const giveBack =
        session === undefined || deps.page === undefined
          ? undefined
          : await takePageProof(deps.page.proofs, session, deps.page.options.proofsPerSession);
      let submitted: Awaited<ReturnType<typeof submitProof>>;
      try {
        submitted = await submitProof(deps, { ...sub, keyId: requestOwner(request) }, idempotencyKey);
      } catch (e) {
        await giveBack?.();
        throw e;
      }
      const { job, created } = submitted;
      if (!created) await giveBack?.();
      if (!mayAccess(request, job.request.keyId))
        throw new HttpProblem(409, "Conflict", "this idempotency key belongs to another API key's job");
      reply.header("location", jobLinks(job.id).self);
      let status = created ? undefined : await deps.queue.answerOf(job.id);
      if (status === undefined && !created && Date.now() - job.createdAt < (deps.options.maxWaitSeconds + 5) * 1000) {
        // The first request is still waiting for its answer (a replay answers as it will).
        throw new HttpProblem(
          409,
          "Conflict",
          `the first request with Idempotency-Key "${idempotencyKey}" is still being answered; repeat it once that answer has arrived`,
          { "retry-after": "1" },
        );
      }
      let now: JobRecord | undefined = job;
      if (status === undefined) {
        const wait = request.query.wait ?? 0;
        if (wait > 0) now = await deps.queue.waitUntilFinished(job.id, wait * 1000);
        // ?wait: 200 once the job has finished (its result, or its error); else 202 with the job as it is.
        status = wait > 0 && now !== undefined && isFinished(now.status) ? 200 : 202;
        if (idempotencyKey !== undefined) await deps.queue.recordAnswer(job.id, status);
      }
      return proofAnswer(reply, status, now ?? job, deps);
    },
  );
}
