import { PassThrough } from "node:stream";
import { isFinished, type JobRecord } from "./job-types.js";
import { jobView } from "./job-view.js";
import type { JobQueue } from "./queue/job-queue.js";

export interface JobEventOptions {
  /** How often the job is read (its store: SQLite or Redis, so every mode is covered). */
  pollMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs: number;
}

export const DEFAULT_JOB_EVENTS: Readonly<JobEventOptions> = Object.freeze({ pollMs: 250, heartbeatMs: 15_000 });

/** One server-sent event: `event: job` with the job as GET /v1/jobs/{id} shows it. */
export function jobEvent(view: unknown): string {
  return `event: job\ndata: ${JSON.stringify(view)}\n\n`;
}

/**
 * A text/event-stream of one job: its view at once, again at every change of status or stage,
 * ending after a finished status. `signal` ends it early (the client went away).
 */
export function jobEventStream(
  queue: JobQueue,
  first: JobRecord,
  signal: AbortSignal,
  o: JobEventOptions = DEFAULT_JOB_EVENTS,
): PassThrough {
  const out = new PassThrough();
  let last = "";
  let timer: NodeJS.Timeout | undefined;
  const heartbeat = setInterval(() => out.write(": heartbeat\n\n"), o.heartbeatMs);
  const end = () => {
    clearInterval(heartbeat);
    clearTimeout(timer);
    if (!out.writableEnded) out.end();
  };
  signal.addEventListener("abort", end);
  const send = async (job: JobRecord | undefined): Promise<void> => {
    if (signal.aborted) return end();
    if (job === undefined) return end(); // deleted (retention) or gone: nothing more will change
    const state = `${job.status}:${job.stage ?? ""}`;
    if (state !== last) {
      last = state;
      out.write(jobEvent(await jobView(job, queue)));
    }
    if (isFinished(job.status)) return end();
    timer = setTimeout(() => void queue.get(job.id).then(send, end), o.pollMs);
  };
  void send(first).catch(end);
  return out;
}
