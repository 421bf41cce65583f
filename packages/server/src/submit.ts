import { createHash } from "node:crypto";
import { getAddress, isAddress } from "ethers";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import type { RewardTerms } from "@hardhat-zkml/core/reward/claim.js";
import type { JobRecord, JobRequest } from "./job-types.js";
import type { ServedModel } from "./model-catalog.js";
import type { JobQueue } from "./queue/job-queue.js";
import { callbackUrlRefusal, type CallbackAllowList } from "./callback-targets.js";
import { badRequest, HttpProblem } from "./problem.js";
import { takeAttestationQuota, type QuotaCounter, type QuotaLimits, type QuotaTaken } from "./quotas.js";
import { jobTerms } from "./reward-terms.js";
import { gateRefusal, type GateOptions, type GateVerdict } from "@hardhat-zkml/audio/gate.js";

/** Audio -> the model input's values (the audio pipeline's extractFeatures). */
export type FeatureExtractor = (audio: Uint8Array, inputShape: readonly number[]) => Promise<number[]>;

/** JudgmentReward.MAX_RESERVED_ADDRESS: recipients at or below it are refused on-chain. */
export const MAX_RESERVED_ADDRESS = 0xffffn;

export interface ProofSubmission {
  model: string;
  inputs?: number[][];
  features?: number[];
  /** A recording: its features are computed by the job (and, in attested mode, signed). */
  audio?: Uint8Array;
  prover?: string;
  callbackUrl?: string;
  keyId?: string;
}

/** The reward the service proves its judge model for (`--reward`). */
export interface ServiceReward {
  model: string;
  /** The terms now (cached for a few seconds). */
  terms(): Promise<RewardTerms>;
  ttlSeconds: number;
}

/** Decodes the judged window of a recording and runs the recording gate with `gate`'s thresholds. */
export type RecordingScreen = (audio: Uint8Array, gate: Partial<GateOptions>) => Promise<GateVerdict>;

/** The recording gate and attestation quotas applied at submission (before anything is queued). */
export interface SubmissionChecks {
  screen?: RecordingScreen;
  /** Thresholds per model (the model's `gate` config merged with ZK_GATE_*); false: the model is not gated unless attested. */
  gateFor(model: string): Partial<GateOptions> | false;
  quotas?: { counter: QuotaCounter; limits: QuotaLimits };
}

export interface SubmitContext {
  catalog: Map<string, ServedModel>;
  queue: JobQueue;
  checks?: SubmissionChecks;
  /** Callbacks are signed with this secret; without one, callbackUrl is refused. */
  callbackSecret?: string;
  /** Where callbacks may go besides public addresses. */
  callbackAllow?: CallbackAllowList;
  reward?: ServiceReward;
}

/** A 40-hex-digit prover in any letter case, checksummed (a client's casing is not a checksum). */
export function normalizeProver(prover: string | undefined): string | undefined {
  return prover !== undefined && /^0x[0-9a-fA-F]{40}$/.test(prover) ? getAddress(prover.toLowerCase()) : prover;
}

export function servedModel(catalog: Map<string, ServedModel>, name: string): ServedModel {
  const served = catalog.get(name);
  if (served === undefined) {
    throw new HttpProblem(404, "Not Found", `unknown model "${name}"; served models: ${[...catalog.keys()].join(", ") || "(none built)"}`);
  }
  return served;
}

