import { isAddress } from "ethers";
import { ZkError } from "../errors.js";
import type { JobRecord } from "./job-types.js";
import type { ServedModel } from "./model-catalog.js";
import type { JobQueue } from "./queue/job-queue.js";
import { HttpProblem } from "./problem.js";

/** Audio -> the model input's values (the audio pipeline's extractFeatures). */
export type FeatureExtractor = (audio: Uint8Array, inputShape: readonly number[]) => Promise<number[]>;

export interface ProofSubmission {
  model: string;
  inputs?: number[][];
  features?: number[];
  prover?: string;
  callbackUrl?: string;
  keyId?: string;
}

export interface SubmitContext {
  catalog: Map<string, ServedModel>;
  queue: JobQueue;
  /** Callbacks are signed with this secret; without one, callbackUrl is refused. */
  callbackSecret?: string;
}

export function servedModel(catalog: Map<string, ServedModel>, name: string): ServedModel {
  const served = catalog.get(name);
  if (served === undefined) {
    throw new HttpProblem(404, "Not Found", `unknown model "${name}"; served models: ${[...catalog.keys()].join(", ") || "(none built)"}`);
  }
  return served;
}

/** Checks a request against the model's input shapes before it is queued (so a bad one is a 400, not a failed job). */
export function checkInputs(served: ServedModel, sub: ProofSubmission): number[][] {
  let inputs = sub.inputs;
  if (sub.features !== undefined) {
    if (inputs !== undefined) throw new ZkError("send either inputs or features, not both");
    if (served.inputs.length !== 1)
      throw new ZkError(`model "${served.name}" takes ${served.inputs.length} inputs; send them as inputs: [[...], ...]`);
    inputs = [sub.features];
  }
  if (inputs === undefined)
    throw new ZkError(
      `send the model's inputs: inputs (one array per input: ${served.inputs.map((i) => `${i.name} ${i.elements} numbers`).join(", ")}) or features`,
    );
  if (inputs.length !== served.inputs.length) {
    throw new ZkError(
      `model "${served.name}" takes ${served.inputs.length} input array(s) (${served.inputs.map((i) => i.name).join(", ")}), got ${inputs.length}`,
    );
  }
  served.inputs.forEach((input, i) => {
    if (inputs![i]!.length !== input.elements) {
      throw new ZkError(
        `model "${served.name}": input "${input.name}" needs ${input.elements} numbers (shape ${input.shape.join("x")}), got ${inputs![i]!.length}`,
      );
    }
  });
  if (served.boundAddress !== undefined) {
    if (sub.prover === undefined)
      throw new ZkError(
        `model "${served.name}" binds the prover's address into the proof; send prover: "0x..." (the address the reward pays)`,
      );
    if (!isAddress(sub.prover) && !/^0x[0-9a-fA-F]{41,64}$/.test(sub.prover)) {
      throw new ZkError(`prover ${sub.prover} is not a 20-byte address (0x + 40 hex digits) or a domain-bound key`);
    }
  } else if (sub.prover !== undefined) {
    throw new ZkError(`model "${served.name}" binds no address; leave prover out`);
  }
  return inputs;
}

export async function submitProof(
  ctx: SubmitContext,
  sub: ProofSubmission,
  idempotencyKey?: string,
): Promise<{ job: JobRecord; created: boolean }> {
  const served = servedModel(ctx.catalog, sub.model);
  const inputs = checkInputs(served, sub);
  if (sub.callbackUrl !== undefined && ctx.callbackSecret === undefined) {
    throw new HttpProblem(
      422,
      "Unprocessable Content",
      "this server has no callback secret (ZK_CALLBACK_SECRET), so it cannot sign callbacks; poll the job instead",
    );
  }
  return ctx.queue.submit(
    {
      model: served.name,
      inputs,
      prover: sub.prover,
      callbackUrl: sub.callbackUrl,
      keyId: sub.keyId,
      artifactsId: served.artifactsId,
    },
    idempotencyKey,
  );
}
