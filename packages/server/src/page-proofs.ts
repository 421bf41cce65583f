import type { ServedModel } from "./model-catalog.js";
import type { PageSession } from "./page-sessions.js";
import { HttpProblem } from "./problem.js";
import type { QuotaCounter } from "./quotas.js";

/** A page session proves recordings for judge models only: the recording gate and attestation apply to what it sends. */
export function checkPageProof(served: ServedModel | undefined, multipart: boolean): void {
  if (served !== undefined && !served.judge)
    throw new HttpProblem(403, "Forbidden", `a page session proves recordings for judge models only; "${served.name}" is not one`);
  if (!multipart)
    throw new HttpProblem(403, "Forbidden", "a page session sends recordings only: multipart/form-data with address and audio");
}

/**
 * Takes one of the session's proofs (its counter expires with it), or answers 429. Returns
 * what gives it back when the submission is not queued after all.
 */
export async function takePageProof(counter: QuotaCounter, session: PageSession, limit: number): Promise<() => Promise<void>> {
  const bucket = `page-proofs:${session.id}`;
  const ttl = Math.max(1, Math.ceil((session.expiresAt - Date.now()) / 1000));
  if (!(await counter.take(bucket, limit, ttl)))
    throw new HttpProblem(429, "Too Many Requests", `this page session has used its ${limit} proofs; start a new page session`);
  return () => counter.give(bucket);
}