/** Checks a request against the model's input shapes before it is queued (so a bad one is a 400, not a failed job). */
export function checkInputs(served: ServedModel, sub: ProofSubmission): number[][] | undefined {
  let inputs = sub.inputs;
  if (sub.audio !== undefined) {
    if (inputs !== undefined || sub.features !== undefined) throw badRequest("send either audio or inputs/features, not both");
    if (served.inputs.length !== 1)
      throw badRequest(`model "${served.name}" takes ${served.inputs.length} inputs; audio fills exactly one`);
    checkProver(served, sub);
    return undefined;
  }
  if (sub.features !== undefined) {
    if (inputs !== undefined) throw badRequest("send either inputs or features, not both");
    if (served.inputs.length !== 1)
      throw badRequest(`model "${served.name}" takes ${served.inputs.length} inputs; send them as inputs: [[...], ...]`);
    inputs = [sub.features];
  }
  if (inputs === undefined)
    throw badRequest(
      `send the model's inputs: inputs (one array per input: ${served.inputs.map((i) => `${i.name} ${i.elements} numbers`).join(", ")}) or features`,
    );
  if (inputs.length !== served.inputs.length) {
    throw badRequest(
      `model "${served.name}" takes ${served.inputs.length} input array(s) (${served.inputs.map((i) => i.name).join(", ")}), got ${inputs.length}`,
    );
  }
  served.inputs.forEach((input, i) => {
    const values = inputs![i]!;
    if (values.length !== input.elements) {
      throw badRequest(
        `model "${served.name}": input "${input.name}" needs ${input.elements} numbers (shape ${input.shape.join("x")}), got ${values.length}`,
      );
    }
    const min = input.min ?? -Infinity;
    const max = input.max ?? Infinity;
    const at = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v) || v < min || v > max);
    if (at >= 0) {
      throw badRequest(
        `model "${served.name}": input "${input.name}" value ${values[at]} at index ${at} is outside ${min}..${max}, ` +
          "the range this model was calibrated for; send values in that range",
      );
    }
  });
  checkProver(served, sub);
  return inputs;
}

function checkProver(served: ServedModel, sub: ProofSubmission): void {
  if (served.boundAddress !== undefined) {
    if (sub.prover === undefined)
      throw badRequest(
        `model "${served.name}" binds the prover's address into the proof; send prover: "0x..." (the address the reward pays)`,
      );
    if (!isAddress(sub.prover) && !/^0x[0-9a-fA-F]{41,64}$/.test(sub.prover)) {
      throw badRequest(`prover ${sub.prover} is not a 20-byte address (0x + 40 hex digits) or a domain-bound key`);
    }
    if (isAddress(sub.prover) && BigInt(sub.prover) <= MAX_RESERVED_ADDRESS) {
      throw badRequest(
        `prover ${sub.prover} is a reserved address (0xffff or below), which JudgmentReward never pays; send the recipient's own address`,
      );
    }
  } else if (sub.prover !== undefined) {
    throw badRequest(`model "${served.name}" binds no address; leave prover out`);
  }
}

/** The reward's terms for a job of its model: the recipient must be an address, and an attested reward needs the recording. */
async function rewardFor(ctx: SubmitContext, served: ServedModel, sub: ProofSubmission): Promise<JobRequest["reward"]> {
  const reward = ctx.reward;
  if (reward === undefined || reward.model !== served.name) return undefined;
  if (!isAddress(sub.prover)) {
    throw badRequest(`prover ${sub.prover} must be the recipient's address: this service computes the reward's domain-bound key itself`);
  }
  const terms = await reward.terms();
  const own = [terms.address, terms.verifier, terms.verifyingKey, terms.attester].filter((a) => a !== undefined);
  if (own.some((a) => a.toLowerCase() === sub.prover!.toLowerCase())) {
    throw badRequest(`prover ${sub.prover} is one of the reward's own contracts or its attester; send the recipient's own address`);
  }
  if (terms.attester !== undefined && sub.audio === undefined) {
    throw new HttpProblem(
      422,
      "Unprocessable Content",
      `the reward at ${terms.address} pays only attested recordings; send the recording (multipart: address + audio) so this service can attest it`,
    );
  }
  return jobTerms(terms, reward.ttlSeconds);
}

/** What identifies a submission for idempotency: the same request gives the same fingerprint. */
export function submissionFingerprint(model: string, sub: ProofSubmission, inputs: number[][] | undefined): string {
  const audio = sub.audio === undefined ? undefined : createHash("sha256").update(sub.audio).digest("hex");
  const what = { model, inputs, audio, prover: sub.prover?.toLowerCase(), callbackUrl: sub.callbackUrl };
  return createHash("sha256").update(JSON.stringify(what)).digest("hex");
}

