import type { FastifyInstance } from "fastify";
import { sniffFormat } from "@hardhat-zkml/audio/sniff.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { ServiceDeps } from "../app.js";
import { mayAccess } from "../auth.js";
import { jobLinks, jobView } from "../job-view.js";
import { HttpProblem } from "../problem.js";
import { problemResponses, proofRequestSchema } from "../schemas.js";
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
  if (!/^[0-9a-fA-F]{1,40}$/.test(hex)) throw new ZkError(`address "${text}" is not hex of at most 20 bytes (0x + up to 40 hex digits)`);
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
  if (address === undefined || audio === undefined) throw new ZkError("send the form fields address and audio (a recording file)");
  const bytes = new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength);
  if (sniffFormat(bytes) === "unknown") throw new ZkError("the audio field is not a recording; send a WAV, FLAC, MP3, Ogg or WebM file");
  return { model, audio: bytes, prover: formAddress(address) };
}

const multipartBody = {
  type: "object",
  required: ["address", "audio"],
  properties: {
    address: { type: "string", maxLength: 66, description: "The address bound into the proof" },
    audio: { description: "The recording (binary file)" },
  },
} as const;

/** POST /v1/models/{model}/proofs: queue a proof (202), or wait for it (?wait=N). */
export default async function proofRoutes(app: FastifyInstance, deps: ServiceDeps): Promise<void> {
  const body =
    deps.extractFeatures === undefined
      ? proofRequestSchema
      : { content: { "application/json": { schema: proofRequestSchema }, "multipart/form-data": { schema: multipartBody } } };
  app.post<{ Params: { model: string }; Querystring: { wait?: number }; Headers: { "idempotency-key"?: string }; Body: ProofBody }>(
    "/v1/models/:model/proofs",
    {
      config: { scope: "prove" },
      schema: {
        tags: ["proofs"],
        summary: "Prove a model's output for the given inputs (or audio)",
        security: [{ bearer: [] }],
        params: { type: "object", properties: { model: { type: "string", maxLength: 100 } }, required: ["model"] },
        querystring: {
          type: "object",
          properties: {
            wait: { type: "integer", minimum: 0, maximum: deps.options.maxWaitSeconds, description: "Seconds to wait for the result" },
          },
        },
        headers: {
          type: "object",
          properties: {
            "idempotency-key": { type: "string", maxLength: 200, description: "A repeated request with the same key returns the same job" },
          },
        },
        body,
        response: {
          200: {
            type: "object",
            description: "Finished within ?wait",
            properties: { job: { $ref: "Job#" }, result: { $ref: "ProofResult#" } },
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
      const sub =
        request.headers["content-type"]?.startsWith("multipart/form-data") && deps.extractFeatures !== undefined
          ? await audioSubmission(
              deps,
              request.params.model,
              typeof b.address === "string" ? b.address : undefined,
              Buffer.isBuffer(b.audio) ? b.audio : undefined,
            )
          : { model: request.params.model, inputs: b.inputs, features: b.features, prover: b.prover, callbackUrl: b.callbackUrl };
      const { job } = await submitProof(deps, { ...sub, keyId: request.apiKey?.id }, request.headers["idempotency-key"]);
      if (!mayAccess(request, job.request.keyId))
        throw new HttpProblem(409, "Conflict", "this idempotency key belongs to another API key's job");
      const wait = request.query.wait ?? 0;
      const now = wait > 0 ? await deps.queue.waitUntilFinished(job.id, wait * 1000) : job;
      reply.header("location", jobLinks(job.id).self);
      if (now?.status === "succeeded" && now.result !== undefined)
        return reply.status(200).send({ job: await jobView(now, deps.queue), result: now.result });
      return reply.status(202).send(await jobView(now ?? job, deps.queue));
    },
  );
}
