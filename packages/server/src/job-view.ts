import type { JobRecord } from "./job-types.js";
import type { JobQueue } from "./queue/job-queue.js";

/**
 * A job's error as a client reads it: the operator's fix (rerun a hardhat command, change
 * zk.models config) is cut, as the client cannot act on it; the server log keeps the whole text.
 */
export function clientError(text: string | undefined): string | undefined {
  return text?.replace(/;[^;]*(`npx hardhat|zk\.models\.)[\s\S]*$/, "");
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function jobLinks(id: string): { self: string; result: string; cancel: string } {
  return { self: `/v1/jobs/${id}`, result: `/v1/jobs/${id}/result`, cancel: `/v1/jobs/${id}` };
}

/** The one log line a failed job leaves. */
export function failedJobLine(job: JobRecord): string {
  return `job ${job.id} (${job.request.model}) failed after ${job.attempts} attempt(s): ${job.error}`;
}

/** A job as GET /v1/jobs/{id} shows it: status, stage, timestamps, durations, expected time. */
export async function jobView(job: JobRecord, queue: JobQueue): Promise<Record<string, unknown>> {
  const now = Date.now();
  const expected = await queue.expectedRunMs(job.request.model);
  return {
    id: job.id,
    model: job.request.model,
    status: job.status,
    stage: job.status === "running" ? job.stage : undefined,
    stages: job.stages === undefined ? undefined : Object.fromEntries(Object.entries(job.stages).map(([stage, at]) => [stage, iso(at)])),
    createdAt: iso(job.createdAt),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    queuedMs: (job.startedAt ?? (job.status === "queued" ? now : (job.finishedAt ?? now))) - job.createdAt,
    runMs: job.startedAt === undefined ? undefined : (job.finishedAt ?? now) - job.startedAt,
    expectedRunMs: expected === undefined ? undefined : Math.round(expected),
    queuePosition: job.status === "queued" ? await queue.position(job.id) : undefined,
    attempts: job.attempts,
    error: clientError(job.error),
    links: jobLinks(job.id),
  };
}