/**
 * Queues a proof job, or with an idempotency key returns the job first queued under it
 * (`created` false); the same key with a different request is a 422.
 */
export async function submitProof(
  ctx: SubmitContext,
  sub: ProofSubmission,
  idempotencyKey?: string,
): Promise<{ job: JobRecord; created: boolean }> {
  const served = servedModel(ctx.catalog, sub.model);
  sub = { ...sub, prover: normalizeProver(sub.prover) };
  const inputs = checkInputs(served, sub);
  if (sub.callbackUrl !== undefined && ctx.callbackSecret === undefined) {
    throw new HttpProblem(
      422,
      "Unprocessable Content",
      "this server has no callback secret (ZK_CALLBACK_SECRET), so it cannot sign callbacks; poll the job instead",
    );
  }
  if (sub.callbackUrl !== undefined) {
    const why = await callbackUrlRefusal(sub.callbackUrl, ctx.callbackAllow);
    if (why !== undefined)
      throw new HttpProblem(
        400,
        "Bad Request",
        `callbackUrl refused: ${why}; callbacks go to public addresses only: use a public URL, or leave callbackUrl out and poll the job`,
      );
  }
  const reward = await rewardFor(ctx, served, sub);
  await screenRecording(ctx.checks, served.name, sub.audio, reward?.attester !== undefined);
  const fingerprint = submissionFingerprint(served.name, sub, inputs);
  const quotas = ctx.checks?.quotas;
  const taken: QuotaTaken =
    reward?.attester !== undefined && quotas !== undefined
      ? await takeAttestationQuota(quotas.counter, quotas.limits, {
          reward: reward.address,
          round: reward.round,
          recipient: sub.prover!,
          keyId: sub.keyId,
        })
      : [];
  const giveBack = () => Promise.all(taken.map((b) => quotas!.counter.give(b)));
  let submitted: { job: JobRecord; created: boolean };
  try {
    submitted = await ctx.queue.submit(
      {
        model: served.name,
        inputs,
        audio: sub.audio === undefined ? undefined : Buffer.from(sub.audio).toString("base64"),
        reward,
        prover: sub.prover,
        callbackUrl: sub.callbackUrl,
        keyId: sub.keyId,
        artifactsId: served.artifactsId,
        fingerprint,
      },
      idempotencyKey,
    );
  } catch (e) {
    await giveBack();
    throw e;
  }
  if (!submitted.created) await giveBack(); // the same request again: its job was counted once
  const first = submitted.job.request.fingerprint;
  if (!submitted.created && first !== undefined && first !== fingerprint) {
    throw new HttpProblem(
      422,
      "Unprocessable Content",
      `Idempotency-Key "${idempotencyKey}" was first used with a different request (job ${submitted.job.id}); repeat that request unchanged, or use a new key`,
    );
  }
  return submitted;
}

/**
 * The recording gate at submission: a recording with no voice in the judged window is a
 * 422 before it is queued. Always for an attested reward; otherwise unless turned off.
 */
async function screenRecording(checks: SubmissionChecks | undefined, model: string, audio: Uint8Array | undefined, attested: boolean) {
  if (audio === undefined || checks?.screen === undefined) return;
  const gate = checks.gateFor(model);
  if (gate === false && !attested) return;
  let verdict: GateVerdict;
  try {
    verdict = await checks.screen(audio, gate === false ? {} : gate);
  } catch (e) {
    if (e instanceof HttpProblem) throw e;
    // The decoders refuse a broken file with ZkError (422: it is a recording the server cannot read);
    // anything else a client's bytes cause is still the client's 400, never a 5xx.
    const undecodable = e instanceof ZkError;
    throw new HttpProblem(
      undecodable ? 422 : 400,
      undecodable ? "Unprocessable Content" : "Bad Request",
      `the recording could not be decoded (${(e as Error).message}); send a WAV, MP3, Ogg/Opus or WebM file`,
    );
  }
  if (!verdict.ok) throw new HttpProblem(422, "Unprocessable Content", `recording refused: ${gateRefusal(verdict)}`);
}
