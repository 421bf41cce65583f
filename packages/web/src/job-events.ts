import { createParser } from "eventsource-parser";
import { TERMINAL, type JobView, type PageApi } from "./api.js";

/**
 * Follows a job until it ends: the server's event stream read through fetch (so the page
 * session's token goes in a header), and polling with backoff when the stream is not
 * available or breaks. Calls `onJob` with each view; resolves with the last one.
 */
export async function followJob(api: PageApi, id: string, onJob: (job: JobView) => void, signal?: AbortSignal): Promise<JobView> {
  const streamed = await streamJob(api, id, onJob, signal).catch(() => undefined);
  if (streamed !== undefined && TERMINAL.includes(streamed.status)) return streamed;
  return pollJob(api, id, onJob, signal);
}

async function streamJob(api: PageApi, id: string, onJob: (job: JobView) => void, outer?: AbortSignal): Promise<JobView | undefined> {
  const controller = new AbortController();
  outer?.addEventListener("abort", () => controller.abort(), { once: true });
  const res = await api.events(id, controller.signal);
  if (res.body === null) return undefined;
  let last: JobView | undefined;
  const parser = createParser({
    onEvent(event) {
      if (event.event !== undefined && event.event !== "job") return;
      last = JSON.parse(event.data) as JobView;
      onJob(last);
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(value);
      if (last !== undefined && TERMINAL.includes(last.status)) break;
    }
  } finally {
    controller.abort();
  }
  return last;
}

/** Polls GET /v1/jobs/{id}: every 250 ms at first, backing off to 2 s. */
export async function pollJob(api: PageApi, id: string, onJob: (job: JobView) => void, signal?: AbortSignal): Promise<JobView> {
  let delay = 250;
  for (;;) {
    const job = await api.job(id, signal);
    onJob(job);
    if (TERMINAL.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(2000, Math.round(delay * 1.5));
  }
}
